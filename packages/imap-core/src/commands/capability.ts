// CAPABILITY (RFC 3501 6.1.1): lists what this connection offers right now.
import { ANY_STATE, ok, type CommandHandler } from '../command-handler.js';
import type { NoArgumentCommand } from '../parser/types.js';
import { atom } from '../writer/index.js';

/** Answers `* CAPABILITY ...`. */
export const capability: CommandHandler<NoArgumentCommand> = {
  states: ANY_STATE,
  async handle(session) {
    await session.untagged(atom('CAPABILITY'), ...session.capabilities().map(atom));
    return ok('CAPABILITY completed');
  },
};
