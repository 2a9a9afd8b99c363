/**
 * The two failure counters every secret check goes through (a password at sign-in, a two-factor
 * code, the current password when changing it): one per account, so one account's secret is not
 * guessed, and one per client address, so one client does not try many accounts. Either limit
 * reached refuses before anything is checked; each failure counts in both.
 */
import type { RateLimiter } from '@wildduck/coordination';
import type { AdminEventSink } from '../admin-events/recorder.js';

/** The two failure counters. */
export interface SignInLimiters {
  user: RateLimiter;
  address: RateLimiter;
  /** Sign-ins and failed ones go to the administrators' feed here (admin-events/recorder.ts). */
  events?: AdminEventSink;
}

/** True when the account (`userKey`) or the client address has used up its attempts: check nothing. */
export async function signInLimited(
  limiters: SignInLimiters,
  userKey: string,
  remoteAddress: string,
): Promise<boolean> {
  // one after the other: a limited account costs no second look-up
  return (await limiters.user.isLimited(userKey)) || (await limiters.address.isLimited(remoteAddress));
}

/** Counts one failed attempt against the account and against the client address. */
export async function countSignInFailure(
  limiters: SignInLimiters,
  userKey: string,
  remoteAddress: string,
): Promise<void> {
  await Promise.all([limiters.user.hit(userKey), limiters.address.hit(remoteAddress)]);
}
