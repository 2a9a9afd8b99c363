// COPY (RFC 3501 6.4.7) and MOVE (RFC 6851), with COPYUID (RFC 4315). For MOVE the COPYUID
// goes in an untagged OK before the expunges, which the session reports from the journal.
import { SELECTED_STATE, bad, no, ok, type CommandHandler } from '../command-handler.js';
import type { CopyCommand } from '../parser/types.js';
import { transferFailure } from '../response-codes.js';
import { uidsForSet } from '../sequence-set.js';
import { copyUidCode } from '../writer/index.js';

/** Copies or moves messages to another mailbox. */
export const copy: CommandHandler<CopyCommand> = {
  states: SELECTED_STATE,
  async handle(session, command) {
    const { user, selected } = session;
    if (!user || !selected) return bad('No mailbox selected');
    const moving = command.name === 'MOVE';
    if (moving && selected.readOnly) return no('Mailbox is read-only', 'READ-ONLY');
    const uids = uidsForSet(command.sequenceSet, command.uid, selected);
    if (uids.length === 0) return ok(`${command.name} completed; no messages matched`);
    const result = moving
      ? await session.backend.move(user, selected.id, uids, command.mailbox)
      : await session.backend.copy(user, selected.id, uids, command.mailbox);
    if (!result.ok) return transferFailure(result.code);
    if (result.mapping.length === 0) return ok(`${command.name} completed; the messages were already gone`);
    const code = copyUidCode(
      result.uidValidity,
      result.mapping.map(([source]) => source),
      result.mapping.map(([, destination]) => destination),
    );
    if (!moving) return ok('COPY completed', code);
    await session.untaggedStatus('OK', 'Moved', code);
    return ok('MOVE completed');
  },
};
