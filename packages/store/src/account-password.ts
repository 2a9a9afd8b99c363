import type { Db, ObjectId } from 'mongodb';
import { hashPassword } from './passwords.js';

/**
 * Sets a user's own password, keeping their sessions (the user changing it is signed in; an
 * administrator's updateUser ends them instead). False when there is no such user.
 */
export async function setOwnPassword(db: Db, user: ObjectId, password: string): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  return (
    (await db.collection('users').updateOne({ _id: user }, { $set: { passwordHash } })).matchedCount === 1
  );
}
