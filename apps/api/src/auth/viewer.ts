import type { ObjectId } from 'mongodb';
import type { Scope } from './scopes.js';

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

/** A signed-in user. */
export type UserViewer = Extract<Viewer, { kind: 'user' }>;

/** Why a call was refused: no valid credential at all, or one without the right; each transport words it. */
export interface AccessRefusal {
  code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  message: string;
}

const SIGN_IN_FIRST: AccessRefusal = {
  code: 'UNAUTHENTICATED',
  message: 'Sign in first: send Authorization: Bearer <token>',
};
const forbidden = (message: string): AccessRefusal => ({ code: 'FORBIDDEN', message });

/** The signed-in user when it has the scope, else why not. */
export function userAccess(
  viewer: Viewer | null,
  scope: Scope,
): { ok: true; user: UserViewer } | { ok: false; refusal: AccessRefusal } {
  if (!viewer) return { ok: false, refusal: SIGN_IN_FIRST };
  if (viewer.kind !== 'user')
    return { ok: false, refusal: forbidden('This call needs a user token, not the API token') };
  if (!viewer.scopes.has(scope))
    return { ok: false, refusal: forbidden(`This token lacks the ${scope} scope`) };
  return { ok: true, user: viewer };
}

/** Null for an administrator (role admin with a session, or the API token), else why not. */
export function adminAccess(viewer: Viewer | null): AccessRefusal | null {
  if (!viewer) return SIGN_IN_FIRST;
  if (viewer.kind === 'server') return null;
  if (viewer.role !== 'admin') return forbidden('This call is for administrators');
  if (viewer.credential === 'token') return forbidden('Personal access tokens cannot make admin calls');
  return null;
}
