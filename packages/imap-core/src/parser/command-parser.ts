/**
 * The streaming IMAP command parser: fed socket bytes in any chunking, it frames commands
 * (lines and literals), asks the session about synchronising literals, enforces the limits,
 * and yields typed commands or error values. It is pull-based: nothing is parsed until the
 * session calls `read()` (commands) or `readLine()` (raw lines for AUTHENTICATE and IDLE), so
 * a session that handles one command at a time decides how the next bytes are read, and
 * pipelined input waits, bounded, in the queue.
 */
import { ByteQueue } from './byte-queue.js';
import { Byte } from './characters.js';
import { parseCommandFrame, readCommandHead } from './command-grammar.js';
import type { FrameLiteral } from './frame.js';
import { resolveParserLimits, type ParserLimits, type ParserOptions } from './limits.js';
import { LiteralMarkerScanner, findLiteralMarker, type LiteralMarker } from './literal-marker.js';
import { readAppendStep, type AppendResume } from './append-stream.js';
import type { ContinuationRequest, ParseError, ParseErrorKind, ParserEvent, RawLineEvent } from './types.js';

/** Where the framer is in the byte stream. */
type FramerState =
  /** Reading command text up to the next LF. */
  | { kind: 'line' }
  /** Reading the bytes of a literal into the current frame. */
  | { kind: 'literal'; remaining: number; pieces: Buffer[]; size: number; binary: boolean }
  /** A synchronising literal was announced; waiting for `acceptLiteral` or `rejectLiteral`. */
  | { kind: 'awaiting-decision'; request: ContinuationRequest; binary: boolean; streamed?: boolean }
  /** An APPEND message literal whose bytes the session takes with `readLiteralData()`. */
  | { kind: 'stream-literal'; remaining: number }
  /** Throwing away the rest of a line (too long); `followLiterals` skips announced literals too. */
  | { kind: 'discard-line'; scanner: LiteralMarkerScanner; followLiterals: boolean }
  /** Throwing away the bytes of a refused non-synchronising literal, then the rest of its command. */
  | { kind: 'discard-literal'; remaining: number }
  /** A fatal error was reported; all further input is ignored. */
  | { kind: 'closed' };

/** Bytes a session may push past `maxBufferedBytes` (one socket read) before the input is refused. */
const PUSH_SLACK_BYTES = 64 * 1024;

/** Streaming, pull-based parser of IMAP client commands. */
export class CommandParser {
  /** The resolved limits. */
  readonly limits: ParserLimits;
  private utf8Accept: boolean;
  private readonly queue = new ByteQueue();
  private state: FramerState = { kind: 'line' };
  /** The command being framed: its text lines (markers included) and literals. */
  private textParts: Buffer[] = [];
  private textLength = 0;
  private literals: FrameLiteral[] = [];
  private literalBytes = 0;
  /** A fatal error to report on the next read. */
  private pendingFatal: ParseError | null = null;
  private readonly streamAppend: boolean;
  /** A streamed APPEND in progress: its frame holds only the text since its last message literal. */
  private appendResume: AppendResume | null = null;

  constructor(options: ParserOptions = {}) {
    this.limits = resolveParserLimits(options.limits);
    this.utf8Accept = options.utf8Accept ?? false;
    this.streamAppend = options.streamAppend ?? false;
  }

  /** Switches mailbox names to UTF-8 (after `ENABLE UTF8=ACCEPT`); applies to commands read from now on. */
  setUtf8Accept(enabled: boolean): void {
    this.utf8Accept = enabled;
  }

  /** Unread input bytes held by the parser. */
  get bufferedBytes(): number {
    return this.queue.length;
  }

  /** True when the session should stop reading the socket until it has read more commands. */
  get isFull(): boolean {
    return this.queue.length >= this.limits.maxBufferedBytes;
  }

  /** True after a fatal error: the session should say BYE and close. */
  get isClosed(): boolean {
    return this.state.kind === 'closed';
  }

  /** True while a synchronising literal waits for `acceptLiteral` / `rejectLiteral`. */
  get awaitingLiteralDecision(): boolean {
    return this.state.kind === 'awaiting-decision';
  }

  /**
   * Adds received bytes. Never parses (call `read()`/`readLine()`). Input beyond
   * `maxBufferedBytes` plus one read's slack is dropped and reported as a fatal `input-overflow`.
   */
  push(chunk: Buffer): void {
    if (this.state.kind === 'closed' || this.pendingFatal !== null) return;
    if (this.queue.length + chunk.length > this.limits.maxBufferedBytes + PUSH_SLACK_BYTES) {
      this.failFatally('input-overflow', null, null, 'too much input sent without waiting for responses');
      return;
    }
    this.queue.push(chunk);
  }

  /**
   * The next command, error or continuation request; null when more input is needed (or a
   * literal decision is pending). Errors are returned after the parser skipped to where the
   * next command starts, so the session answers and simply reads on.
   */
  read(): ParserEvent | null {
    for (;;) {
      const fatal = this.takePendingFatal();
      if (fatal) return { type: 'error', error: fatal };
      const state = this.state;
      switch (state.kind) {
        case 'closed':
        case 'awaiting-decision':
        case 'stream-literal':
          return null;
        case 'discard-line':
        case 'discard-literal':
          if (!this.advanceDiscard()) return null;
          break;
        case 'literal':
          if (!this.advanceLiteral(state)) return null;
          break;
        case 'line': {
          const event = this.advanceLine();
          if (event !== undefined) return event;
          break;
        }
      }
    }
  }

  /**
   * The next raw line (CRLF removed), for the lines that are not commands: AUTHENTICATE
   * responses after `+ ` and IDLE's `DONE`. Null when no complete line is buffered yet. Only
   * meaningful between commands (not while a command's literal is being read).
   */
  readLine(): RawLineEvent | null {
    for (;;) {
      const fatal = this.takePendingFatal();
      if (fatal) return { type: 'error', error: fatal };
      if (this.state.kind === 'discard-line' || this.state.kind === 'discard-literal') {
        if (!this.advanceDiscard()) return null;
        continue;
      }
      if (this.state.kind !== 'line' || this.textLength > 0) return null;
      const window = this.limits.maxLineLength + 2;
      const lineFeed = this.queue.indexOf(Byte.LineFeed, window);
      if (lineFeed < 0) {
        if (this.queue.length < window) return null;
        this.state = { kind: 'discard-line', scanner: new LiteralMarkerScanner(), followLiterals: false };
        return { type: 'error', error: this.error('line-too-long', null, null, 'line too long') };
      }
      const line = stripLineEnd(this.queue.take(lineFeed + 1));
      if (line.length > this.limits.maxLineLength) {
        return { type: 'error', error: this.error('line-too-long', null, null, 'line too long') };
      }
      return { type: 'line', line: line.toString('utf8') };
    }
  }

  /** Lets the client send the announced synchronising literal; the session then writes `+ ...`. */
  acceptLiteral(): void {
    if (this.state.kind !== 'awaiting-decision') return;
    const size = this.state.request.size;
    if (this.state.streamed)
      this.state = size ? { kind: 'stream-literal', remaining: size } : { kind: 'line' };
    else this.state = { kind: 'literal', remaining: size, pieces: [], size, binary: this.state.binary };
  }

  /** Bytes of a streamed APPEND literal still to come; 0 when none is being read. */
  get literalRemaining(): number {
    return this.state.kind === 'stream-literal' ? this.state.remaining : 0;
  }

  /**
   * The next received bytes of the streamed APPEND literal (a view into the received chunk), or
   * null when none are buffered. After its last byte the parser reads the command on (`read()`).
   */
  readLiteralData(maxBytes = Infinity): Buffer | null {
    const state = this.state;
    if (state.kind !== 'stream-literal' || this.queue.length === 0) return null;
    let piece: Buffer | null = null;
    const taken = this.queue.consume(Math.min(state.remaining, maxBytes), (part) => {
      piece = piece === null ? part : Buffer.concat([piece, part]);
    });
    state.remaining -= taken;
    if (state.remaining === 0) this.state = { kind: 'line' };
    return piece;
  }

  /**
   * Gives up the streamed APPEND in progress (the store refused it, or the session answers an
   * error): what the client still sends of it is read and thrown away, up to where the next
   * command starts. A synchronising literal not yet accepted is simply never asked for.
   */
  abandonAppend(): void {
    const state = this.state;
    if (this.appendResume === null && state.kind !== 'stream-literal') return;
    this.resetFrame();
    if (state.kind === 'stream-literal') this.state = { kind: 'discard-literal', remaining: state.remaining };
    else if (state.kind === 'line')
      this.state = { kind: 'discard-line', scanner: new LiteralMarkerScanner(), followLiterals: true };
    else if (state.kind === 'awaiting-decision') this.state = { kind: 'line' };
  }

  /** Refuses the announced synchronising literal: the command is dropped (the session answers NO/BAD). */
  rejectLiteral(): void {
    if (this.state.kind !== 'awaiting-decision') return;
    this.resetFrame();
    this.state = { kind: 'line' };
  }

  /** Returns a pending fatal error once and closes the parser. */
  private takePendingFatal(): ParseError | null {
    const fatal = this.pendingFatal;
    if (fatal === null) return null;
    this.pendingFatal = null;
    this.state = { kind: 'closed' };
    this.resetFrame();
    this.queue.consume(this.queue.length);
    return fatal;
  }

  /** Reads command text up to the next LF; returns an event, or undefined to keep going, or null for more input. */
  private advanceLine(): ParserEvent | null | undefined {
    const budget = this.limits.maxLineLength - this.textLength;
    const lineFeed = this.queue.indexOf(Byte.LineFeed, budget + 2);
    if (lineFeed < 0) {
      if (this.queue.length < budget + 2) return null;
      const head = this.commandHead(this.textParts[0] ?? this.queue.peek(64));
      this.resetFrame();
      this.state = { kind: 'discard-line', scanner: new LiteralMarkerScanner(), followLiterals: true };
      return {
        type: 'error',
        error: this.error('line-too-long', head.tag, head.commandName, 'command line too long'),
      };
    }
    const line = stripLineEnd(this.queue.take(lineFeed + 1));
    const marker = findLiteralMarker(line);
    if (line.length > budget) {
      const head = this.commandHead(this.textParts[0] ?? line.subarray(0, 64));
      this.resetFrame();
      this.skipLiteralOf(marker);
      return {
        type: 'error',
        error: this.error('line-too-long', head.tag, head.commandName, 'command line too long'),
      };
    }
    // blank lines between commands are ignored (after a streamed APPEND literal, an empty line ends it)
    if (line.length === 0 && this.textLength === 0 && this.appendResume === null) return undefined;
    this.textParts.push(line);
    this.textLength += line.length;
    if (marker === null) return this.completeFrame();
    return this.startLiteral(marker);
  }

  /** Handles a literal marker that ended a line of the current frame. */
  private startLiteral(marker: LiteralMarker): ParserEvent | undefined {
    const head = this.commandHead(this.textParts[0] ?? Buffer.alloc(0));
    if (marker.size === Infinity) {
      this.resetFrame();
      if (marker.nonSynchronizing) {
        return this.failFatally('unrecoverable', head.tag, head.commandName, 'literal size out of range');
      }
      return {
        type: 'error',
        error: this.error('syntax', head.tag, head.commandName, 'literal size out of range'),
      };
    }
    const tooLarge =
      marker.size > this.limits.maxLiteralSize ||
      this.literalBytes + marker.size > this.limits.maxCommandLiteralBytes;
    if (tooLarge) {
      this.resetFrame();
      if (marker.nonSynchronizing) {
        if (marker.size > this.limits.maxDiscardedLiteralSize) {
          return this.failFatally('unrecoverable', head.tag, head.commandName, 'literal too large to skip');
        }
        this.state = { kind: 'discard-literal', remaining: marker.size };
      }
      const limit = Math.min(this.limits.maxLiteralSize, this.limits.maxCommandLiteralBytes);
      return {
        type: 'error',
        error: this.error(
          'literal-too-large',
          head.tag,
          head.commandName,
          `literal too large (at most ${limit} bytes)`,
        ),
      };
    }
    if (this.streamAppend && head.commandName === 'APPEND') {
      const event = this.appendStep(marker);
      if (event !== null) return event;
    }
    if (marker.nonSynchronizing) {
      this.state = {
        kind: 'literal',
        remaining: marker.size,
        pieces: [],
        size: marker.size,
        binary: marker.binary,
      };
      return undefined;
    }
    const request: ContinuationRequest = { ...head, size: marker.size, binary: marker.binary };
    this.state = { kind: 'awaiting-decision', request, binary: marker.binary };
    return { type: 'continuation', request };
  }

  /** Moves literal bytes into the frame; true when the literal is complete. */
  private advanceLiteral(state: Extract<FramerState, { kind: 'literal' }>): boolean {
    state.remaining -= this.queue.consume(state.remaining, (piece) => state.pieces.push(piece));
    if (state.remaining > 0) return false;
    const data =
      state.pieces.length === 1
        ? (state.pieces[0] ?? Buffer.alloc(0))
        : Buffer.concat(state.pieces, state.size);
    this.literals.push({ offset: this.textLength, data, binary: state.binary });
    this.literalBytes += state.size;
    this.state = { kind: 'line' };
    return true;
  }

  /** Skips discarded input; true when the discarding finished and normal reading resumes. */
  private advanceDiscard(): boolean {
    for (;;) {
      const state = this.state;
      if (state.kind === 'discard-literal') {
        state.remaining -= this.queue.consume(state.remaining);
        if (state.remaining > 0) return false;
        this.state = { kind: 'discard-line', scanner: new LiteralMarkerScanner(), followLiterals: true };
        continue;
      }
      if (state.kind !== 'discard-line') return true;
      const lineFeed = this.queue.indexOf(Byte.LineFeed, this.queue.length);
      if (lineFeed < 0) {
        if (state.followLiterals) this.queue.forEachPiece((piece) => (state.scanner.scan(piece), true));
        this.queue.consume(this.queue.length);
        return false;
      }
      const rest = this.queue.take(lineFeed + 1);
      if (!state.followLiterals) {
        this.state = { kind: 'line' };
        return true;
      }
      state.scanner.scan(rest.subarray(0, rest.length - 1));
      this.state = { kind: 'line' };
      this.skipLiteralOf(state.scanner.finish());
      if (this.state.kind === 'line') return true;
    }
  }

  /** After a refused line: a non-synchronising literal it announced is skipped with the rest of its command. */
  private skipLiteralOf(marker: LiteralMarker | null): void {
    if (marker === null || !marker.nonSynchronizing) {
      this.state = { kind: 'line' };
    } else if (marker.size > this.limits.maxDiscardedLiteralSize) {
      this.failFatally('unrecoverable', null, null, 'literal too large to skip');
    } else {
      this.state = { kind: 'discard-literal', remaining: marker.size };
    }
  }

  /**
   * A literal ends a line of an APPEND: the message it carries is streamed (an `append` event),
   * or null when it belongs to a CATENATE message and is framed whole as usual.
   */
  private appendStep(marker: LiteralMarker | null): ParserEvent | null {
    const text =
      this.textParts.length === 1 ? (this.textParts[0] ?? Buffer.alloc(0)) : Buffer.concat(this.textParts);
    const first = this.appendResume === null;
    const step = readAppendStep(
      { text, literals: this.literals },
      this.appendResume,
      { utf8Accept: this.utf8Accept, maxNestingDepth: this.limits.maxNestingDepth },
      marker !== null,
    );
    if (step.kind === 'buffer') return null;
    if (step.kind === 'error') {
      this.resetFrame();
      if (marker?.nonSynchronizing) this.skipLiteralOf(marker);
      return { type: 'error', error: step.error };
    }
    // the text read so far is done with: the next step parses only what follows this literal
    this.textParts = [];
    this.textLength = 0;
    this.literals = [];
    this.appendResume = step.resume;
    const streamed = step.streamed && marker ? { ...step.streamed, size: marker.size } : null;
    const synchronizing = marker !== null && !marker.nonSynchronizing;
    if (marker === null) this.resetFrame();
    else if (synchronizing) {
      const request: ContinuationRequest = {
        tag: step.resume.tag,
        commandName: 'APPEND',
        size: marker.size,
        binary: marker.binary,
      };
      this.state = { kind: 'awaiting-decision', request, binary: marker.binary, streamed: true };
    } else this.state = marker.size ? { kind: 'stream-literal', remaining: marker.size } : { kind: 'line' };
    return {
      type: 'append',
      tag: step.resume.tag,
      mailbox: step.resume.mailbox,
      first,
      messages: step.messages,
      streamed,
      synchronizing,
    };
  }

  /** Parses the framed command and starts a new frame. */
  private completeFrame(): ParserEvent {
    if (this.appendResume !== null) return this.appendStep(null) ?? this.completeFrame();
    const text =
      this.textParts.length === 1 ? (this.textParts[0] ?? Buffer.alloc(0)) : Buffer.concat(this.textParts);
    const literals = this.literals;
    this.resetFrame();
    const result = parseCommandFrame(
      { text, literals },
      { utf8Accept: this.utf8Accept, maxNestingDepth: this.limits.maxNestingDepth },
    );
    return result.ok ? { type: 'command', command: result.command } : { type: 'error', error: result.error };
  }

  /** Forgets the command being framed. */
  private resetFrame(): void {
    this.textParts = [];
    this.textLength = 0;
    this.literals = [];
    this.literalBytes = 0;
    this.appendResume = null;
  }

  /** Tag and command name from the start of a command's text. */
  private commandHead(start: Buffer): { tag: string | null; commandName: string | null } {
    // a streamed APPEND's frame no longer starts with its tag
    if (this.appendResume !== null) return { tag: this.appendResume.tag, commandName: 'APPEND' };
    return readCommandHead(start);
  }

  /** Builds a non-fatal error value. */
  private error(
    kind: ParseErrorKind,
    tag: string | null,
    commandName: string | null,
    message: string,
  ): ParseError {
    return { kind, tag, commandName, message, fatal: false };
  }

  /** Records a fatal error (reported by the next read) and stops accepting input. */
  private failFatally(
    kind: ParseErrorKind,
    tag: string | null,
    commandName: string | null,
    message: string,
  ): undefined {
    this.pendingFatal = { kind, tag, commandName, message, fatal: true };
    return undefined;
  }
}

/** Removes the LF and an optional CR before it. */
function stripLineEnd(line: Buffer): Buffer {
  let end = line.length;
  if (line[end - 1] === Byte.LineFeed) end--;
  if (line[end - 1] === Byte.CarriageReturn) end--;
  return line.subarray(0, end);
}
