// STORE and UID STORE (RFC 3501 6.4.6), with UNCHANGEDSINCE and the MODIFIED code (RFC 7162
// 3.1.3). The new flags are sent as FETCH unless .SILENT; under CONDSTORE they carry MODSEQ,
// and a silent STORE still reports the new MODSEQ of each changed message.
import { SELECTED_STATE, bad, no, ok, type CommandHandler } from '../command-handler.js';
import { announceNewFlags } from '../flag-announcement.js';
import type { StoreCommand } from '../parser/types.js';
import { noPermission } from '../response-codes.js';
import { uidsForSet } from '../sequence-set.js';
import { atom, modifiedCode, type ImapValue } from '../writer/index.js';

/** Changes flags. */
export const store: CommandHandler<StoreCommand> = {
  states: SELECTED_STATE,
  async handle(session, command) {
    const { user, selected } = session;
    if (!user || !selected) return bad('No mailbox selected');
    if (selected.readOnly) return no('Mailbox is read-only', 'READ-ONLY');
    if (command.unchangedSince !== null) session.enable('CONDSTORE');
    const uids = uidsForSet(command.sequenceSet, command.uid, selected);
    if (uids.length === 0) return ok('STORE completed');
    const result = await session.backend.store(user, selected.id, uids, {
      action: command.operation === 'set' ? 'replace' : command.operation,
      flags: command.flags.filter((flag) => flag.toLowerCase() !== '\\recent'),
      ...(command.unchangedSince !== null ? { unchangedSince: command.unchangedSince } : {}),
    });
    // RFC 4314 4: the user may change none of these flags in this (shared) mailbox
    if ('ok' in result) return noPermission();
    const condstore = session.isEnabled('CONDSTORE');
    for (const update of result.updated) {
      if (update.changed) selected.noteReportedFlags(update.uid, update.modseq);
      const sequence = selected.sequenceOf(update.uid);
      if (!sequence) continue;
      const items: ImapValue[] = command.uid ? [atom('UID'), update.uid] : [];
      if (command.silent) {
        // RFC 7162 3.1.3: .SILENT still tells a CONDSTORE client the new MODSEQ, without FLAGS.
        if (!condstore || !update.changed) continue;
      } else {
        await announceNewFlags(session, selected, update.flags);
        items.push(atom('FLAGS'), update.flags.map(atom));
      }
      if (condstore) items.push(atom('MODSEQ'), [update.modseq]);
      await session.untagged(sequence, atom('FETCH'), items);
    }
    if (result.modified.length) {
      const numbers = command.uid ? result.modified : result.modified.map((uid) => selected.sequenceOf(uid));
      return ok('Conditional STORE failed for some messages', modifiedCode(numbers));
    }
    return ok('STORE completed');
  },
};
