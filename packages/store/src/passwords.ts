import argon2 from 'argon2';

/** Hashes a password with argon2id (memory-hard; the parameters are argon2's recommended defaults). */
export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** True when the password matches the stored hash; a malformed hash never matches. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
