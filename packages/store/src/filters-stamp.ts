import type { Db, ObjectId } from 'mongodb';
import { userLock } from './context.js';
import type { LockManager } from './locks.js';

/**
 * Notes on the user document that the user's delivery filters changed (a Sieve script put,
 * activated, renamed or deleted; a vacation, forwarding or rule setting saved). Delivery reads the
 * user document anyway to find the recipient, so the stamp tells it for free whether the filters it
 * parsed and cached are still the user's: a user who never had filters (stamp unset) costs no
 * read of scripts or settings at all.
 *
 * Under the user lock when `locks` is given: FerretDB writes a whole document back, so a `$set`
 * racing a delivery's `$inc` of `storageUsed` could lose that increment.
 */
export async function touchFiltersStamp(db: Db, user: ObjectId, locks?: LockManager): Promise<void> {
  const touch = async () => {
    await db.collection('users').updateOne({ _id: user }, { $set: { filtersUpdated: new Date() } });
  };
  if (locks) await locks.run(userLock(user), touch);
  else await touch();
}
