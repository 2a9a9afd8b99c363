import type { Db, ObjectId } from 'mongodb';
import { sessions as sessionSpec, validateDocument } from '@wildduck/schema';
import { StoreError } from './errors.js';

/** An API sign-in session as stored: never the token, only its hash. */
export interface SessionDocument {
  _id: ObjectId;
  tokenHash: string;
  user: ObjectId;
  created: Date;
  expires: Date;
  remoteAddress: string | null;
  /** Who signed in: the web console or an API client (older sessions have none). */
  client?: 'web' | 'api';
}

const sessionsOf = (db: Db) => db.collection<SessionDocument>('sessions');

/**
 * Stores a new session, after deleting the user's expired ones (FerretDB has no TTL indexes, so
 * starting a session is where they go).
 */
export async function insertSession(db: Db, session: SessionDocument): Promise<void> {
  const problems = validateDocument(sessionSpec.validator!, session);
  if (problems.length)
    throw new StoreError('INVALID_DOCUMENT', `Invalid session document: ${problems.join('; ')}`);
  await sessionsOf(db).deleteMany({ user: session.user, expires: { $lte: session.created } });
  await sessionsOf(db).insertOne(session);
}

/** The session with this token hash that has not expired by `now`, or null. */
export async function findLiveSession(db: Db, tokenHash: string, now: Date): Promise<SessionDocument | null> {
  return sessionsOf(db).findOne({ tokenHash, expires: { $gt: now } });
}

/** Deletes one session; true when it was still there. */
export async function deleteSession(db: Db, id: ObjectId): Promise<boolean> {
  return (await sessionsOf(db).deleteOne({ _id: id })).deletedCount === 1;
}

/** The user's sessions that have not expired by `now`, newest first (one equality read on `user`). */
export async function listUserSessions(db: Db, user: ObjectId, now = new Date()): Promise<SessionDocument[]> {
  const found = await sessionsOf(db).find({ user }).toArray();
  return found
    .filter((session) => session.expires > now)
    .sort((a, b) => b.created.getTime() - a.created.getTime());
}
