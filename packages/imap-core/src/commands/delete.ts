// DELETE (RFC 3501 6.3.4): INBOX and mailboxes with children cannot be deleted (the store says
// CANNOT), so every listed mailbox always has a real parent.
import { AUTHENTICATED_STATES, bad, no, ok, type CommandHandler } from '../command-handler.js';
import type { MailboxCommand } from '../parser/types.js';
import { mailboxFailure } from '../response-codes.js';

/** Deletes a mailbox and its messages. */
export const deleteMailbox: CommandHandler<MailboxCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    if (command.mailbox === 'INBOX') return no('INBOX cannot be deleted', 'CANNOT');
    if (session.selected?.path === command.mailbox)
      return no('Close the mailbox before deleting it', 'INUSE');
    const result = await session.backend.deleteMailbox(user, command.mailbox);
    return result.ok ? ok('DELETE completed') : mailboxFailure(result.code);
  },
};
