/**
 * App passwords: one named password per mail client, so the account password never has to be
 * typed into a phone, and one lost device is revoked alone. The secret is 16 random lowercase
 * letters (about 75 bits), shown once as four groups of four; spaces are ignored when typed.
 */
import { createHmac, randomInt } from 'node:crypto';
import { ObjectId, type Db } from 'mongodb';
import {
  countUserAppPasswords,
  deleteUserAppPassword,
  insertAppPassword,
  listUserAppPasswords,
  type AppPasswordDocument,
  type AppPasswordScope,
} from '@wildduck/store';

export const APP_PASSWORD_SCOPES: readonly AppPasswordScope[] = ['imap', 'smtp', 'managesieve', 'api'];
/** What a new app password may do when the caller names no scope. */
export const DEFAULT_APP_PASSWORD_SCOPES: readonly AppPasswordScope[] = ['imap', 'smtp'];
/** Most app passwords one user may hold: each is a way in, and a person has few devices. */
export const MAX_APP_PASSWORDS_PER_USER = 30;
export const MAX_APP_PASSWORD_NAME_LENGTH = 100;

const SECRET_LETTERS = 16;

/** A new secret, as shown to the user: `abcd efgh ijkl mnop`. */
export function newAppPasswordSecret(): string {
  let letters = '';
  for (let i = 0; i < SECRET_LETTERS; i++) letters += String.fromCharCode(97 + randomInt(26));
  return letters.match(/.{4}/g)!.join(' ');
}

/** The letters of a typed password when it has the shape of an app password, else null. */
export function appPasswordLetters(typed: string): string | null {
  const letters = typed.replace(/\s+/g, '').toLowerCase();
  return /^[a-z]{16}$/.test(letters) ? letters : null;
}

/**
 * What is stored for a secret: HMAC-SHA256 keyed with the user id. The secret is random and long,
 * so no slow hash is needed; the key makes one user's hash useless for finding another's.
 */
export function appPasswordHash(user: ObjectId, letters: string): string {
  return createHmac('sha256', user.toHexString()).update(letters).digest('hex');
}

export type CreateAppPasswordOutcome =
  { ok: true; password: string; appPassword: AppPasswordDocument } | { ok: false; reason: 'TOO_MANY' };

/** Makes an app password; answers its secret (shown once) and the stored document. */
export async function createAppPassword(
  db: Db,
  input: { user: ObjectId; name: string; scopes: readonly AppPasswordScope[] },
  now = new Date(),
): Promise<CreateAppPasswordOutcome> {
  if ((await countUserAppPasswords(db, input.user)) >= MAX_APP_PASSWORDS_PER_USER)
    return { ok: false, reason: 'TOO_MANY' };
  const password = newAppPasswordSecret();
  const appPassword: AppPasswordDocument = {
    _id: new ObjectId(),
    user: input.user,
    name: input.name,
    secretHash: appPasswordHash(input.user, appPasswordLetters(password)!),
    scopes: APP_PASSWORD_SCOPES.filter((scope) => input.scopes.includes(scope)),
    created: now,
    lastUsed: null,
    lastAddress: null,
  };
  await insertAppPassword(db, appPassword);
  return { ok: true, password, appPassword };
}

/** The user's app passwords, oldest first (never their secrets: only hashes are stored). */
export function listAppPasswords(db: Db, user: ObjectId): Promise<AppPasswordDocument[]> {
  return listUserAppPasswords(db, user);
}

/** Revokes one of the user's app passwords; false when the user has none with this id. */
export function revokeAppPassword(db: Db, user: ObjectId, id: ObjectId): Promise<boolean> {
  return deleteUserAppPassword(db, user, id);
}
