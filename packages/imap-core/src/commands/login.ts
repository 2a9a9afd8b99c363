// LOGIN (RFC 3501 6.2.3): refused on plaintext connections unless `allowPlaintextLogin`.
import { authenticateSession } from '../authentication.js';
import type { CommandHandler } from '../command-handler.js';
import type { LoginCommand } from '../parser/types.js';

/** Logs in with a username and password. */
export const login: CommandHandler<LoginCommand> = {
  states: ['not-authenticated'],
  async handle(session, command) {
    return authenticateSession(session, command.username, command.password, 'LOGIN');
  },
};
