// NAMESPACE (RFC 2342): one personal namespace with prefix "" and delimiter "/"; no shared or
// other users' namespaces, since users only ever see their own mailboxes.
import { AUTHENTICATED_STATES, ok, type CommandHandler } from '../command-handler.js';
import { MAILBOX_DELIMITER } from '../backend.js';
import type { NoArgumentCommand } from '../parser/types.js';
import { atom } from '../writer/index.js';

/** Answers `* NAMESPACE (("" "/")) NIL NIL`. */
export const namespace: CommandHandler<NoArgumentCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session) {
    await session.untagged(atom('NAMESPACE'), [['', MAILBOX_DELIMITER]], null, null);
    return ok('NAMESPACE completed');
  },
};
