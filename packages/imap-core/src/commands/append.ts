// APPEND (RFC 3501 6.3.11) with MULTIAPPEND (RFC 3502: all messages or none), APPENDUID
// (RFC 4315), APPENDLIMIT (RFC 7889), the UTF8 data extension (RFC 6855 3.4) and literal8
// message data (RFC 3516 4.4: BINARY lets a message hold NUL). Messages are streamed: the
// session hands a message literal to the store while it arrives (append-input.ts), each checked
// against APPENDLIMIT before its first byte is read.
import { Readable } from 'node:stream';
import {
  AUTHENTICATED_STATES,
  bad,
  no,
  ok,
  type CommandHandler,
  type CommandSession,
} from '../command-handler.js';
import { AppendRefusal, type IncomingAppendMessage, type StreamedAppendInput } from '../append-input.js';
import type { AppendRequest, ImapUser } from '../backend.js';
import { badUrlCode, catenate } from '../catenate.js';
import type { AppendCommand } from '../parser/types.js';
import { transferFailure } from '../response-codes.js';
import { appendUidCode } from '../writer/index.js';

/** An APPEND whose messages are still arriving: the session attaches their source. */
export interface StreamedAppendCommand extends AppendCommand {
  input: StreamedAppendInput;
}

/** Adds messages to a mailbox. */
export const append: CommandHandler<AppendCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    const input = (command as Partial<StreamedAppendCommand>).input;
    try {
      const result = await session.backend.append(
        user,
        command.mailbox,
        appendRequests(session, user, input ?? command.messages),
      );
      if (!result.ok) return transferFailure(result.code);
      return ok('APPEND completed', appendUidCode(result.uidValidity, result.uids));
    } catch (error) {
      if (error instanceof AppendRefusal) return error.result;
      throw error;
    } finally {
      // whatever the store did not read of the command is thrown away as it arrives
      input?.abandon();
    }
  },
};

/** The store's requests, each message checked before the store reads a byte of it. */
async function* appendRequests(
  session: CommandSession,
  user: ImapUser,
  messages: AsyncIterable<IncomingAppendMessage> | readonly IncomingAppendMessage[],
): AsyncGenerator<AppendRequest> {
  for await (const message of messages) {
    if (message.utf8 && !session.isEnabled('UTF8=ACCEPT'))
      throw new AppendRefusal(bad('Enable UTF8=ACCEPT before APPEND UTF8'));
    // CATENATE (RFC 4469): every URL is followed before the store reads the first byte
    const composed = message.catenate ? await catenate(session, user, message.catenate) : null;
    if (composed && 'badUrl' in composed)
      throw new AppendRefusal(no('CATENATE URL names nothing this user has', badUrlCode(composed.badUrl)));
    const size = composed ? composed.size : message.stream ? message.size : message.content.length;
    const limit = session.options.appendLimit;
    if (size > limit)
      throw new AppendRefusal(no(`Message is larger than the APPENDLIMIT of ${limit} bytes`, 'TOOBIG'));
    // RFC 3501 gives no meaning to an empty message: refused, nothing stored
    if (size === 0) throw new AppendRefusal(no('An empty message cannot be appended'));
    yield {
      flags: message.flags.filter((flag) => flag.toLowerCase() !== '\\recent'),
      ...(message.internalDate ? { internalDate: message.internalDate } : {}),
      message: composed ? composed.open() : (message.stream ?? Readable.from([message.content])),
      size,
    };
  }
}
