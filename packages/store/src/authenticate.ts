import type { Db } from 'mongodb';
import { normalizeAddress } from './address.js';
import { hashPassword, passwordNeedsRehash, unknownUserHash, verifyPassword } from './passwords.js';
import type { UserDocument } from './users.js';

/**
 * Checks an address and password. Returns the user, or null for an unknown address, a wrong
 * password or a disabled account alike, after the same amount of work. A hash made at an older
 * cost is made again at the configured one once the password is known to be right.
 */
export async function authenticateUser(
  db: Db,
  username: string,
  password: string,
): Promise<UserDocument | null> {
  const address = normalizeAddress(username);
  const users = db.collection<UserDocument>('users');
  const user = address ? await users.findOne({ address }) : null;
  const matches = await verifyPassword(user?.passwordHash ?? (await unknownUserHash()), password);
  if (!user || !matches || user.disabled) return null;
  if (passwordNeedsRehash(user.passwordHash)) {
    const passwordHash = await hashPassword(password);
    // only if the hash is still the one checked: a password changed meanwhile is kept
    await users.updateOne({ _id: user._id, passwordHash: user.passwordHash }, { $set: { passwordHash } });
    return { ...user, passwordHash };
  }
  return user;
}
