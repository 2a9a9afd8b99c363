/**
 * Password sign-in as every transport does it (IMAP LOGIN/AUTHENTICATE, SMTP AUTH, GraphQL
 * signIn): failures are counted per account (one account's password guessed) and per client
 * address (one client trying many accounts), and either limit reached refuses before the password
 * is even checked.
 */
import type { Db } from 'mongodb';
import type { RateLimiter } from '@wildduck/coordination';
import { authenticateUser, normalizeAddress, type UserDocument } from '@wildduck/store';

/** The two failure counters. */
export interface SignInLimiters {
  user: RateLimiter;
  address: RateLimiter;
}

/** Longer "passwords" are refused unhashed: hashing a megabyte is an attack on the CPU. */
export const MAX_SIGN_IN_PASSWORD_LENGTH = 1024;

export type SignInOutcome =
  | { ok: true; user: UserDocument }
  /** rateLimited: too many failures lately (nothing was checked); else unknown, wrong or disabled alike. */
  | { ok: false; rateLimited: boolean };

export async function signIn(
  db: Db,
  limiters: SignInLimiters,
  username: string,
  password: string,
  remoteAddress: string,
): Promise<SignInOutcome> {
  const userKey = normalizeAddress(username) ?? username.trim().toLowerCase().slice(0, 320);
  if ((await limiters.user.isLimited(userKey)) || (await limiters.address.isLimited(remoteAddress)))
    return { ok: false, rateLimited: true };
  const user =
    password.length <= MAX_SIGN_IN_PASSWORD_LENGTH ? await authenticateUser(db, username, password) : null;
  if (!user) {
    await Promise.all([limiters.user.hit(userKey), limiters.address.hit(remoteAddress)]);
    return { ok: false, rateLimited: false };
  }
  return { ok: true, user };
}
