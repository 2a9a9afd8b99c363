import type { Db, ObjectId } from 'mongodb';
import { accessTokens as tokenSpec, validateDocument } from '@wildduck/schema';
import { StoreError } from './errors.js';

/** What a personal access token may do (the schema's enum of `scopes`). */
export type AccessTokenScope = 'read' | 'write' | 'send' | 'subscribe';

/** A personal access token as stored: never the secret, only its hash. */
export interface AccessTokenDocument {
  _id: ObjectId;
  tokenHash: string;
  user: ObjectId;
  name: string;
  scopes: AccessTokenScope[];
  created: Date;
  /** null: never expires. */
  expires: Date | null;
  lastUsed: Date | null;
}

const tokensOf = (db: Db) => db.collection<AccessTokenDocument>('accessTokens');

/** Stores a new token. */
export async function insertAccessToken(db: Db, accessToken: AccessTokenDocument): Promise<void> {
  const problems = validateDocument(tokenSpec.validator!, accessToken);
  if (problems.length)
    throw new StoreError('INVALID_DOCUMENT', `Invalid access token document: ${problems.join('; ')}`);
  await tokensOf(db).insertOne(accessToken);
}

/** The user's tokens, oldest first, expired ones included. */
export async function listUserAccessTokens(db: Db, user: ObjectId): Promise<AccessTokenDocument[]> {
  return tokensOf(db).find({ user }).sort({ created: 1, _id: 1 }).toArray();
}

/** How many tokens the user holds. */
export async function countUserAccessTokens(db: Db, user: ObjectId): Promise<number> {
  return tokensOf(db).countDocuments({ user });
}

/** Deletes one of the user's tokens; false when the user has no token with this id. */
export async function deleteUserAccessToken(db: Db, user: ObjectId, id: ObjectId): Promise<boolean> {
  return (await tokensOf(db).deleteOne({ _id: id, user })).deletedCount === 1;
}

/** The token with this hash, expired or not, or null. */
export async function findAccessTokenByHash(db: Db, tokenHash: string): Promise<AccessTokenDocument | null> {
  return tokensOf(db).findOne({ tokenHash });
}

/** Notes when a token was last used. */
export async function noteAccessTokenUse(db: Db, id: ObjectId, when: Date): Promise<void> {
  // a plain $set of a time: two requests racing here both write about the same value
  await tokensOf(db).updateOne({ _id: id }, { $set: { lastUsed: when } });
}
