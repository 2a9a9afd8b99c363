// APPEND (RFC 3501 6.3.11) with MULTIAPPEND (RFC 3502: all messages or none), APPENDUID
// (RFC 4315), APPENDLIMIT (RFC 7889), the UTF8 data extension (RFC 6855 3.4) and literal8
// message data (RFC 3516 4.4: BINARY lets a message hold NUL).
import { Readable } from 'node:stream';
import { AUTHENTICATED_STATES, bad, no, ok, type CommandHandler } from '../command-handler.js';
import type { AppendRequest } from '../backend.js';
import type { AppendCommand } from '../parser/types.js';
import { transferFailure } from '../response-codes.js';
import { appendUidCode } from '../writer/index.js';

/** Adds messages to a mailbox. */
export const append: CommandHandler<AppendCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    const requests: AppendRequest[] = [];
    for (const message of command.messages) {
      if (message.utf8 && !session.isEnabled('UTF8=ACCEPT'))
        return bad('Enable UTF8=ACCEPT before APPEND UTF8');
      if (message.content.length > session.options.appendLimit) {
        return no(`Message is larger than the APPENDLIMIT of ${session.options.appendLimit} bytes`, 'TOOBIG');
      }
      if (message.content.length === 0) return bad('Empty message');
      requests.push({
        flags: message.flags.filter((flag) => flag.toLowerCase() !== '\\recent'),
        ...(message.internalDate ? { internalDate: message.internalDate } : {}),
        message: Readable.from([message.content]),
        size: message.content.length,
      });
    }
    const result = await session.backend.append(user, command.mailbox, requests);
    if (!result.ok) return transferFailure(result.code);
    return ok('APPEND completed', appendUidCode(result.uidValidity, result.uids));
  },
};
