// NAMESPACE (RFC 2342): the backend's namespaces when it has them (e.g. `Other Users/` for
// mailboxes shared by others, RFC 4314), else one personal namespace with prefix "" and
// delimiter "/", since users then only ever see their own mailboxes.
import { AUTHENTICATED_STATES, bad, ok, type CommandHandler } from '../command-handler.js';
import { MAILBOX_DELIMITER, type Namespace } from '../backend.js';
import type { NoArgumentCommand } from '../parser/types.js';
import { atom, mailbox, type ImapValue } from '../writer/index.js';

/** Answers `* NAMESPACE personal other-users shared`, each a list of (prefix delimiter) or NIL. */
export const namespace: CommandHandler<NoArgumentCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    const namespaces = session.backend.namespaces?.(user) ?? {
      personal: [{ prefix: '', delimiter: MAILBOX_DELIMITER }],
      otherUsers: [],
      shared: [],
    };
    await session.untagged(
      atom('NAMESPACE'),
      namespaceList(namespaces.personal),
      namespaceList(namespaces.otherUsers),
      namespaceList(namespaces.shared),
    );
    return ok('NAMESPACE completed');
  },
};

/** `(("prefix" "delimiter") ...)`, the prefix encoded as a mailbox name; NIL when empty. */
function namespaceList(namespaces: readonly Namespace[]): ImapValue {
  if (namespaces.length === 0) return null;
  return namespaces.map((space) => [mailbox(space.prefix), space.delimiter]);
}
