/**
 * The tokens of RFC 5228 section 8.1: identifiers, tags, numbers (with K/M/G), quoted and
 * multi-line strings and the punctuation; comments and whitespace are skipped here so the parser
 * only sees what carries meaning.
 */
import { SieveError, type SourcePosition } from './errors.js';

export type Token =
  | { kind: 'identifier'; name: string; position: SourcePosition }
  | { kind: 'tag'; name: string; position: SourcePosition }
  | { kind: 'number'; value: number; raw: string; position: SourcePosition }
  | { kind: 'string'; value: string; multiline: boolean; position: SourcePosition }
  | { kind: 'punctuation'; char: '[' | ']' | '(' | ')' | '{' | '}' | ';' | ','; position: SourcePosition }
  | { kind: 'end'; position: SourcePosition };

const QUANTIFIERS: Record<string, number> = { k: 1024, m: 1024 * 1024, g: 1024 * 1024 * 1024 };
const PUNCTUATION = '[](){};,';

function isAlpha(char: string | undefined): boolean {
  return char !== undefined && /^[A-Za-z_]$/.test(char);
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function isIdentifierChar(char: string | undefined): boolean {
  return isAlpha(char) || isDigit(char);
}

export class Lexer {
  private offset = 0;
  private line = 1;
  private column = 1;

  constructor(private readonly text: string) {}

  /** All tokens up to and including the `end` token; throws a SieveError at the first bad one. */
  static tokenize(text: string): Token[] {
    const lexer = new Lexer(text);
    const tokens: Token[] = [];
    for (;;) {
      const token = lexer.next();
      tokens.push(token);
      if (token.kind === 'end') return tokens;
    }
  }

  next(): Token {
    this.skipWhitespaceAndComments();
    const position = this.position();
    const char = this.peek();
    if (char === undefined) return { kind: 'end', position };
    if (PUNCTUATION.includes(char)) {
      this.advance();
      return { kind: 'punctuation', char: char as '[', position };
    }
    if (char === '"') return this.quotedString(position);
    if (isDigit(char)) return this.number(position);
    if (char === ':') {
      this.advance();
      if (!isAlpha(this.peek())) throw new SieveError('expected a tag name after ":"', this.position());
      return { kind: 'tag', name: this.identifierText().toLowerCase(), position };
    }
    if (isAlpha(char)) {
      const name = this.identifierText();
      if (name.toLowerCase() === 'text' && this.peek() === ':') return this.multilineString(position);
      return { kind: 'identifier', name: name.toLowerCase(), position };
    }
    throw new SieveError(`unexpected character ${JSON.stringify(char)}`, position);
  }

  private position(): SourcePosition {
    return { line: this.line, column: this.column };
  }

  private peek(ahead = 0): string | undefined {
    return this.text[this.offset + ahead];
  }

  private advance(): string {
    const char = this.text[this.offset++]!;
    if (char === '\n') {
      this.line++;
      this.column = 1;
    } else {
      this.column++;
    }
    return char;
  }

  private skipWhitespaceAndComments(): void {
    for (;;) {
      const char = this.peek();
      if (char === ' ' || char === '\t' || char === '\r' || char === '\n') {
        this.advance();
      } else if (char === '#') {
        this.skipHashComment();
      } else if (char === '/' && this.peek(1) === '*') {
        const start = this.position();
        this.advance();
        this.advance();
        while (!(this.peek() === '*' && this.peek(1) === '/')) {
          if (this.peek() === undefined) throw new SieveError('unterminated bracket comment', start);
          this.advance();
        }
        this.advance();
        this.advance();
      } else {
        return;
      }
    }
  }

  private skipHashComment(): void {
    while (this.peek() !== undefined && this.peek() !== '\n') this.advance();
  }

  private identifierText(): string {
    const start = this.offset;
    while (isIdentifierChar(this.peek())) this.advance();
    return this.text.slice(start, this.offset);
  }

  private number(position: SourcePosition): Token {
    const start = this.offset;
    while (isDigit(this.peek())) this.advance();
    let value = Number(this.text.slice(start, this.offset));
    const quantifier = QUANTIFIERS[this.peek()?.toLowerCase() ?? ''];
    if (quantifier !== undefined) {
      this.advance();
      value *= quantifier;
    }
    if (isIdentifierChar(this.peek())) {
      throw new SieveError('a number may only be followed by the quantifier K, M or G', this.position());
    }
    const raw = this.text.slice(start, this.offset);
    if (!Number.isSafeInteger(value)) throw new SieveError(`number ${raw} is too large`, position);
    return { kind: 'number', value, raw, position };
  }

  private quotedString(position: SourcePosition): Token {
    this.advance();
    let value = '';
    for (;;) {
      const char = this.peek();
      if (char === undefined) throw new SieveError('unterminated string', position);
      this.advance();
      if (char === '"') return { kind: 'string', value, multiline: false, position };
      if (char === '\\') {
        // RFC 5228 2.4.2: a backslash quotes the next character, whatever it is.
        const quoted = this.peek();
        if (quoted === undefined) throw new SieveError('unterminated string', position);
        this.advance();
        value += quoted;
      } else {
        value += char;
      }
    }
  }

  /**
   * `text:` then optional blanks and a comment, then lines up to one holding a single ".". A line
   * starting with "." has that dot removed (dot-stuffing). Every line of the value ends in CRLF,
   * as RFC 5228 2.4.2 defines it, whichever line ending the script itself used.
   */
  private multilineString(position: SourcePosition): Token {
    this.advance(); // the ":" of "text:"
    while (this.peek() === ' ' || this.peek() === '\t') this.advance();
    if (this.peek() === '#') this.skipHashComment();
    if (this.peek() === '\r' && this.peek(1) === '\n') this.advance();
    if (this.peek() !== '\n') {
      throw new SieveError('expected the end of the line after "text:"', this.position());
    }
    this.advance();
    const lines: string[] = [];
    for (;;) {
      if (this.peek() === undefined) throw new SieveError('unterminated multi-line string', position);
      let line = '';
      while (this.peek() !== undefined && this.peek() !== '\n') line += this.advance();
      const terminated = this.peek() === '\n';
      if (terminated) this.advance();
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '.') break;
      if (!terminated) throw new SieveError('unterminated multi-line string', position);
      lines.push(line.startsWith('.') ? line.slice(1) : line);
    }
    return { kind: 'string', value: lines.map((line) => `${line}\r\n`).join(''), multiline: true, position };
  }
}
