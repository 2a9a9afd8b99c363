import type { Db, ObjectId } from 'mongodb';
import { StoreError } from './errors.js';
import { toNumber } from './ids.js';

/** The largest UIDVALIDITY: RFC 3501 makes it a 32-bit unsigned nz-number. */
export const MAX_UID_VALIDITY = 0xffffffff;

/**
 * Takes `count` UIDVALIDITY values for new mailboxes of a user: consecutive, each greater than
 * every value the user's mailboxes ever had (the user document keeps the highest, `uidValidityHigh`)
 * and at least the seconds since the epoch. So a mailbox deleted and created again under the same
 * name, even within one second, gets a new UIDVALIDITY (RFC 3501 2.3.1.1: a client's cache must not
 * take the new mailbox's UIDs for the old one's messages); and since no two mailboxes of a user
 * share one, a mailbox renamed onto a deleted one's name cannot repeat its pair either.
 *
 * Call it under the user lock (context.ts) when other writers of the user may run: FerretDB 1.24
 * applies no update atomically, and the user document also holds the storage counter.
 */
export async function takeUidValidities(
  db: Db,
  user: ObjectId,
  count: number,
  now = new Date(),
): Promise<number> {
  const users = db.collection('users');
  const document = await users.findOne({ _id: user }, { projection: { uidValidityHigh: 1 } });
  const high = document?.uidValidityHigh === undefined ? 0 : toNumber(document.uidValidityHigh);
  const first = Math.max(1, Math.floor(now.getTime() / 1000), high + 1);
  const last = first + count - 1;
  if (last > MAX_UID_VALIDITY)
    throw new StoreError('UIDVALIDITY_EXHAUSTED', 'no UIDVALIDITY left below 2^32 for this user');
  if (document) await users.updateOne({ _id: user }, { $max: { uidValidityHigh: last } });
  return first;
}
