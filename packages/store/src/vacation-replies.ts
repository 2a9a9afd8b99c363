import { createHash } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';
import { isDuplicateKeyError } from './errors.js';

/** One vacation reply sent: to whom, for which user and vacation handle, and until when not again. */
export interface VacationReplyDocument {
  /** sha256 of user, handle and sender: the check is one `_id` equality */
  _id: string;
  user: ObjectId;
  expires: Date;
}

const repliesOf = (db: Db) => db.collection<VacationReplyDocument>('vacationReplies');

/** The key of one (user, vacation handle, sender) triple; the sender is compared lower-cased. */
export function vacationReplyKey(user: ObjectId, handle: string, sender: string): string {
  return createHash('sha256')
    .update(`${user.toHexString()}\u0000${handle}\u0000${sender.toLowerCase()}`)
    .digest('hex');
}

/**
 * RFC 5230 4.6: at most one reply per sender per `seconds`. True when a reply may be sent now, in
 * which case the next one is held back until `now + seconds`; false while an earlier reply's period
 * lasts. Of two deliveries that ask at once, one wins: a new record is inserted once (the unique
 * `_id` decides), and an expired one is renewed by an update that names its old expiry. Expiry is
 * compared here, not by a TTL index (FerretDB has none); `sweepVacationReplies` removes old records.
 */
export async function claimVacationReply(
  db: Db,
  claim: { user: ObjectId; handle: string; sender: string; seconds: number; now?: Date },
): Promise<boolean> {
  const now = claim.now ?? new Date();
  const _id = vacationReplyKey(claim.user, claim.handle, claim.sender);
  const expires = new Date(now.getTime() + Math.max(0, claim.seconds) * 1000);
  const existing = await repliesOf(db).findOne({ _id });
  if (!existing) {
    try {
      await repliesOf(db).insertOne({ _id, user: claim.user, expires });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
  if (existing.expires.getTime() > now.getTime()) return false;
  const renewed = await repliesOf(db).updateOne({ _id, expires: existing.expires }, { $set: { expires } });
  return renewed.modifiedCount === 1;
}

/** Removes records whose period is over (a periodic sweep; they would only be renewed otherwise). */
export async function sweepVacationReplies(db: Db, now = new Date()): Promise<number> {
  const result = await repliesOf(db).deleteMany({ expires: { $lte: now } });
  return result.deletedCount;
}
