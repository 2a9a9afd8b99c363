// NOOP (RFC 3501 6.1.2): does nothing; the session reports pending mailbox changes after it.
import { ANY_STATE, ok, type CommandHandler } from '../command-handler.js';
import type { NoArgumentCommand } from '../parser/types.js';

/** Lets the client poll for changes. */
export const noop: CommandHandler<NoArgumentCommand> = {
  states: ANY_STATE,
  async handle() {
    return ok('NOOP completed');
  },
};
