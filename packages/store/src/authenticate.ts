import type { Db } from 'mongodb';
import { normalizeAddress } from './address.js';
import { verifyPassword } from './passwords.js';
import type { UserDocument } from './users.js';

/** A hash to verify against when the user does not exist, so both answers take as long. */
const DUMMY_HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$3Yd2rmlfJ8WBrHOnyCNhJb2gR+2fygsfjO7kjw5Btk0';

/**
 * Checks an address and password. Returns the user, or null for an unknown address, a wrong
 * password or a disabled account alike, after the same amount of work.
 */
export async function authenticateUser(
  db: Db,
  username: string,
  password: string,
): Promise<UserDocument | null> {
  const address = normalizeAddress(username);
  const user = address ? await db.collection<UserDocument>('users').findOne({ address }) : null;
  const matches = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user || !matches || user.disabled) return null;
  return user;
}
