/**
 * Serialises `ImapValue`s into response bytes, choosing for every string the form IMAP allows:
 * an atom-free quoted string when it is short, single-line and 7-bit (or UTF-8 once UTF8=ACCEPT
 * is enabled), else a literal; NIL for null.
 */
import type { Readable } from 'node:stream';
import { encodeModifiedUtf7 } from '../utf7.js';
import type { ImapValue, LiteralValue } from './values.js';

/** Strings longer than this are sent as literals even when they could be quoted. */
export const MAX_QUOTED_LENGTH = 1024;

/** How strings are encoded for this session. */
export interface EncodeOptions {
  /** UTF8=ACCEPT was enabled: 8-bit UTF-8 may be quoted, mailbox names are UTF-8. */
  utf8: boolean;
}

/** A piece of encoded output: bytes, or a streamed literal body. */
export type OutputPiece = Buffer | { stream: Readable; length: number };

/** Collects encoded output, merging adjacent text into one Buffer per run. */
export class OutputBuilder {
  readonly pieces: OutputPiece[] = [];
  private text: (string | Buffer)[] = [];

  /** Appends ASCII/UTF-8 text. */
  write(text: string | Buffer): void {
    this.text.push(text);
  }

  /** Appends a streamed literal body. */
  writeStream(stream: Readable, length: number): void {
    this.flushText();
    this.pieces.push({ stream, length });
  }

  /** Returns the pieces, text merged. */
  finish(): OutputPiece[] {
    this.flushText();
    return this.pieces;
  }

  private flushText(): void {
    if (this.text.length === 0) return;
    this.pieces.push(
      Buffer.concat(this.text.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part))),
    );
    this.text = [];
  }
}

/** True when `bytes` may go in a quoted string: no CR, LF or NUL, 7-bit unless `utf8`. */
function isQuotable(bytes: Buffer, utf8: boolean): boolean {
  if (bytes.length > MAX_QUOTED_LENGTH) return false;
  for (const byte of bytes) {
    if (byte === 0x00 || byte === 0x0a || byte === 0x0d) return false;
    if (byte > 0x7f && !utf8) return false;
  }
  return true;
}

/** Writes a string or bytes as a quoted string or a literal, whichever is valid. */
export function encodeString(value: string | Buffer, options: EncodeOptions, out: OutputBuilder): void {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  if (isQuotable(bytes, options.utf8)) {
    out.write('"');
    out.write(bytes.includes(0x22) || bytes.includes(0x5c) ? escapeQuoted(bytes) : bytes);
    out.write('"');
  } else {
    out.write(`{${bytes.length}}\r\n`);
    out.write(bytes);
  }
}

/** Escapes `"` and `\` for a quoted string. */
function escapeQuoted(bytes: Buffer): Buffer {
  const escaped: number[] = [];
  for (const byte of bytes) {
    if (byte === 0x22 || byte === 0x5c) escaped.push(0x5c);
    escaped.push(byte);
  }
  return Buffer.from(escaped);
}

/** Writes a literal value (always literal form). */
function encodeLiteral(value: LiteralValue, out: OutputBuilder): void {
  out.write(`${value.binary ? '~' : ''}{${value.length}}\r\n`);
  if (Buffer.isBuffer(value.body)) {
    if (value.body.length !== value.length) throw new RangeError('literal length does not match its Buffer');
    out.write(value.body);
  } else {
    out.writeStream(value.body, value.length);
  }
}

/** Writes any value. */
export function encodeValue(value: ImapValue, options: EncodeOptions, out: OutputBuilder): void {
  if (value === null) {
    out.write('NIL');
  } else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not an IMAP number: ${value}`);
    out.write(String(value));
  } else if (typeof value === 'bigint') {
    if (value < 0n) throw new RangeError(`not an IMAP number: ${value}`);
    out.write(value.toString());
  } else if (typeof value === 'string' || Buffer.isBuffer(value)) {
    encodeString(value, options, out);
  } else if (Array.isArray(value)) {
    out.write('(');
    value.forEach((item: ImapValue, index) => {
      if (index > 0) out.write(' ');
      encodeValue(item, options, out);
    });
    out.write(')');
  } else if ('kind' in value) {
    switch (value.kind) {
      case 'atom':
        out.write(value.text);
        break;
      case 'mailbox':
        encodeString(options.utf8 ? value.name : encodeModifiedUtf7(value.name), options, out);
        break;
      case 'literal':
        encodeLiteral(value, out);
        break;
      case 'adjacent':
        for (const item of value.items) encodeValue(item, options, out);
        break;
    }
  }
}

/** Encodes values separated by spaces. */
export function encodeValues(values: readonly ImapValue[], options: EncodeOptions, out: OutputBuilder): void {
  values.forEach((value, index) => {
    if (index > 0) out.write(' ');
    encodeValue(value, options, out);
  });
}
