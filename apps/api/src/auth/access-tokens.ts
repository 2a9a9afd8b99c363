import { ObjectId, type Db } from 'mongodb';
import { accessTokens as tokenSpec, validateDocument } from '@wildduck/schema';
import type { Scope } from '../graphql/viewer.js';
import { ACCESS_TOKEN_PREFIX, newSecret, tokenHash } from './secrets.js';

/** A personal access token as stored: never the secret, only its hash. */
export interface AccessTokenDocument {
  _id: ObjectId;
  tokenHash: string;
  user: ObjectId;
  name: string;
  scopes: Scope[];
  created: Date;
  /** null: never expires. */
  expires: Date | null;
  lastUsed: Date | null;
}

/** lastUsed is written at most this often per token, so using a token costs no write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** Most tokens one user may hold (each is a way in; a runaway script should not mint thousands). */
export const MAX_TOKENS_PER_USER = 100;

const tokensOf = (db: Db) => db.collection<AccessTokenDocument>('accessTokens');

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
  const problems = validateDocument(tokenSpec.validator!, accessToken);
  if (problems.length) throw new Error(`Invalid access token document: ${problems.join('; ')}`);
  await tokensOf(db).insertOne(accessToken);
  return { token, accessToken };
}

/** The user's tokens, oldest first, expired ones included (they show as expired). */
export async function listAccessTokens(db: Db, user: ObjectId): Promise<AccessTokenDocument[]> {
  return tokensOf(db).find({ user }).sort({ created: 1, _id: 1 }).toArray();
}

/** How many tokens the user holds. */
export async function countAccessTokens(db: Db, user: ObjectId): Promise<number> {
  return tokensOf(db).countDocuments({ user });
}

/** Revokes one of the user's tokens; false when the user has no token with this id. */
export async function revokeAccessToken(db: Db, user: ObjectId, id: ObjectId): Promise<boolean> {
  return (await tokensOf(db).deleteOne({ _id: id, user })).deletedCount === 1;
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
  const found = await tokensOf(db).findOne({ tokenHash: tokenHash(token) });
  if (!found || (found.expires && found.expires.getTime() <= now.getTime())) return null;
  if (!found.lastUsed || now.getTime() - found.lastUsed.getTime() >= LAST_USED_RESOLUTION_MS) {
    // a plain $set of a time: two requests racing here both write about the same value
    await tokensOf(db).updateOne({ _id: found._id }, { $set: { lastUsed: now } });
    found.lastUsed = now;
  }
  return found;
}
