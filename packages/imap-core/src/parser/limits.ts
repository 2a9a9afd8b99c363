/**
 * Limits that keep one client from making the parser buffer without bound. Every input past
 * them becomes a `ParseError` of a specific kind (see `ParseErrorKind`), never more memory.
 */

/** Configurable parser limits; every field has a default in `DEFAULT_PARSER_LIMITS`. */
export interface ParserLimits {
  /** Bytes of command text (literal payloads excluded, all lines of one command together). */
  maxLineLength: number;
  /** Bytes of one literal; larger literals are refused with `literal-too-large`. */
  maxLiteralSize: number;
  /** Bytes of all literals of one command together (MULTIAPPEND). */
  maxCommandLiteralBytes: number;
  /**
   * Bytes of a refused non-synchronising literal the parser reads and throws away to stay in
   * step with the client; a larger one is a fatal `unrecoverable` error (BYE) instead (RFC 7888 4).
   */
  maxDiscardedLiteralSize: number;
  /** Depth of nested parentheses (search groups, BODY sections, lists). */
  maxNestingDepth: number;
  /**
   * Unread input bytes the parser holds while the session is busy (pipelined commands).
   * `CommandParser.isFull` turns true at this mark: pause the socket. Input beyond twice this
   * mark (plus one read chunk) is refused with a fatal `input-overflow`.
   */
  maxBufferedBytes: number;
}

/** Defaults: 64 KiB of command text (RFC 7162 asks for at least 8192), 64 MiB literals. */
export const DEFAULT_PARSER_LIMITS: Readonly<ParserLimits> = Object.freeze({
  maxLineLength: 64 * 1024,
  maxLiteralSize: 64 * 1024 * 1024,
  maxCommandLiteralBytes: 64 * 1024 * 1024,
  maxDiscardedLiteralSize: 256 * 1024 * 1024,
  maxNestingDepth: 32,
  maxBufferedBytes: 1024 * 1024,
});

/** The largest nesting depth the recursive grammar is allowed to reach. */
export const MAX_NESTING_DEPTH = 256;

/** Options of a `CommandParser`. */
export interface ParserOptions {
  /** Limits; missing fields take their defaults. */
  limits?: Partial<ParserLimits>;
  /** Mailbox names are UTF-8 (RFC 6855 UTF8=ACCEPT enabled) rather than modified UTF-7. */
  utf8Accept?: boolean;
  /**
   * APPEND message literals are not buffered: `read()` yields an `append` event at each message
   * literal and the session reads its bytes with `readLiteralData()` as they arrive.
   */
  streamAppend?: boolean;
}

/** Fills the missing limits with defaults and checks they are positive integers. */
export function resolveParserLimits(limits: Partial<ParserLimits> = {}): ParserLimits {
  const resolved: ParserLimits = { ...DEFAULT_PARSER_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`parser limit ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  // The grammar recurses once per level: deeper limits would let input exhaust the call stack.
  if (resolved.maxNestingDepth > MAX_NESTING_DEPTH) {
    throw new RangeError(`parser limit maxNestingDepth must be at most ${MAX_NESTING_DEPTH}`);
  }
  return resolved;
}
