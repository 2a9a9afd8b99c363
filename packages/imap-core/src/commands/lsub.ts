// LSUB (RFC 3501 6.3.9): the subscribed names matching the pattern, also those whose mailbox was
// deleted. A name the pattern matches that is not subscribed itself but has a subscribed name below
// it that the pattern leaves out (e.g. `%` and a subscribed `a/b` under an unsubscribed `a`) is
// listed with \Noselect, as RFC 3501 asks.
import { AUTHENTICATED_STATES, bad, ok, type CommandHandler } from '../command-handler.js';
import { MAILBOX_DELIMITER } from '../backend.js';
import { compileListPattern } from '../list-pattern.js';
import type { LsubCommand } from '../parser/types.js';
import { subscriptionCandidates } from '../subscription-listing.js';
import { atom, mailbox as mailboxName } from '../writer/index.js';

/** Lists subscriptions. */
export const lsub: CommandHandler<LsubCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    if (command.pattern === null) return ok('LSUB completed');
    const matches = compileListPattern(command.reference, command.pattern);
    const entries = await session.backend.listMailboxes(user);
    for (const candidate of subscriptionCandidates(entries, matches, true)) {
      const attributes = !candidate.subscribed
        ? [atom('\\Noselect')]
        : candidate.mailbox?.specialUse
          ? [atom(candidate.mailbox.specialUse)]
          : [];
      await session.untagged(atom('LSUB'), attributes, MAILBOX_DELIMITER, mailboxName(candidate.path));
    }
    return ok('LSUB completed');
  },
};
