import type { Db, ObjectId } from 'mongodb';
import { userLock } from './context.js';
import type { LockManager } from './locks.js';
import { hashPassword } from './passwords.js';

/**
 * Sets a user's own password, keeping their sessions (the user changing it is signed in; an
 * administrator's updateUser ends them instead). False when there is no such user. The write takes
 * the user lock when one is given: on FerretDB an update rewrites the whole user document, and an
 * unlocked one can lose a delivery's storage counter update made at the same moment.
 */
export async function setOwnPassword(
  db: Db,
  user: ObjectId,
  password: string,
  locks?: LockManager,
): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  const write = async () =>
    (await db.collection('users').updateOne({ _id: user }, { $set: { passwordHash } })).matchedCount === 1;
  return locks ? locks.run(userLock(user), write) : write();
}
