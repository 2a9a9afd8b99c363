import type { Db, ObjectId } from 'mongodb';
import { toNumber } from './ids.js';

/** How long after sending a client's own APPEND of the same message to Sent is taken as a duplicate. */
export const SENT_DUPLICATE_WINDOW_MS = 60 * 60 * 1000;

/**
 * Submission files a copy of every sent message in Sent by itself, the way Gmail does. Most
 * clients (Thunderbird, Apple Mail) also APPEND their own copy to Sent after sending; Gmail keeps
 * one. This finds the copy submission filed for the message just appended (same Message-ID, same
 * mailbox, filed within the window), so the IMAP server can keep that one and drop the new one.
 */
export async function findSubmittedCopy(
  db: Db,
  mailbox: ObjectId,
  appended: ObjectId,
  now = new Date(),
): Promise<{ id: ObjectId; uid: number } | null> {
  const message = await db
    .collection('messages')
    .findOne({ _id: appended, mailbox }, { projection: { 'hdr.messageId': 1 } });
  const messageId = String(message?.hdr?.messageId ?? '');
  if (!messageId) return null;
  const copy = await db.collection('messages').findOne(
    {
      mailbox,
      origin: 'submission',
      'hdr.messageId': messageId,
      _id: { $ne: appended },
      created: { $gt: new Date(now.getTime() - SENT_DUPLICATE_WINDOW_MS) },
    },
    { projection: { uid: 1 } },
  );
  return copy ? { id: copy._id, uid: toNumber(copy.uid) } : null;
}
