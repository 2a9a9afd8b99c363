import type { Db, ObjectId } from 'mongodb';
import { toNumber } from './ids.js';

/** The ids (24 hex) of a mailbox's messages by UID; UIDs with no message (expunged) are left out. */
export async function messageIdsByUid(
  db: Db,
  mailbox: ObjectId,
  uids: readonly number[],
): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  if (!uids.length) return found;
  const documents = await db
    .collection('messages')
    .find({ mailbox, uid: { $in: [...uids] } }, { projection: { uid: 1 } })
    .toArray();
  for (const document of documents) found.set(toNumber(document.uid), document._id.toHexString());
  return found;
}
