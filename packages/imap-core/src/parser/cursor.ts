/**
 * A cursor over one `CommandFrame`: the grammar's primitives (space, atom, quoted string,
 * literal, astring, nstring, numbers, parentheses with a depth limit). Each primitive either
 * consumes what it read or fails with a `SyntaxFailure`.
 */
import { ASTRING_CHAR, ATOM_CHAR, Byte, DIGIT, LIST_CHAR, QUOTED_CHAR } from './characters.js';
import { fail, type CommandFrame, type FrameLiteral } from './frame.js';

const MAX_NUMBER = 4294967295;

/** A string argument as read: its bytes, and whether it came as a literal8. */
export interface StringValue {
  data: Buffer;
  binary: boolean;
}

/** Reads grammar primitives from a command frame. */
export class FrameCursor {
  /** Position in `frame.text`. */
  position = 0;
  private nextLiteral = 0;
  private depth = 0;

  constructor(
    private readonly frame: CommandFrame,
    private readonly maxNestingDepth: number,
  ) {}

  /** True when the whole command text was consumed. */
  atEnd(): boolean {
    return this.position >= this.frame.text.length;
  }

  /** The byte at the cursor, or -1 at the end. */
  peek(offset = 0): number {
    return this.frame.text[this.position + offset] ?? -1;
  }

  /** Consumes `byte` if it is next; tells whether it did. */
  tryByte(byte: number): boolean {
    if (this.peek() !== byte) return false;
    this.position++;
    return true;
  }

  /** Consumes `byte` or fails naming what was expected. */
  expectByte(byte: number, what: string): void {
    if (!this.tryByte(byte)) fail(`expected ${what}${this.describePosition()}`);
  }

  /** Consumes exactly one space. */
  expectSpace(): void {
    this.expectByte(Byte.Space, 'a space');
  }

  /** Fails unless the whole command was consumed. */
  expectEnd(): void {
    if (!this.atEnd()) fail(`unexpected extra arguments${this.describePosition()}`);
  }

  /** Consumes a case-insensitive keyword if it is next and ends there (not a prefix of a longer atom). */
  tryKeyword(keyword: string): boolean {
    const text = this.frame.text;
    if (this.position + keyword.length > text.length) return false;
    for (let index = 0; index < keyword.length; index++) {
      const byte = text[this.position + index] ?? 0;
      const upper = byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte;
      if (upper !== keyword.charCodeAt(index)) return false;
    }
    const after = text[this.position + keyword.length];
    if (after !== undefined && ASTRING_CHAR[after] === 1) return false;
    this.position += keyword.length;
    return true;
  }

  /** Reads bytes of one class (at least one), returning them as a Latin-1 string. */
  private readRun(table: Uint8Array, what: string): string {
    const text = this.frame.text;
    const start = this.position;
    while (this.position < text.length && table[text[this.position] ?? 0] === 1) this.position++;
    if (this.position === start) fail(`expected ${what}${this.describePosition()}`);
    return text.toString('latin1', start, this.position);
  }

  /** Reads an atom. */
  readAtom(what = 'an atom'): string {
    return this.readRun(ATOM_CHAR, what);
  }

  /** Reads an atom and upper-cases it (keywords and names). */
  readKeyword(what = 'a keyword'): string {
    return this.readAtom(what).toUpperCase();
  }

  /** Reads an atom-like run of the given characters, e.g. `BODY.PEEK` stopping before `[`. */
  readWhile(accept: (byte: number) => boolean, what: string): string {
    const text = this.frame.text;
    const start = this.position;
    while (this.position < text.length && accept(text[this.position] ?? 0)) this.position++;
    if (this.position === start) fail(`expected ${what}${this.describePosition()}`);
    return text.toString('latin1', start, this.position);
  }

  /** Reads a quoted string (with `\"` and `\\` escapes) and returns its bytes. */
  readQuoted(): Buffer {
    const text = this.frame.text;
    this.expectByte(Byte.Quote, 'a quoted string');
    const start = this.position;
    let escaped: number[] | null = null;
    while (this.position < text.length) {
      const byte = text[this.position] ?? 0;
      if (byte === Byte.Quote) {
        const value = escaped === null ? text.subarray(start, this.position) : Buffer.from(escaped);
        this.position++;
        return value;
      }
      if (byte === Byte.Backslash) {
        const next = text[this.position + 1];
        if (next !== Byte.Quote && next !== Byte.Backslash)
          fail('a backslash in a quoted string may only escape " or \\');
        escaped ??= Array.from(text.subarray(start, this.position));
        escaped.push(next);
        this.position += 2;
        continue;
      }
      if (QUOTED_CHAR[byte] !== 1) fail('a quoted string may not contain CR, LF or NUL');
      escaped?.push(byte);
      this.position++;
    }
    return fail('unterminated quoted string');
  }

  /** True when a literal marker (`{`, or `~{` for literal8) is next. */
  atLiteral(): boolean {
    return this.peek() === Byte.OpenBrace || (this.peek() === Byte.Tilde && this.peek(1) === Byte.OpenBrace);
  }

  /** Reads a literal marker and returns the payload the framer attached to it. */
  readLiteral(allowBinary: boolean): StringValue {
    const binary = this.tryByte(Byte.Tilde);
    if (binary && !allowBinary) fail('literal8 (~{n}) is only allowed for APPEND message data');
    this.expectByte(Byte.OpenBrace, 'a literal');
    while (DIGIT[this.peek()] === 1) this.position++;
    this.tryByte(Byte.Plus);
    this.expectByte(Byte.CloseBrace, 'the end of a literal marker');
    const literal: FrameLiteral | undefined = this.frame.literals[this.nextLiteral];
    if (literal === undefined || literal.offset !== this.position) fail('a literal marker must end the line');
    this.nextLiteral++;
    return { data: literal.data, binary };
  }

  /** Reads a string: quoted or literal. */
  readString(what = 'a string'): Buffer {
    if (this.peek() === Byte.Quote) return this.readQuoted();
    if (this.atLiteral()) return this.readLiteral(false).data;
    return fail(`expected ${what}${this.describePosition()}`);
  }

  /** Reads an astring: atom (with `]`) or string. */
  readAString(what = 'an astring'): Buffer {
    const next = this.peek();
    if (next === Byte.Quote || this.atLiteral()) return this.readString(what);
    const start = this.position;
    this.readRun(ASTRING_CHAR, what);
    return this.frame.text.subarray(start, this.position);
  }

  /** Reads a LIST pattern: list-char run (wildcards allowed) or string. */
  readListMailbox(): Buffer {
    const next = this.peek();
    if (next === Byte.Quote || this.atLiteral()) return this.readString('a mailbox pattern');
    const start = this.position;
    this.readRun(LIST_CHAR, 'a mailbox pattern');
    return this.frame.text.subarray(start, this.position);
  }

  /** Reads an nstring: NIL or string. */
  readNString(what = 'a string or NIL'): Buffer | null {
    if (this.tryKeyword('NIL')) return null;
    return this.readString(what);
  }

  /** Reads a run of digits without range checks (callers check). */
  private readDigits(what: string): string {
    return this.readRun(DIGIT, what);
  }

  /** Reads an RFC 3501 `number` (unsigned 32-bit). */
  readNumber(what = 'a number'): number {
    const digits = this.readDigits(what);
    const value = digits.length > 10 ? Infinity : Number(digits);
    if (value > MAX_NUMBER) fail(`${what} is out of range (at most ${MAX_NUMBER})`);
    return value;
  }

  /** Reads an `nz-number`: 1 to 2^32-1, no leading zero. */
  readNzNumber(what = 'a non-zero number'): number {
    if (this.peek() === 0x30) fail(`${what} must not be zero or start with 0`);
    return this.readNumber(what);
  }

  /** Reads an unsigned 63-bit number (mod-sequence-value, quota limits), clamped to MAX_SAFE_INTEGER. */
  readNumber63(what = 'a mod-sequence value'): number {
    const digits = this.readDigits(what);
    if (digits.length > 19 || BigInt(digits) > 9223372036854775807n)
      fail(`${what} is out of range (at most 2^63-1)`);
    return Math.min(Number(digits), Number.MAX_SAFE_INTEGER);
  }

  /** Reads a non-zero 63-bit mod-sequence value (mod-sequence-valzer). */
  readModSeqNonZero(what = 'a mod-sequence value'): number {
    if (this.peek() === 0x30) fail(`${what} must not be zero or start with 0`);
    return this.readNumber63(what);
  }

  /** Consumes `(` and counts nesting depth against the limit. */
  openList(what = 'a parenthesised list'): void {
    this.expectByte(Byte.OpenParen, what);
    this.enterNesting();
  }

  /** Counts one more level of nesting (parentheses or brackets). */
  enterNesting(): void {
    this.depth++;
    if (this.depth > this.maxNestingDepth)
      fail(`parentheses nested deeper than ${this.maxNestingDepth}`, 'nesting-too-deep');
  }

  /** Undoes one `enterNesting` once the nested part was read. */
  leaveNesting(): void {
    this.depth--;
  }

  /** Consumes `)`. */
  closeList(): void {
    this.expectByte(Byte.CloseParen, '")"');
    this.depth--;
  }

  /**
   * Reads a parenthesised, space-separated list whose items `readItem` parses; `allowEmpty`
   * accepts `()`.
   */
  readList<T>(readItem: () => T, allowEmpty: boolean, what = 'a parenthesised list'): T[] {
    this.openList(what);
    const items: T[] = [];
    if (this.peek() === Byte.CloseParen) {
      if (!allowEmpty) fail(`${what} must not be empty`);
    } else {
      items.push(readItem());
      while (this.tryByte(Byte.Space)) items.push(readItem());
    }
    this.closeList();
    return items;
  }

  /** " near <text>" for error messages: a short printable excerpt at the cursor. */
  describePosition(): string {
    if (this.atEnd()) return ' at the end of the command';
    const excerpt = this.frame.text
      .toString('latin1', this.position, Math.min(this.position + 20, this.frame.text.length))
      .replace(/[^\x20-\x7e]/g, '?');
    return ` near "${excerpt}"`;
  }
}
