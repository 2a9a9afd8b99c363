import { ObjectId, type Db } from 'mongodb';
import {
  countUserAccessTokens,
  deleteUserAccessToken,
  findAccessTokenByHash,
  insertAccessToken,
  listUserAccessTokens,
  noteAccessTokenUse,
  type AccessTokenDocument,
} from '@wildduck/store';
import type { Scope } from './scopes.js';
import { ACCESS_TOKEN_PREFIX, newSecret, tokenHash } from './secrets.js';

/** lastUsed is written at most this often per token, so using a token costs no write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** Most tokens one user may hold (each is a way in; a runaway script should not mint thousands). */
export const MAX_TOKENS_PER_USER = 100;

/** Creates a token; answers the secret (shown once) and the stored document. */
export async function createAccessToken(
  db: Db,
  input: { user: ObjectId; name: string; scopes: readonly Scope[]; expires: Date | null },
  now = new Date(),
): Promise<{ token: string; accessToken: AccessTokenDocument }> {
  const token = `${ACCESS_TOKEN_PREFIX}${newSecret()}`;
  const accessToken: AccessTokenDocument = {
    _id: new ObjectId(),
    tokenHash: tokenHash(token),
    user: input.user,
    name: input.name,
    scopes: [...new Set(input.scopes)],
    created: now,
    expires: input.expires,
    lastUsed: null,
  };
  await insertAccessToken(db, accessToken);
  return { token, accessToken };
}

/** The user's tokens, oldest first, expired ones included (they show as expired). */
export async function listAccessTokens(db: Db, user: ObjectId): Promise<AccessTokenDocument[]> {
  return listUserAccessTokens(db, user);
}

/** How many tokens the user holds. */
export async function countAccessTokens(db: Db, user: ObjectId): Promise<number> {
  return countUserAccessTokens(db, user);
}

/** Revokes one of the user's tokens; false when the user has no token with this id. */
export async function revokeAccessToken(db: Db, user: ObjectId, id: ObjectId): Promise<boolean> {
  return deleteUserAccessToken(db, user, id);
}

/**
 * The live token for a secret, or null (unknown, revoked or expired). Notes the use in lastUsed
 * when the last note is older than LAST_USED_RESOLUTION_MS.
 */
export async function findAccessToken(
  db: Db,
  token: string,
  now = new Date(),
): Promise<AccessTokenDocument | null> {
  if (!token.startsWith(ACCESS_TOKEN_PREFIX)) return null;
  const found = await findAccessTokenByHash(db, tokenHash(token));
  if (!found || (found.expires && found.expires.getTime() <= now.getTime())) return null;
  if (!found.lastUsed || now.getTime() - found.lastUsed.getTime() >= LAST_USED_RESOLUTION_MS) {
    await noteAccessTokenUse(db, found._id, now);
    found.lastUsed = now;
  }
  return found;
}
