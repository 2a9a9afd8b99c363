// Access lists of the memory backend (RFC 4314), kept per mailbox: who gets which rights, and the
// paths under which a user reaches another user's mailboxes (`Other Users/<owner>/<path>`).
import type { AclChange, ListRights, Namespaces } from '../../src/backend.js';
import { MAILBOX_DELIMITER } from '../../src/backend.js';
import { STANDARD_RIGHTS, canonicalRights } from '../../src/acl-rights.js';

/** The prefix of other users' mailboxes. */
export const OTHER_USERS = 'Other Users/';

/** Every right: what an owner has on their own mailboxes. */
export const ALL_RIGHTS = STANDARD_RIGHTS;

/** The special identifiers of RFC 4314 2. */
const SPECIAL_IDENTIFIERS = new Set(['anyone', 'authenticated']);

/** The namespaces the memory backend answers: personal, other users', no shared folders. */
export const MEMORY_NAMESPACES: Namespaces = {
  personal: [{ prefix: '', delimiter: MAILBOX_DELIMITER }],
  otherUsers: [{ prefix: OTHER_USERS, delimiter: MAILBOX_DELIMITER }],
  shared: [],
};

/** A shared path split into its owner's name and the owner's own path, or null. */
export function splitSharedPath(path: string): { owner: string; path: string } | null {
  if (!path.startsWith(OTHER_USERS)) return null;
  const rest = path.slice(OTHER_USERS.length);
  const slash = rest.indexOf(MAILBOX_DELIMITER);
  if (slash <= 0 || slash === rest.length - 1) return null;
  return { owner: rest.slice(0, slash), path: rest.slice(slash + 1) };
}

/** The path another user knows an owner's mailbox by. */
export function sharedPath(owner: string, path: string): string {
  return `${OTHER_USERS}${owner}${MAILBOX_DELIMITER}${path}`;
}

/** The rights of `username` on a mailbox (not its owner): its own entry, `anyone` and `authenticated`. */
export function rightsOf(acl: ReadonlyMap<string, string>, username: string): string {
  return canonicalRights([username, 'anyone', 'authenticated'].map((id) => acl.get(id) ?? '').join(''));
}

/** True when the user may know the mailbox exists (RFC 4314 4 MYRIGHTS, 6). */
export function canSee(rights: string): boolean {
  return [...'lrikxa'].some((right) => rights.includes(right));
}

/** Whether an identifier may get an entry: a known user (not the owner) or a special identifier. */
export function acceptsIdentifier(
  identifier: string,
  owner: string,
  users: ReadonlySet<string>,
): string | null {
  if (identifier === owner) return "The owner's rights cannot be changed";
  if (!users.has(identifier) && !SPECIAL_IDENTIFIERS.has(identifier))
    return `No such identifier ${identifier}`;
  return null;
}

/** An identifier's rights after a SETACL change. */
export function applyAclChange(current: string, change: AclChange): string {
  if (change.mode === 'replace') return canonicalRights(change.rights);
  if (change.mode === 'add') return canonicalRights(current + change.rights);
  return [...current].filter((right) => !change.rights.includes(right)).join('');
}

/**
 * LISTRIGHTS of the memory backend: the owner always has every right; anyone else may get each
 * right on its own, except that `anyone` and `authenticated` never administer.
 */
export function listRightsFor(identifier: string, owner: string): ListRights {
  if (identifier === owner) return { required: ALL_RIGHTS, optional: [] };
  const grantable = SPECIAL_IDENTIFIERS.has(identifier) ? ALL_RIGHTS.replace('a', '') : ALL_RIGHTS;
  return { required: '', optional: [...grantable] };
}
