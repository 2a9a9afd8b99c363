import type { Scope } from '../auth/scopes.js';
import { adminAccess, userAccess, type AccessRefusal, type UserViewer, type Viewer } from '../auth/viewer.js';
import { forbidden, unauthenticated } from './errors.js';

export type { Viewer } from '../auth/viewer.js';

/** A refusal as the GraphQL error of its code. */
const refused = (refusal: AccessRefusal) =>
  refusal.code === 'UNAUTHENTICATED' ? unauthenticated(refusal.message) : forbidden(refusal.message);

/** The signed-in user with the scope, or an UNAUTHENTICATED / FORBIDDEN error. */
export function requireUser(viewer: Viewer | null, scope: Scope): UserViewer {
  const access = userAccess(viewer, scope);
  if (!access.ok) throw refused(access.refusal);
  return access.user;
}

/** An administrator (role admin with a session, or the API token), or an error. */
export function requireAdmin(viewer: Viewer | null): void {
  const refusal = adminAccess(viewer);
  if (refusal) throw refused(refusal);
}
