// EXPUNGE (RFC 3501 6.4.3) and UID EXPUNGE (RFC 4315). The untagged EXPUNGE (or VANISHED)
// responses come from the change journal, which the session reports before the tagged OK.
import { SELECTED_STATE, bad, no, ok, type CommandHandler } from '../command-handler.js';
import type { ExpungeCommand } from '../parser/types.js';
import { noPermission } from '../response-codes.js';
import { uidsForSet } from '../sequence-set.js';

/** Removes `\Deleted` messages (only those in the UID set, for UID EXPUNGE). */
export const expunge: CommandHandler<ExpungeCommand> = {
  states: SELECTED_STATE,
  async handle(session, command) {
    const { user, selected } = session;
    if (!user || !selected) return bad('No mailbox selected');
    if (selected.readOnly) return no('Mailbox is read-only', 'READ-ONLY');
    const uids = command.sequenceSet ? uidsForSet(command.sequenceSet, true, selected) : undefined;
    if (uids && uids.length === 0) return ok('EXPUNGE completed');
    const expunged = await session.backend.expunge(user, selected.id, uids);
    // RFC 4314 4: EXPUNGE needs the `e` right
    if ('ok' in expunged) return noPermission();
    return ok('EXPUNGE completed');
  },
};
