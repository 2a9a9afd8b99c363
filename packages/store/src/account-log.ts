import type { Db, ObjectId } from 'mongodb';
import type { JournalKind } from './journal.js';

/**
 * An entry of a user's account log: the journal entries with MODSEQ 0 (mailbox renames and
 * deletions, SPAM and NOT_SPAM reports), which have no MODSEQ to be read by, only a time.
 */
export interface AccountLogEntry {
  _id: ObjectId;
  mailbox: ObjectId;
  user: ObjectId;
  kind: JournalKind;
  uid?: number | null;
  created: Date;
}

/** A user's account-log entries written at `from` or later, oldest first, at most `limit`. */
export async function readAccountLog(
  db: Db,
  user: ObjectId,
  from: Date,
  limit: number,
): Promise<AccountLogEntry[]> {
  const documents = await db
    .collection('journal')
    .find({ user, modseq: 0, created: { $gte: from } })
    .sort({ created: 1, _id: 1 })
    .limit(limit)
    .toArray();
  return documents as unknown as AccountLogEntry[];
}
