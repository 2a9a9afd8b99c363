// SUBSCRIBE and UNSUBSCRIBE (RFC 3501 6.3.6-7). Unsubscribing a name that no longer exists
// succeeds, so a client can clean up after a mailbox was deleted elsewhere.
import { AUTHENTICATED_STATES, bad, ok, type CommandHandler } from '../command-handler.js';
import type { MailboxCommand } from '../parser/types.js';
import { mailboxFailure } from '../response-codes.js';

/** Adds a mailbox to, or removes it from, the subscription list. */
export const subscribe: CommandHandler<MailboxCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    const subscribing = command.name === 'SUBSCRIBE';
    const result = await session.backend.setSubscribed(user, command.mailbox, subscribing);
    if (!result.ok && (subscribing || result.code !== 'NONEXISTENT')) return mailboxFailure(result.code);
    return ok(`${command.name} completed`);
  },
};
