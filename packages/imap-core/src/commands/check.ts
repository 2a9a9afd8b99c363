// CHECK (RFC 3501 6.4.1): our store has no checkpoint to make; acts as NOOP.
import { SELECTED_STATE, ok, type CommandHandler } from '../command-handler.js';
import type { NoArgumentCommand } from '../parser/types.js';

/** Completes at once; pending changes are reported after it like after NOOP. */
export const check: CommandHandler<NoArgumentCommand> = {
  states: SELECTED_STATE,
  async handle() {
    return ok('CHECK completed');
  },
};
