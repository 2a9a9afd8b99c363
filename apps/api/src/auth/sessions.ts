import { ObjectId, type Db } from 'mongodb';
import { SESSION_LIFETIME_SECONDS } from '@wildduck/schema';
import { deleteSession, findLiveSession, insertSession, type SessionDocument } from '@wildduck/store';
import { newSecret, tokenHash } from './secrets.js';

/**
 * Starts a session for a user: answers the token (shown once) and its expiry. The user's expired
 * sessions are deleted on the way (FerretDB has no TTL indexes).
 */
export async function createSession(
  db: Db,
  user: ObjectId,
  remoteAddress: string | null,
  now = new Date(),
  client?: 'web' | 'api',
): Promise<{ token: string; session: SessionDocument }> {
  const token = newSecret();
  const session: SessionDocument = {
    _id: new ObjectId(),
    tokenHash: tokenHash(token),
    user,
    created: now,
    expires: new Date(now.getTime() + SESSION_LIFETIME_SECONDS * 1000),
    remoteAddress: remoteAddress ? remoteAddress.slice(0, 64) : null,
    // shown to administrators (userDetail sessions)
    ...(client ? { client } : {}),
  };
  await insertSession(db, session);
  return { token, session };
}

/** The live session of a token, or null (unknown, ended or expired). */
export async function findSession(db: Db, token: string, now = new Date()): Promise<SessionDocument | null> {
  return findLiveSession(db, tokenHash(token), now);
}

/** Ends one session; true when it was still there. */
export async function endSession(db: Db, id: ObjectId): Promise<boolean> {
  return deleteSession(db, id);
}
