import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/** The argon2id cost of every password hash this process makes. */
export interface PasswordHashing {
  /** Memory per hash, in KiB. */
  memoryKiB: number;
  /** Passes over the memory. */
  timeCost: number;
  /** Lanes (threads) per hash. */
  parallelism: number;
}

/**
 * RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes), also argon2's own default:
 * about 0.2 s of CPU per hash here, so a sign-in costs an attacker as much as it costs us.
 */
export const DEFAULT_PASSWORD_HASHING: Readonly<PasswordHashing> = {
  memoryKiB: 65_536,
  timeCost: 3,
  parallelism: 4,
};

let hashing: PasswordHashing = { ...DEFAULT_PASSWORD_HASHING };
let dummyHash: Promise<string> | null = null;

/** Sets the cost of the hashes this process makes from now on (PASSWORD_HASH_* settings). */
export function configurePasswordHashing(cost: PasswordHashing): void {
  hashing = { ...cost };
  dummyHash = null;
}

const options = () => ({
  type: argon2.argon2id,
  memoryCost: hashing.memoryKiB,
  timeCost: hashing.timeCost,
  parallelism: hashing.parallelism,
});

/** Hashes a password with argon2id at the configured cost. */
export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options());
}

/** True when the password matches the stored hash; a malformed hash never matches. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** True when the hash was made at another cost than the configured one (it is made again at sign-in). */
export function passwordNeedsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, options());
  } catch {
    return false;
  }
}

/**
 * A hash of a random password at the configured cost, checked when the address is unknown, so
 * that an unknown address takes as long as a wrong password (nobody can tell which exist).
 */
export function unknownUserHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(18).toString('base64'));
  return dummyHash;
}
