// The client side of the ManageSieve grammar (RFC 5804 4): a command is a line of atoms, quoted
// strings and literals (`{n+}` and, leniently, `{n}`: ManageSieve has no continuation for a
// literal, so the client sends its bytes at once either way). A literal's header ends a line
// segment; its bytes follow, then the command goes on. Bad input ends in one error event per
// command, after the parser has skipped to the command's end, so the session can answer NO and
// read the next command.

/** One argument of a command line. */
export type Token =
  | { type: 'atom'; value: string }
  /** A quoted string or a literal, as bytes (scripts are decoded by the session). */
  | { type: 'string'; value: Buffer; literal: boolean };

export type ParseEvent =
  | { kind: 'line'; tokens: Token[] }
  /**
   * A command that could not be read; `command` is its first atom when there was one.
   * literalTooLarge: a literal over the limit, whose bytes were skipped.
   */
  | { kind: 'error'; message: string; command?: string; literalTooLarge?: boolean }
  /** Input the session cannot go on after (a literal too large to skip): answer BYE and close. */
  | { kind: 'fatal'; message: string };

export interface ParserLimits {
  /** Bytes of one command outside its literals. */
  maxLineLength: number;
  /** Bytes of one literal. */
  maxLiteralSize: number;
  /**
   * A literal over maxLiteralSize but at most this long is skipped (the command gets NO); a longer
   * one is fatal. 0: every literal over the limit is fatal (before authentication).
   */
  maxSkippedLiteral: number;
  /** Arguments of one command. */
  maxTokens: number;
}

export const DEFAULT_PARSER_LIMITS: ParserLimits = {
  maxLineLength: 8 * 1024,
  maxLiteralSize: 64 * 1024,
  maxSkippedLiteral: 16 * 1024 * 1024,
  maxTokens: 16,
};

const LF = 0x0a;
const LITERAL_HEADER = /\{(\d{1,10})(\+?)\}\r?$/;

type Mode =
  | { name: 'line' }
  | { name: 'literal'; remaining: number; chunks: Buffer[] }
  | { name: 'skip-literal'; remaining: number }
  | { name: 'skip-line' };

/** A streaming parser: `push` bytes as they arrive; events come out through `onEvent`, in order. */
export class ManageSieveParser {
  limits: ParserLimits;
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private mode: Mode = { name: 'line' };
  private tokens: Token[] = [];
  private lineLength = 0;
  /** The first problem of the current command; reported when the command ends. */
  private problem: { message: string; literalTooLarge?: boolean } | null = null;
  private stopped = false;
  /** The last bytes of a line being skipped: a literal header there must still be honoured. */
  private skippedTail = Buffer.alloc(0);

  constructor(
    private readonly onEvent: (event: ParseEvent) => void,
    limits: Partial<ParserLimits> = {},
  ) {
    this.limits = { ...DEFAULT_PARSER_LIMITS, ...limits };
  }

  /** Drops everything not yet parsed (STARTTLS: what was pipelined in clear text must not count). */
  reset(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.mode = { name: 'line' };
    this.endCommand();
    this.stopped = false;
  }

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.stopped) {
      const mode = this.mode;
      if (mode.name === 'literal') {
        const take = Math.min(mode.remaining, chunk.length - offset);
        mode.chunks.push(chunk.subarray(offset, offset + take));
        mode.remaining -= take;
        offset += take;
        if (mode.remaining === 0) {
          this.tokens.push({ type: 'string', value: Buffer.concat(mode.chunks), literal: true });
          this.mode = { name: 'line' };
        }
      } else if (mode.name === 'skip-literal') {
        const take = Math.min(mode.remaining, chunk.length - offset);
        mode.remaining -= take;
        offset += take;
        if (mode.remaining === 0) this.mode = { name: 'line' };
      } else {
        const end = chunk.indexOf(LF, offset);
        if (end === -1) {
          this.keep(chunk.subarray(offset));
          return;
        }
        this.keep(chunk.subarray(offset, end));
        offset = end + 1;
        if (this.mode.name === 'skip-line') this.endSkippedLine();
        else {
          const segment = Buffer.concat(this.pending, this.pendingLength);
          this.pending = [];
          this.pendingLength = 0;
          this.segment(segment);
        }
      }
    }
  }

  /** Keeps part of a line; a line over the limit is dropped and the rest of it skipped. */
  private keep(bytes: Buffer): void {
    if (this.mode.name === 'skip-line') {
      this.skippedTail = Buffer.concat([this.skippedTail, bytes]).subarray(-16);
      return;
    }
    if (this.lineLength + this.pendingLength + bytes.length > this.limits.maxLineLength) {
      this.fail(`Line too long (at most ${this.limits.maxLineLength} bytes)`);
      this.skippedTail = Buffer.concat([...this.pending, bytes]).subarray(-16);
      this.pending = [];
      this.pendingLength = 0;
      this.mode = { name: 'skip-line' };
      return;
    }
    this.pending.push(bytes);
    this.pendingLength += bytes.length;
  }

  /** The end of a line too long to keep: the command ends here unless a literal follows. */
  private endSkippedLine(): void {
    const header = LITERAL_HEADER.exec(this.skippedTail.toString('latin1'));
    this.skippedTail = Buffer.alloc(0);
    this.mode = { name: 'line' };
    if (header) this.skipLiteral(Number(header[1]));
    else this.finishCommand();
  }

  /** One line segment (without its LF): its tokens, and a literal header at its end. */
  private segment(segment: Buffer): void {
    this.lineLength += segment.length + 1;
    const text = segment.toString('latin1');
    const header = LITERAL_HEADER.exec(text);
    const body = header ? text.slice(0, header.index) : text.replace(/\r$/, '');
    if (!this.problem) this.tokenize(segment.subarray(0, Buffer.byteLength(body, 'latin1')), !!header);
    if (!header) {
      this.finishCommand();
      return;
    }
    const size = Number(header[1]);
    if (this.problem) {
      // the command is refused already; its literal is still read past, to find the next command
      this.skipLiteral(size);
      return;
    }
    if (size > this.limits.maxLiteralSize) {
      this.fail(`Literal too large (at most ${this.limits.maxLiteralSize} bytes)`, true);
      this.skipLiteral(size);
      return;
    }
    if (this.tokens.length >= this.limits.maxTokens) {
      this.fail('Too many arguments');
      this.skipLiteral(size);
      return;
    }
    this.mode = size === 0 ? { name: 'line' } : { name: 'literal', remaining: size, chunks: [] };
    if (size === 0) this.tokens.push({ type: 'string', value: Buffer.alloc(0), literal: true });
  }

  private skipLiteral(size: number): void {
    if (size > this.limits.maxSkippedLiteral) {
      this.stopped = true;
      this.onEvent({
        kind: 'fatal',
        message: `Literal too large (at most ${this.limits.maxLiteralSize} bytes)`,
      });
      return;
    }
    this.mode = size === 0 ? { name: 'line' } : { name: 'skip-literal', remaining: size };
  }

  /**
   * Reads atoms and quoted strings up to the end of `bytes`. `beforeLiteral`: a literal follows, so
   * the segment may end in a space (or be empty when the literal is the first argument of a line
   * continued after another literal).
   */
  private tokenize(bytes: Buffer, beforeLiteral: boolean): void {
    let index = 0;
    // a segment after a literal continues the command: a space must separate the next argument
    const continuing = this.tokens.length > 0;
    if (continuing && bytes.length > 0) {
      if (bytes[0] !== 0x20) return this.fail('Expected a space after a literal');
      index = 1;
    }
    while (index < bytes.length) {
      if (this.tokens.length >= this.limits.maxTokens) return this.fail('Too many arguments');
      const byte = bytes[index]!;
      if (byte === 0x22) {
        const read = readQuoted(bytes, index);
        if (typeof read === 'string') return this.fail(read);
        this.tokens.push({ type: 'string', value: read.value, literal: false });
        index = read.end;
      } else if (isAtomByte(byte)) {
        let end = index;
        while (end < bytes.length && isAtomByte(bytes[end]!)) end++;
        this.tokens.push({ type: 'atom', value: bytes.toString('latin1', index, end) });
        index = end;
      } else if (byte === 0x20) {
        return this.fail('Extra space between arguments');
      } else {
        return this.fail(`Unexpected character ${describeByte(byte)}`);
      }
      if (index < bytes.length) {
        if (bytes[index] !== 0x20) return this.fail(`Unexpected character ${describeByte(bytes[index]!)}`);
        index++;
        // a space at the very end is only right before a literal
        if (index === bytes.length && !beforeLiteral) return this.fail('Extra space at the end of the line');
      } else if (beforeLiteral) {
        return this.fail('Expected a space before a literal');
      }
    }
  }

  private fail(message: string, literalTooLarge = false): void {
    if (!this.problem) this.problem = literalTooLarge ? { message, literalTooLarge } : { message };
  }

  private finishCommand(): void {
    const tokens = this.tokens;
    const problem = this.problem;
    this.endCommand();
    if (problem) {
      const first = tokens[0];
      this.onEvent({
        kind: 'error',
        message: problem.message,
        ...(first?.type === 'atom' ? { command: first.value.toUpperCase() } : {}),
        ...(problem.literalTooLarge ? { literalTooLarge: true } : {}),
      });
    } else this.onEvent({ kind: 'line', tokens });
  }

  private endCommand(): void {
    this.tokens = [];
    this.lineLength = 0;
    this.problem = null;
  }
}

/** Atom characters: printable ASCII except space, quote, braces, parentheses, backslash (RFC 5804 4). */
function isAtomByte(byte: number): boolean {
  return (
    byte > 0x20 &&
    byte < 0x7f &&
    byte !== 0x22 &&
    byte !== 0x28 &&
    byte !== 0x29 &&
    byte !== 0x7b &&
    byte !== 0x7d &&
    byte !== 0x5c
  );
}

/** A quoted string from `start` (its opening quote): its bytes and where it ends, or a problem. */
function readQuoted(bytes: Buffer, start: number): { value: Buffer; end: number } | string {
  const out: number[] = [];
  let index = start + 1;
  while (index < bytes.length) {
    const byte = bytes[index]!;
    if (byte === 0x22) return { value: Buffer.from(out), end: index + 1 };
    if (byte === 0x5c) {
      const next = bytes[index + 1];
      if (next !== 0x22 && next !== 0x5c) return 'A backslash in a quoted string must escape " or \\';
      out.push(next);
      index += 2;
      continue;
    }
    if (byte === 0x0d || byte === 0x00) return 'A quoted string must not contain CR or NUL';
    out.push(byte);
    index++;
  }
  return 'Unterminated quoted string';
}

function describeByte(byte: number): string {
  return byte >= 0x21 && byte < 0x7f
    ? `'${String.fromCharCode(byte)}'`
    : `0x${byte.toString(16).padStart(2, '0')}`;
}
