/**
 * APPEND read step by step, for streaming (parser option `streamAppend`): each time a line of an
 * APPEND command ends with a message literal, the text read since the previous step is parsed up
 * to that literal, so the session can hand the message to the store while its bytes arrive
 * instead of after the whole command was buffered. MULTIAPPEND yields one step per message.
 * CATENATE messages (RFC 4469) are not streamed: their TEXT literals are framed whole as usual,
 * and the message comes complete with the step that follows it. The start of a message (flags,
 * date, CATENATE) is read here for the buffered APPEND grammar too.
 */
import { Byte, DIGIT } from './characters.js';
import { FrameCursor } from './cursor.js';
import { readDateTime } from './dates.js';
import { SyntaxFailure, fail, type CommandFrame } from './frame.js';
import { readFlagList, readMailbox } from './names.js';
import type { AppendMessage, CatenatePart, ParseError } from './types.js';

/** Where a streamed APPEND stands between steps. */
export interface AppendResume {
  tag: string;
  mailbox: string;
  /** The previous message was `UTF8 (literal8`: its `)` starts the next step's text. */
  closeUtf8: boolean;
}

/** The message whose literal is about to stream: everything but its bytes. */
export interface StreamedMessageHead {
  flags: string[];
  internalDate: Date | null;
  binary: boolean;
  utf8: boolean;
}

/** What one step read. */
export type AppendStep =
  | {
      kind: 'step';
      resume: AppendResume;
      /** Messages complete in this step's text (CATENATE ones). */
      messages: AppendMessage[];
      /** The message whose literal follows, or null when the command ended. */
      streamed: StreamedMessageHead | null;
    }
  /** The literal that ends the text belongs to a CATENATE message: frame it whole and read on. */
  | { kind: 'buffer' }
  | { kind: 'error'; error: ParseError };

/** Thrown inside the grammar when a CATENATE TEXT literal has not been framed yet. */
class PendingLiteral {}

/**
 * Parses `frame` (the command text since the previous step, or since its start when `resume` is
 * null). `pending`: the text ends with a literal marker whose bytes have not been read.
 */
export function readAppendStep(
  frame: CommandFrame,
  resume: AppendResume | null,
  options: { utf8Accept: boolean; maxNestingDepth: number },
  pending: boolean,
): AppendStep {
  const cursor = new FrameCursor(frame, options.maxNestingDepth);
  let state: AppendResume | null = resume;
  try {
    if (state === null) state = readHead(cursor, frame, options.utf8Accept);
    else if (state.closeUtf8) {
      cursor.expectByte(Byte.CloseParen, '")" closing the UTF8 message data');
      state = { ...state, closeUtf8: false };
    }
    const messages: AppendMessage[] = [];
    for (;;) {
      if (cursor.atEnd()) {
        if (pending) fail('a literal marker must end the line');
        return { kind: 'step', resume: state, messages, streamed: null };
      }
      cursor.expectSpace();
      const message = readMessage(cursor, pending);
      if ('content' in message) {
        messages.push(message);
        continue;
      }
      if (!cursor.atEnd()) fail('a literal marker must end the line');
      return { kind: 'step', resume: { ...state, closeUtf8: message.utf8 }, messages, streamed: message };
    }
  } catch (failure) {
    if (failure instanceof PendingLiteral) return { kind: 'buffer' };
    if (!(failure instanceof SyntaxFailure)) throw failure;
    return {
      kind: 'error',
      error: {
        kind: failure.kind,
        // a failure in the head (e.g. a mailbox name that is not valid modified UTF-7) still has
        // its tag, so it is answered tagged
        tag: state?.tag ?? headTag(frame),
        commandName: 'APPEND',
        message: failure.message,
        fatal: false,
      },
    };
  }
}

/** The tag at the start of a command text, or null when there is none. */
function headTag(frame: CommandFrame): string | null {
  const space = frame.text.indexOf(Byte.Space);
  return space > 0 ? frame.text.toString('latin1', 0, space) : null;
}

/** `tag APPEND mailbox`. */
function readHead(cursor: FrameCursor, frame: CommandFrame, utf8Accept: boolean): AppendResume {
  const text = frame.text;
  const space = text.indexOf(Byte.Space);
  if (space <= 0) fail('a command must start with a tag and a space');
  const tag = text.toString('latin1', 0, space);
  cursor.position = space + 1;
  if (cursor.readKeyword('a command name') !== 'APPEND') fail('expected APPEND');
  cursor.expectSpace();
  return { tag, mailbox: readMailbox(cursor, utf8Accept), closeUtf8: false };
}

/**
 * The start of one APPEND message, shared with the buffered parser: `[flag-list SP] [date-time SP]`,
 * then the whole message when it is `CATENATE (parts)` (RFC 4469), else null for the literal to come.
 */
export function readMessageStart(
  cursor: FrameCursor,
  pending: boolean,
): { flags: string[]; internalDate: Date | null; catenated: AppendMessage | null } {
  let flags: string[] = [];
  let internalDate: Date | null = null;
  if (cursor.peek() === Byte.OpenParen) {
    flags = readFlagList(cursor);
    cursor.expectSpace();
  }
  if (cursor.peek() === Byte.Quote) {
    internalDate = readDateTime(cursor);
    cursor.expectSpace();
  }
  if (!cursor.tryKeyword('CATENATE')) return { flags, internalDate, catenated: null };
  cursor.expectSpace();
  const catenate = readCatenateParts(cursor, pending);
  const catenated = { flags, internalDate, content: Buffer.alloc(0), binary: false, utf8: false, catenate };
  return { flags, internalDate, catenated };
}

/** One message: complete (CATENATE) or the head of the one whose literal ends the text. */
function readMessage(cursor: FrameCursor, pending: boolean): AppendMessage | StreamedMessageHead {
  const { flags, internalDate, catenated } = readMessageStart(cursor, pending);
  if (catenated) return catenated;
  if (cursor.tryKeyword('UTF8')) {
    cursor.expectSpace();
    cursor.openList('UTF8 message data');
    if (!readPendingMarker(cursor, pending)) fail('UTF8 message data must be a literal8');
    return { flags, internalDate, binary: true, utf8: true };
  }
  const binary = cursor.peek() === Byte.Tilde;
  if (!readPendingMarker(cursor, pending))
    fail(`expected the message as a literal${cursor.describePosition()}`);
  return { flags, internalDate, binary, utf8: false };
}

/**
 * `(cat-part *(SP cat-part))` of RFC 4469: `URL astring` or `TEXT literal` (literal8 too, with
 * BINARY). Throws `PendingLiteral` when a TEXT literal's bytes are still to come.
 */
export function readCatenateParts(cursor: FrameCursor, pending: boolean): CatenatePart[] {
  return cursor.readList(
    (): CatenatePart => {
      const kind = cursor.readKeyword('URL or TEXT');
      cursor.expectSpace();
      if (kind === 'URL') return { type: 'url', url: cursor.readAString('an IMAP URL').toString('utf8') };
      if (kind !== 'TEXT') fail(`expected URL or TEXT, got ${kind.slice(0, 40)}`);
      if (!cursor.atLiteral()) fail('a CATENATE TEXT part must be a literal');
      if (pending && isPendingMarker(cursor)) throw new PendingLiteral();
      return { type: 'text', data: cursor.readLiteral(true).data };
    },
    false,
    'CATENATE parts',
  );
}

/** Reads a literal marker when it is the one ending the text, whose bytes are yet to come. */
function readPendingMarker(cursor: FrameCursor, pending: boolean): boolean {
  if (!pending || !isPendingMarker(cursor)) return false;
  cursor.tryByte(Byte.Tilde);
  cursor.expectByte(Byte.OpenBrace, 'a literal');
  cursor.readNumber('a literal size');
  cursor.tryByte(Byte.Plus);
  cursor.expectByte(Byte.CloseBrace, 'the end of a literal marker');
  return true;
}

/** True when `~{n}`, `{n}` or `{n+}` at the cursor ends the text. */
function isPendingMarker(cursor: FrameCursor): boolean {
  let offset = cursor.peek() === Byte.Tilde ? 1 : 0;
  if (cursor.peek(offset) !== Byte.OpenBrace) return false;
  offset++;
  while (DIGIT[cursor.peek(offset)] === 1) offset++;
  if (cursor.peek(offset) === Byte.Plus) offset++;
  return cursor.peek(offset) === Byte.CloseBrace && cursor.peek(offset + 1) === -1;
}
