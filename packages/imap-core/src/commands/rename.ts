// RENAME (RFC 3501 6.3.5). Our semantics: children are renamed with their parent (`A/x` follows
// `A` to `B/x`); missing parents of the new name are created; renaming INBOX moves all its
// messages into a new mailbox of the new name and leaves INBOX in place, empty.
import { AUTHENTICATED_STATES, bad, no, ok, type CommandHandler } from '../command-handler.js';
import type { RenameCommand } from '../parser/types.js';
import { mailboxFailure } from '../response-codes.js';
import { isValidPath } from './create.js';

/** Renames a mailbox with its children. */
export const rename: CommandHandler<RenameCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    if (!isValidPath(command.newMailbox)) return bad('Invalid new mailbox name');
    if (command.newMailbox === 'INBOX') return no('INBOX already exists', 'ALREADYEXISTS');
    const result = await session.backend.renameMailbox(user, command.mailbox, command.newMailbox);
    if (!result.ok) return mailboxFailure(result.code);
    const selected = session.selected;
    if (selected && command.mailbox !== 'INBOX') {
      if (selected.path === command.mailbox) selected.path = command.newMailbox;
      else if (selected.path.startsWith(command.mailbox + '/')) {
        selected.path = command.newMailbox + selected.path.slice(command.mailbox.length);
      }
    }
    return ok('RENAME completed');
  },
};
