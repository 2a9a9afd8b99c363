import { timingSafeEqual } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';
import { findUserStanding, type UserDocument } from '@wildduck/store';
import { findAccessToken } from './access-tokens.js';
import { ALL_SCOPES, type Scope } from './scopes.js';
import { ACCESS_TOKEN_PREFIX } from './secrets.js';
import { findSession } from './sessions.js';
import type { Viewer } from './viewer.js';

/** What telling who a token belongs to needs. */
export interface CredentialStore {
  db: Db;
  /** The server's API_TOKEN (acts as an administrator), when set. */
  apiToken: string | undefined;
}

/**
 * Who a bearer token belongs to: the API token (an administrator), a session, or a personal
 * access token; null when it is none of them (or expired, or revoked).
 */
export async function resolveViewer(services: CredentialStore, token: string | null): Promise<Viewer | null> {
  if (!token) return null;
  if (services.apiToken && sameSecret(token, services.apiToken)) return { kind: 'server' };
  if (token.length > 200) return null;
  if (token.startsWith(ACCESS_TOKEN_PREFIX)) {
    const accessToken = await findAccessToken(services.db, token);
    if (!accessToken) return null;
    return signedInAs(services.db, accessToken.user, 'token', accessToken._id, accessToken.scopes);
  }
  const session = await findSession(services.db, token);
  if (!session) return null;
  // a session may do all a user may
  return signedInAs(services.db, session.user, 'session', session._id, ALL_SCOPES);
}

/** The viewer of a session or access token, unless its user was deleted or disabled since. */
async function signedInAs(
  db: Db,
  userId: ObjectId,
  credential: 'session' | 'token',
  credentialId: ObjectId,
  scopes: Iterable<Scope>,
): Promise<Viewer | null> {
  const user = await activeUser(db, userId);
  if (!user) return null;
  return {
    kind: 'user',
    userId: user._id,
    address: user.address,
    role: user.role,
    scopes: new Set(scopes),
    credentialId,
    credential,
  };
}

/** The user a credential belongs to, unless it was deleted or disabled since. */
async function activeUser(
  db: Db,
  id: ObjectId,
): Promise<Pick<UserDocument, '_id' | 'address' | 'role'> | null> {
  const user = await findUserStanding(db, id);
  return user && !user.disabled ? user : null;
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
