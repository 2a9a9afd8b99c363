// CLOSE (RFC 3501 6.4.2): expunges `\Deleted` messages silently (no EXPUNGE responses) when the
// mailbox is writable, then leaves the selected state. Without the right to expunge (RFC 4314
// `e`) the store answers NOPERM, which CLOSE ignores: it still closes and answers OK (RFC 4314 4).
import { SELECTED_STATE, ok, type CommandHandler } from '../command-handler.js';
import type { NoArgumentCommand } from '../parser/types.js';

/** Closes the selected mailbox. */
export const close: CommandHandler<NoArgumentCommand> = {
  states: SELECTED_STATE,
  async handle(session) {
    const { user, selected } = session;
    session.unselect();
    if (user && selected && !selected.readOnly) await session.backend.expunge(user, selected.id);
    return ok('CLOSE completed');
  },
};
