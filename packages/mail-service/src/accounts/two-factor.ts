/**
 * Two-factor sign-in with TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, via the otpauth library)
 * and ten one-time recovery codes. A code is accepted once: the time step of each accepted code is
 * kept, and only a later step is accepted next. Wrong codes count in the sign-in rate limiters, so
 * a million codes cannot be tried.
 */
import { createHmac, randomInt } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';
import { Secret, TOTP } from 'otpauth';
import {
  advanceTwoFactorStep,
  deleteTwoFactor,
  enableTwoFactor,
  findTwoFactor,
  replaceRecoveryCodes,
  savePendingTwoFactorSecret,
  useRecoveryCode,
  type TwoFactorDocument,
} from '@wildduck/store';
import { countSignInFailure, signInLimited, type SignInLimiters } from './sign-in-limiters.js';

export const TOTP_ISSUER = 'Wild Duck Mail';
export const TOTP_PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;
/** Steps either side of now still accepted: a phone clock 30 s off, or a code typed at the turn. */
const TOTP_WINDOW = 1;
const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // no l, o, 0, 1: read aloud or typed, unmistaken

/** A user as these functions need one. */
export interface TwoFactorUser {
  _id: ObjectId;
  address: string;
}

function totpFor(secret: string, label = ''): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** The time step a six-digit code belongs to (now or one step either side), or null. */
export function totpStep(secret: string, code: string, now: Date): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpFor(secret).validate({ token, timestamp: now.getTime(), window: TOTP_WINDOW });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/** The characters of a typed recovery code (spaces and dashes ignored), or null when it cannot be one. */
function recoveryLetters(typed: string): string | null {
  const letters = typed.replace(/[\s-]+/g, '').toLowerCase();
  return new RegExp(`^[${RECOVERY_ALPHABET}]{10}$`).test(letters) ? letters : null;
}

/** What is stored for a recovery code: HMAC-SHA256 keyed with the user id (50 random bits, rate-limited). */
function recoveryCodeHash(user: ObjectId, letters: string): string {
  return createHmac('sha256', user.toHexString()).update(letters).digest('hex');
}

/** Ten new recovery codes (`abcde-fghij`) and their hashes. */
function newRecoveryCodes(user: ObjectId): { codes: string[]; hashes: string[] } {
  const codes: string[] = [];
  for (let n = 0; n < RECOVERY_CODE_COUNT; n++) {
    let letters = '';
    for (let i = 0; i < 10; i++) letters += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
    codes.push(`${letters.slice(0, 5)}-${letters.slice(5)}`);
  }
  return { codes, hashes: codes.map((code) => recoveryCodeHash(user, recoveryLetters(code)!)) };
}

/** Whether two-factor sign-in is on for the user. */
export async function twoFactorEnabled(db: Db, user: ObjectId): Promise<boolean> {
  return (await findTwoFactor(db, user))?.enabled === true;
}

/** On or off, and how many recovery codes are left. */
export async function twoFactorStatus(
  db: Db,
  user: ObjectId,
): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
  const state = await findTwoFactor(db, user);
  return state?.enabled
    ? { enabled: true, recoveryCodesLeft: state.recoveryCodes.length }
    : { enabled: false, recoveryCodesLeft: 0 };
}

/**
 * Checks a code of a user whose two-factor is on: a TOTP code (a later step than the last one
 * accepted) or an unused recovery code (used up by this). Counts nothing; see checkTwoFactorCode.
 */
export async function verifySecondFactor(
  db: Db,
  state: TwoFactorDocument,
  code: string,
  now = new Date(),
): Promise<'totp' | 'recovery' | null> {
  if (!state.enabled || !state.secret) return null;
  const step = totpStep(state.secret, code, now);
  if (step !== null)
    return (await advanceTwoFactorStep(db, state.user, state.lastStep, step)) ? 'totp' : null;
  const letters = recoveryLetters(code);
  if (letters && (await useRecoveryCode(db, state.user, recoveryCodeHash(state.user, letters))))
    return 'recovery';
  return null;
}

export type TwoFactorCheck =
  | { ok: true; kind: 'totp' | 'recovery' }
  /** rateLimited: too many failures lately (the code was not checked); notEnabled: two-factor is off. */
  | { ok: false; rateLimited: boolean; notEnabled?: boolean };

/** verifySecondFactor behind the sign-in rate limiters: a wrong code counts as a failed sign-in. */
export async function checkTwoFactorCode(
  db: Db,
  limiters: SignInLimiters,
  user: TwoFactorUser,
  code: string,
  remoteAddress: string,
  now = new Date(),
): Promise<TwoFactorCheck> {
  if (await signInLimited(limiters, user.address, remoteAddress)) return { ok: false, rateLimited: true };
  const state = await findTwoFactor(db, user._id);
  if (!state?.enabled) return { ok: false, rateLimited: false, notEnabled: true };
  const kind = await verifySecondFactor(db, state, code, now);
  if (kind) return { ok: true, kind };
  await countSignInFailure(limiters, user.address, remoteAddress);
  return { ok: false, rateLimited: false };
}

/** Starts (or restarts) a set-up: a new secret, pending until confirmed. */
export async function beginTwoFactorSetup(
  db: Db,
  user: TwoFactorUser,
  now = new Date(),
): Promise<{ ok: true; secret: string; otpauthUrl: string } | { ok: false; reason: 'ALREADY_ENABLED' }> {
  if (await twoFactorEnabled(db, user._id)) return { ok: false, reason: 'ALREADY_ENABLED' };
  const secret = new Secret({ size: 20 }).base32;
  await savePendingTwoFactorSecret(db, user._id, secret, now);
  return { ok: true, secret, otpauthUrl: totpFor(secret, user.address).toString() };
}

export type ConfirmTwoFactorOutcome =
  | { ok: true; recoveryCodes: string[] }
  | { ok: false; reason: 'NO_SETUP' | 'ALREADY_ENABLED' | 'WRONG_CODE' | 'RATE_LIMITED' };

/** Turns two-factor on when the code matches the pending secret; answers the recovery codes (shown once). */
export async function confirmTwoFactorSetup(
  db: Db,
  limiters: SignInLimiters,
  user: TwoFactorUser,
  code: string,
  remoteAddress: string,
  now = new Date(),
): Promise<ConfirmTwoFactorOutcome> {
  if (await signInLimited(limiters, user.address, remoteAddress))
    return { ok: false, reason: 'RATE_LIMITED' };
  const state = await findTwoFactor(db, user._id);
  if (state?.enabled) return { ok: false, reason: 'ALREADY_ENABLED' };
  if (!state?.pendingSecret) return { ok: false, reason: 'NO_SETUP' };
  const step = totpStep(state.pendingSecret, code, now);
  if (step === null) {
    await countSignInFailure(limiters, user.address, remoteAddress);
    return { ok: false, reason: 'WRONG_CODE' };
  }
  const { codes, hashes } = newRecoveryCodes(user._id);
  // the confirming code's step is used up: it cannot sign in right after
  if (
    !(await enableTwoFactor(db, user._id, state.pendingSecret, {
      recoveryCodes: hashes,
      lastStep: step,
      now,
    }))
  )
    return { ok: false, reason: 'NO_SETUP' };
  return { ok: true, recoveryCodes: codes };
}

/** New recovery codes for a user whose two-factor is on (the old ones stop working). */
export async function renewRecoveryCodes(db: Db, user: ObjectId, now = new Date()): Promise<string[]> {
  const { codes, hashes } = newRecoveryCodes(user);
  await replaceRecoveryCodes(db, user, hashes, now);
  return codes;
}

/** Turns two-factor off and forgets its secret and codes; false when it was not set up. */
export function removeTwoFactor(db: Db, user: ObjectId): Promise<boolean> {
  return deleteTwoFactor(db, user);
}
