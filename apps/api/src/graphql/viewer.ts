import type { ObjectId } from 'mongodb';
import type { Scope } from '../auth/scopes.js';
import { forbidden, unauthenticated } from './errors.js';

/** Who is calling. */
export type Viewer =
  /** A user, by session token or personal access token. */
  | {
      kind: 'user';
      userId: ObjectId;
      address: string;
      role: 'user' | 'admin';
      scopes: ReadonlySet<Scope>;
      /** The session or access token id (signOut ends this one). */
      credentialId: ObjectId;
      credential: 'session' | 'token';
    }
  /** A server-to-server call with the API_TOKEN: an administrator with no mailbox of its own. */
  | { kind: 'server' };

/** The signed-in user with the scope, or an UNAUTHENTICATED / FORBIDDEN error. */
export function requireUser(viewer: Viewer | null, scope: Scope): Extract<Viewer, { kind: 'user' }> {
  if (!viewer) throw unauthenticated();
  if (viewer.kind !== 'user') throw forbidden('This call needs a user token, not the API token');
  if (!viewer.scopes.has(scope)) throw forbidden(`This token lacks the ${scope} scope`);
  return viewer;
}

/** An administrator (role admin with a session, or the API token), or an error. */
export function requireAdmin(viewer: Viewer | null): void {
  if (!viewer) throw unauthenticated();
  if (viewer.kind === 'server') return;
  if (viewer.role !== 'admin') throw forbidden('This call is for administrators');
  if (viewer.credential === 'token') throw forbidden('Personal access tokens cannot make admin calls');
}
