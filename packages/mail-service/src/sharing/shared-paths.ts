/**
 * The names other users' mailboxes go by (RFC 2342 namespaces): `Other Users/<owner>/<path>` for a
 * mailbox shared with the user by name, `Shared Folders/<owner>/<path>` for one shared with a group
 * (`anyone`, `authenticated`). The owner is named by address, so the name says whose mail it is.
 * Every interface (IMAP, GraphQL) uses these names; the store knows mailboxes by owner and path.
 */

/** The prefix of mailboxes shared with the user by name. */
export const OTHER_USERS_NAMESPACE = 'Other Users';
/** The prefix of mailboxes shared with every user (a group grant). */
export const SHARED_FOLDERS_NAMESPACE = 'Shared Folders';

export type SharedNamespace = typeof OTHER_USERS_NAMESPACE | typeof SHARED_FOLDERS_NAMESPACE;

/** A name under one of the shared namespaces, taken apart. */
export interface SharedName {
  namespace: SharedNamespace;
  /** The owner's address (lower case). */
  owner: string;
  /** The owner's own path of the mailbox; '' for the owner's level itself. */
  path: string;
}

/** The name a user knows another user's mailbox by. */
export function sharedMailboxName(namespace: SharedNamespace, owner: string, path: string): string {
  return `${namespace}/${owner}/${path}`;
}

/** Takes a shared name apart; null when the name is a personal one. */
export function parseSharedName(name: string): SharedName | null {
  for (const namespace of [OTHER_USERS_NAMESPACE, SHARED_FOLDERS_NAMESPACE] as const) {
    if (name === namespace) return { namespace, owner: '', path: '' };
    if (!name.startsWith(`${namespace}/`)) continue;
    const rest = name.slice(namespace.length + 1);
    const slash = rest.indexOf('/');
    if (slash < 0) return { namespace, owner: rest.toLowerCase(), path: '' };
    return { namespace, owner: rest.slice(0, slash).toLowerCase(), path: rest.slice(slash + 1) };
  }
  return null;
}

/** True when a name is under a shared namespace (a user may not create personal mailboxes there). */
export function isSharedName(name: string): boolean {
  return parseSharedName(name) !== null;
}
