// The access-list commands of RFC 4314 (section 3): SETACL, DELETEACL, GETACL, LISTRIGHTS and
// MYRIGHTS. The store keeps the lists and checks who may see or change them; here the rights are
// read and written as text, with the obsolete `c` and `d` rights of RFC 2086 (acl-rights.ts).
// A backend without access lists gets BAD, as for any command the server does not have.
import {
  AUTHENTICATED_STATES,
  bad,
  ok,
  type CommandHandler,
  type CommandSession,
  type TaggedResult,
} from '../command-handler.js';
import type { ImapBackend, ImapUser } from '../backend.js';
import { listRightsWithVirtual, parseModRights, withVirtualRights } from '../acl-rights.js';
import { ASTRING_CHAR } from '../parser/characters.js';
import type { AclIdentifierCommand, AclMailboxCommand, SetAclCommand } from '../parser/types.js';
import { aclFailure } from '../response-codes.js';
import { atom, mailbox, type ImapValue } from '../writer/index.js';

/** The ACL methods of a backend that has all of them. */
type AclBackend = Required<Pick<ImapBackend, 'getAcl' | 'setAcl' | 'deleteAcl' | 'listRights' | 'myRights'>>;

/** True when the backend keeps access lists, so ACL and RIGHTS= are announced. */
export function supportsAcl(backend: ImapBackend): backend is ImapBackend & AclBackend {
  return (
    typeof backend.getAcl === 'function' &&
    typeof backend.setAcl === 'function' &&
    typeof backend.deleteAcl === 'function' &&
    typeof backend.listRights === 'function' &&
    typeof backend.myRights === 'function'
  );
}

/** Runs `run` with the user and the ACL backend, or answers why it cannot. */
async function withAcl(
  session: CommandSession,
  name: string,
  run: (backend: AclBackend, user: ImapUser) => Promise<TaggedResult>,
): Promise<TaggedResult> {
  const { backend, user } = session;
  if (!supportsAcl(backend)) return bad(`Unknown command ${name}`);
  if (!user) return bad('Not logged in');
  return run(backend, user);
}

/** SETACL: changes an identifier's rights (`+` adds, `-` removes, no sign replaces). */
export const setAcl: CommandHandler<SetAclCommand> = {
  states: AUTHENTICATED_STATES,
  handle: (session, command) =>
    withAcl(session, command.name, async (backend, user) => {
      const parsed = parseModRights(command.modRights);
      if (!parsed.ok) return bad(parsed.reason);
      const result = await backend.setAcl(user, command.mailbox, command.identifier, parsed.change);
      return result.ok ? ok('SETACL completed') : aclFailure(result);
    }),
};

/** DELETEACL: removes an identifier from the access list. */
export const deleteAcl: CommandHandler<AclIdentifierCommand> = {
  states: AUTHENTICATED_STATES,
  handle: (session, command) =>
    withAcl(session, command.name, async (backend, user) => {
      const result = await backend.deleteAcl(user, command.mailbox, command.identifier);
      return result.ok ? ok('DELETEACL completed') : aclFailure(result);
    }),
};

/** GETACL: `* ACL mailbox identifier rights ...`. */
export const getAcl: CommandHandler<AclMailboxCommand> = {
  states: AUTHENTICATED_STATES,
  handle: (session, command) =>
    withAcl(session, command.name, async (backend, user) => {
      const entries = await backend.getAcl(user, command.mailbox);
      if ('ok' in entries) return aclFailure(entries);
      const pairs = entries.flatMap((entry) => [
        astring(entry.identifier),
        astring(withVirtualRights(entry.rights)),
      ]);
      await session.untagged(atom('ACL'), mailbox(command.mailbox), ...pairs);
      return ok('GETACL completed');
    }),
};

/** LISTRIGHTS: `* LISTRIGHTS mailbox identifier required optional ...`, the identifier as sent. */
export const listRights: CommandHandler<AclIdentifierCommand> = {
  states: AUTHENTICATED_STATES,
  handle: (session, command) =>
    withAcl(session, command.name, async (backend, user) => {
      const list = await backend.listRights(user, command.mailbox, command.identifier);
      if ('ok' in list) return aclFailure(list);
      const { required, optional } = listRightsWithVirtual(list);
      await session.untagged(
        atom('LISTRIGHTS'),
        mailbox(command.mailbox),
        astring(command.identifier),
        astring(required),
        ...optional.map(astring),
      );
      return ok('LISTRIGHTS completed');
    }),
};

/** MYRIGHTS: `* MYRIGHTS mailbox rights`. */
export const myRights: CommandHandler<AclMailboxCommand> = {
  states: AUTHENTICATED_STATES,
  handle: (session, command) =>
    withAcl(session, command.name, async (backend, user) => {
      const rights = await backend.myRights(user, command.mailbox);
      if (typeof rights !== 'string') return aclFailure(rights);
      await session.untagged(atom('MYRIGHTS'), mailbox(command.mailbox), astring(withVirtualRights(rights)));
      return ok('MYRIGHTS completed');
    }),
};

/** An astring as an atom when it can be one (as RFC 4314's examples write them), else a string. */
function astring(text: string): ImapValue {
  const bytes = Buffer.from(text, 'utf8');
  const plain = bytes.length > 0 && bytes.every((byte) => ASTRING_CHAR[byte] === 1);
  return plain && text.toUpperCase() !== 'NIL' ? atom(text) : text;
}
