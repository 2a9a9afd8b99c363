import type { Db, ObjectId } from 'mongodb';
import { toNumber } from './ids.js';

// findOneAndUpdate takes no projection here: FerretDB 1.24 answers NotImplemented for findAndModify's "fields".

/** A block of UIDs and MODSEQs taken from a mailbox in one atomic update. */
export interface Allocation {
  /** First UID of the block; the block is `firstUid … firstUid + count - 1`. */
  firstUid: number;
  /** First MODSEQ of the block, likewise. */
  firstModseq: number;
  uidValidity: number;
}

/**
 * Takes `count` UIDs and `count` MODSEQs from the mailbox document with one `$inc`. Call it under
 * the owner's user lock (context.ts): MongoDB applies the `$inc` atomically anyway, FerretDB 1.24
 * does not, and the lock is what keeps values distinct there. The unique (mailbox, uid) index
 * turns any slip into an error, never a reused UID. Returns null when the mailbox does not exist
 * (any more). The caller must journal every MODSEQ it took (see journal.ts).
 */
export async function allocateUids(db: Db, mailbox: ObjectId, count: number): Promise<Allocation | null> {
  const after = await db
    .collection('mailboxes')
    .findOneAndUpdate(
      { _id: mailbox },
      { $inc: { uidNext: count, highestModseq: count } },
      { returnDocument: 'after' },
    );
  if (!after) return null;
  return {
    firstUid: toNumber(after.uidNext) - count,
    firstModseq: toNumber(after.highestModseq) - count + 1,
    uidValidity: toNumber(after.uidValidity),
  };
}

/** Takes `count` MODSEQs (flag changes, expunges), under the user lock; returns the first, or null without the mailbox. */
export async function allocateModseqs(db: Db, mailbox: ObjectId, count: number): Promise<number | null> {
  const after = await db
    .collection('mailboxes')
    .findOneAndUpdate({ _id: mailbox }, { $inc: { highestModseq: count } }, { returnDocument: 'after' });
  return after ? toNumber(after.highestModseq) - count + 1 : null;
}
