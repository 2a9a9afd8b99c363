import { ObjectId, type Db } from 'mongodb';
import { SESSION_LIFETIME_SECONDS, sessions as sessionSpec, validateDocument } from '@wildduck/schema';
import { newSecret, tokenHash } from './secrets.js';

/** A session as stored: never the token, only its hash. */
export interface SessionDocument {
  _id: ObjectId;
  tokenHash: string;
  user: ObjectId;
  created: Date;
  expires: Date;
  remoteAddress: string | null;
}

const sessionsOf = (db: Db) => db.collection<SessionDocument>('sessions');

/**
 * Starts a session for a user: answers the token (shown once) and its expiry. The user's expired
 * sessions are deleted on the way (FerretDB has no TTL indexes).
 */
export async function createSession(
  db: Db,
  user: ObjectId,
  remoteAddress: string | null,
  now = new Date(),
): Promise<{ token: string; session: SessionDocument }> {
  const token = newSecret();
  const session: SessionDocument = {
    _id: new ObjectId(),
    tokenHash: tokenHash(token),
    user,
    created: now,
    expires: new Date(now.getTime() + SESSION_LIFETIME_SECONDS * 1000),
    remoteAddress: remoteAddress ? remoteAddress.slice(0, 64) : null,
  };
  const problems = validateDocument(sessionSpec.validator!, session);
  if (problems.length) throw new Error(`Invalid session document: ${problems.join('; ')}`);
  await sessionsOf(db).deleteMany({ user, expires: { $lte: now } });
  await sessionsOf(db).insertOne(session);
  return { token, session };
}

/** The live session of a token, or null (unknown, ended or expired). */
export async function findSession(db: Db, token: string, now = new Date()): Promise<SessionDocument | null> {
  return sessionsOf(db).findOne({ tokenHash: tokenHash(token), expires: { $gt: now } });
}

/** Ends one session; true when it was still there. */
export async function endSession(db: Db, id: ObjectId): Promise<boolean> {
  return (await sessionsOf(db).deleteOne({ _id: id })).deletedCount === 1;
}
