import type { Db, ObjectId } from 'mongodb';
import { toNumber } from './ids.js';

/** Where a message of the user is, and what a write needs to know of it first. */
export interface MessagePlace {
  id: ObjectId;
  mailbox: ObjectId;
  uid: number;
  flags: string[];
}

/**
 * Those of these messages that are the user's, with their mailbox, UID and flags, in no
 * particular order (another user's id is simply not found). One id is asked by top-level
 * equality, which FerretDB answers from its index.
 */
export async function findMessagePlaces(
  db: Db,
  user: ObjectId,
  ids: readonly ObjectId[],
): Promise<MessagePlace[]> {
  if (!ids.length) return [];
  const filter = ids.length === 1 ? { _id: ids[0], user } : { _id: { $in: [...ids] }, user };
  const documents = await db
    .collection('messages')
    .find(filter, { projection: { mailbox: 1, uid: 1, flags: 1 } })
    .toArray();
  return documents.map((document) => ({
    id: document._id as ObjectId,
    mailbox: document.mailbox as ObjectId,
    uid: toNumber(document.uid),
    flags: (document.flags as string[] | undefined) ?? [],
  }));
}

/** The threading headers of the user's message (what a reply to it carries), or null. */
export async function findThreadingHeaders(
  db: Db,
  user: ObjectId,
  id: ObjectId,
): Promise<{ messageId: string; references: string[] } | null> {
  const document = await db
    .collection('messages')
    .findOne({ _id: id, user }, { projection: { 'hdr.messageId': 1, 'hdr.references': 1 } });
  if (!document) return null;
  return {
    messageId: String(document.hdr?.messageId ?? ''),
    references: (document.hdr?.references as string[] | undefined) ?? [],
  };
}
