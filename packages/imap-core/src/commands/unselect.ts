// UNSELECT (RFC 3691): leaves the selected state without expunging anything.
import { SELECTED_STATE, ok, type CommandHandler } from '../command-handler.js';
import type { NoArgumentCommand } from '../parser/types.js';

/** Deselects the mailbox. */
export const unselect: CommandHandler<NoArgumentCommand> = {
  states: SELECTED_STATE,
  async handle(session) {
    session.unselect();
    return ok('UNSELECT completed');
  },
};
