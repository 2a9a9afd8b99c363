// STATUS (RFC 3501 6.3.10): counters of a mailbox; RECENT is always 0 (no `\Recent`), and
// HIGHESTMODSEQ (RFC 7162) and APPENDLIMIT (RFC 7889) are answered too.
import { AUTHENTICATED_STATES, bad, ok, type CommandHandler } from '../command-handler.js';
import type { StatusCommand } from '../parser/types.js';
import { mailboxFailure } from '../response-codes.js';
import { statusResponse, unsupportedStatusItem } from '../status-items.js';

/** Answers `* STATUS name (item value ...)`. */
export const status: CommandHandler<StatusCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    const unsupported = unsupportedStatusItem(command.items);
    if (unsupported) return bad(`STATUS item ${unsupported} is not supported`);
    if (command.items.includes('HIGHESTMODSEQ')) session.enable('CONDSTORE');
    const response = await statusResponse(session, user, command.mailbox, command.items);
    if (!Array.isArray(response)) return mailboxFailure(response.failure);
    await session.untagged(...response);
    return ok('STATUS completed');
  },
};
