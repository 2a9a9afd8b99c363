// LSUB (RFC 3501 6.3.9): the subscribed mailboxes matching the pattern.
import { AUTHENTICATED_STATES, bad, ok, type CommandHandler } from '../command-handler.js';
import { MAILBOX_DELIMITER } from '../backend.js';
import { compileListPattern } from '../list-pattern.js';
import { sortForListing } from './list.js';
import type { LsubCommand } from '../parser/types.js';
import { atom, mailbox as mailboxName } from '../writer/index.js';

/** Lists subscriptions. */
export const lsub: CommandHandler<LsubCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    if (command.pattern === null) return ok('LSUB completed');
    const matches = compileListPattern(command.reference, command.pattern);
    for (const mailbox of sortForListing(await session.backend.listMailboxes(user))) {
      if (!mailbox.subscribed || !matches(mailbox.path)) continue;
      const attributes = mailbox.specialUse ? [atom(mailbox.specialUse)] : [];
      await session.untagged(atom('LSUB'), attributes, MAILBOX_DELIMITER, mailboxName(mailbox.path));
    }
    return ok('LSUB completed');
  },
};
