/**
 * Sign-in as every transport does it (IMAP LOGIN/AUTHENTICATE, SMTP AUTH, ManageSieve, GraphQL
 * signIn): with the account password, or with an app password made for that protocol.
 *
 * Failures are counted per account (one account's password guessed) and per client address (one
 * client trying many accounts), and either limit reached refuses before anything is checked. Wrong
 * two-factor codes count the same way.
 *
 * With two-factor sign-in on, the account password alone opens nothing: mail protocols need an app
 * password (the answer carries a hint saying so, but only when the password itself was right), and
 * the API needs a code from the authenticator or a recovery code too.
 */
import type { Db, ObjectId } from 'mongodb';
import {
  authenticateUser,
  findTwoFactor,
  findUserAppPassword,
  findUserByAddress,
  normalizeAddress,
  noteAppPasswordUse,
  type AppPasswordScope,
  type UserDocument,
} from '@wildduck/store';
import type { AdminEventSink } from '../admin-events/recorder.js';
import { appPasswordHash, appPasswordLetters } from './app-passwords.js';
import { countSignInFailure, signInLimited, type SignInLimiters } from './sign-in-limiters.js';
import { verifySecondFactor } from './two-factor.js';

export type { SignInLimiters } from './sign-in-limiters.js';

/** Longer "passwords" are refused unhashed: hashing a megabyte is an attack on the CPU. */
export const MAX_SIGN_IN_PASSWORD_LENGTH = 1024;

/** Where the sign-in comes from: app passwords work only for the protocols in their scopes. */
export type SignInProtocol = 'imap' | 'smtp' | 'managesieve' | 'api' | 'web';

export interface SignInOptions {
  /** Default 'api' (the strictest reading: the account password needs a code when two-factor is on). */
  protocol?: SignInProtocol;
  /** A TOTP code or a recovery code ('api' and 'web' only). */
  code?: string;
  now?: Date;
}

/** The answer to a mail client whose account password was right but cannot be used any more. */
export const TWO_FACTOR_APP_PASSWORD_HINT = 'Two-factor sign-in is on for this account: use an app password';

export type SignInOutcome =
  | { ok: true; user: UserDocument; via: 'password' | 'app-password'; appPasswordId?: ObjectId }
  /**
   * rateLimited: too many failures lately (nothing was checked); else unknown, wrong or disabled
   * alike. hint: words for the user when the password was right but cannot be used here.
   * twoFactorRequired: the password was right and a (right) two-factor code is needed too.
   */
  | { ok: false; rateLimited: boolean; hint?: string; twoFactorRequired?: boolean };

const MAIL_PROTOCOLS: ReadonlySet<SignInProtocol> = new Set(['imap', 'smtp', 'managesieve']);

export async function signIn(
  db: Db,
  limiters: SignInLimiters,
  username: string,
  password: string,
  remoteAddress: string,
  options: SignInOptions = {},
): Promise<SignInOutcome> {
  const outcome = await checkSignIn(db, limiters, username, password, remoteAddress, options);
  if (limiters.events) recordSignIn(limiters.events, outcome, username, remoteAddress, options);
  return outcome;
}

/** The administrators' feed hears of every sign-in and failed one (not of a password that awaits its code). */
function recordSignIn(
  events: AdminEventSink,
  outcome: SignInOutcome,
  username: string,
  remote: string,
  options: SignInOptions,
): void {
  const protocol = options.protocol ?? 'api';
  if (outcome.ok) {
    events.record({
      type: 'SIGN_IN',
      user: outcome.user._id,
      address: outcome.user.address,
      protocol,
      remote,
      detail: outcome.via === 'app-password' ? 'app password' : null,
    });
  } else if (!(outcome.twoFactorRequired && !options.code?.trim())) {
    events.record({
      type: 'SIGN_IN_FAILED',
      address: normalizeAddress(username) ?? username.trim().slice(0, 320),
      protocol,
      remote,
      detail: outcome.rateLimited
        ? 'too many failed attempts'
        : outcome.twoFactorRequired
          ? 'wrong two-factor code'
          : (outcome.hint ?? 'wrong password or unknown user'),
    });
  }
}

async function checkSignIn(
  db: Db,
  limiters: SignInLimiters,
  username: string,
  password: string,
  remoteAddress: string,
  options: SignInOptions,
): Promise<SignInOutcome> {
  const protocol = options.protocol ?? 'api';
  const now = options.now ?? new Date();
  const address = normalizeAddress(username);
  const userKey = address ?? username.trim().toLowerCase().slice(0, 320);
  if (await signInLimited(limiters, userKey, remoteAddress)) return { ok: false, rateLimited: true };
  const failed = async (extra: { hint?: string; twoFactorRequired?: boolean } = {}) => {
    await countSignInFailure(limiters, userKey, remoteAddress);
    return { ok: false as const, rateLimited: false, ...extra };
  };
  if (password.length > MAX_SIGN_IN_PASSWORD_LENGTH) return failed();

  // an app password costs one lookup, no slow hash; anything else (or no match) is tried as the
  // account password, so an account password that happens to be 16 letters still works
  const letters = protocol === 'web' ? null : appPasswordLetters(password);
  if (letters && address) {
    const owner = await findUserByAddress(db, address);
    const appPassword =
      owner && !owner.disabled
        ? await findUserAppPassword(db, owner._id, appPasswordHash(owner._id, letters))
        : null;
    if (owner && appPassword) {
      if (!appPassword.scopes.includes(protocol as AppPasswordScope))
        return failed({ hint: `This app password is not for ${protocol.toUpperCase()}` });
      // one write, awaited: the sign-in is answered after it, and a store that cannot write fails it
      await noteAppPasswordUse(db, appPassword._id, now, remoteAddress);
      return { ok: true, user: owner, via: 'app-password', appPasswordId: appPassword._id };
    }
  }

  const user = await authenticateUser(db, username, password);
  if (!user) return failed();
  const twoFactor = await findTwoFactor(db, user._id);
  if (!twoFactor?.enabled) return { ok: true, user, via: 'password' };

  // the password was right: from here the answer may say that two-factor is on
  if (MAIL_PROTOCOLS.has(protocol))
    return { ok: false, rateLimited: false, hint: TWO_FACTOR_APP_PASSWORD_HINT };
  const code = options.code?.trim();
  if (!code) return { ok: false, rateLimited: false, twoFactorRequired: true };
  if (await verifySecondFactor(db, twoFactor, code, now)) return { ok: true, user, via: 'password' };
  return failed({ twoFactorRequired: true });
}
