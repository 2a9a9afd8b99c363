// UNAUTHENTICATE (RFC 8437): back to the not-authenticated state on the same connection, as if it
// were new, apart from TLS and COMPRESS: the mailbox is closed without expunging, the user and
// everything ENABLEd are forgotten, and the capability list is again the one before login.
import { AUTHENTICATED_STATES, ok, type CommandHandler } from '../command-handler.js';
import type { NoArgumentCommand } from '../parser/types.js';

/** Forgets the logged-in user. */
export const unauthenticate: CommandHandler<NoArgumentCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session) {
    session.unauthenticate();
    return ok('UNAUTHENTICATE completed');
  },
};
