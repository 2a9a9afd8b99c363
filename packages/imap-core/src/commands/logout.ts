// LOGOUT (RFC 3501 6.1.3): `* BYE`, tagged OK, then the server closes the connection.
import { ANY_STATE, ok, type CommandHandler } from '../command-handler.js';
import type { NoArgumentCommand } from '../parser/types.js';

/** Ends the session. */
export const logout: CommandHandler<NoArgumentCommand> = {
  states: ANY_STATE,
  async handle(session) {
    await session.untaggedStatus('BYE', 'Logging out');
    session.logout();
    return ok('LOGOUT completed');
  },
};
