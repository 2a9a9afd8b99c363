import type { Db, ObjectId } from 'mongodb';
import { toNumber } from './ids.js';

/** The path of this user's mailbox, or null when the user has no such mailbox. */
export async function mailboxPath(db: Db, user: ObjectId, mailbox: ObjectId): Promise<string | null> {
  const document = await db
    .collection('mailboxes')
    .findOne({ _id: mailbox, user }, { projection: { path: 1 } });
  return typeof document?.path === 'string' ? document.path : null;
}

/** The paths of those of these mailboxes that are the user's, by mailbox id (24 hex). */
export async function mailboxPaths(
  db: Db,
  user: ObjectId,
  mailboxes: readonly ObjectId[],
): Promise<Map<string, string>> {
  const documents = await db
    .collection('mailboxes')
    .find({ user, _id: { $in: [...mailboxes] } }, { projection: { path: 1 } })
    .toArray();
  return new Map(documents.map((document) => [document._id.toHexString(), String(document.path)]));
}

/** A mailbox's path and how far its changes go: what a follower of the user's changes needs. */
export interface MailboxPosition {
  id: ObjectId;
  path: string;
  highestModseq: number;
  /** When it was created; null when the document does not say. */
  created: Date | null;
}

/** The positions of every mailbox of the user. */
export async function listMailboxPositions(db: Db, user: ObjectId): Promise<MailboxPosition[]> {
  const documents = await db
    .collection('mailboxes')
    .find({ user }, { projection: { path: 1, highestModseq: 1, created: 1 } })
    .toArray();
  return documents.map((document) => ({
    id: document._id,
    path: String(document.path),
    highestModseq: toNumber(document.highestModseq),
    created: document.created instanceof Date ? document.created : null,
  }));
}
