/**
 * Decoding of names and flags from the wire: mailbox names (modified UTF-7 or UTF-8, INBOX
 * normalised) and message flags (system flags in canonical case).
 */
import { decodeModifiedUtf7 } from '../utf7.js';
import { Byte } from './characters.js';
import type { FrameCursor } from './cursor.js';
import { fail } from './frame.js';

/** Decodes raw mailbox-name bytes: UTF-8, then modified UTF-7 unless UTF8=ACCEPT is on. */
export function decodeMailboxText(raw: Buffer, utf8Accept: boolean): string {
  const text = raw.toString('utf8');
  if (utf8Accept || !text.includes('&')) return text;
  const decoded = decodeModifiedUtf7(text);
  if (decoded === null)
    fail(`mailbox name "${text.slice(0, 40)}" is not valid modified UTF-7 (write "&" as "&-")`);
  return decoded;
}

/** Decodes a mailbox name and normalises any case of INBOX to `INBOX`. */
export function decodeMailboxName(raw: Buffer, utf8Accept: boolean): string {
  const name = decodeMailboxText(raw, utf8Accept);
  return name.length === 5 && name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
}

/** Reads a `mailbox` argument (astring) and decodes it. */
export function readMailbox(cursor: FrameCursor, utf8Accept: boolean): string {
  return decodeMailboxName(cursor.readAString('a mailbox name'), utf8Accept);
}

const SYSTEM_FLAGS = new Map(
  ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '\\Recent'].map((flag) => [
    flag.toUpperCase(),
    flag,
  ]),
);

/** Reads one flag (`\Seen`, `\Extension` or a keyword); system flags get their canonical case. */
export function readFlag(cursor: FrameCursor): string {
  if (cursor.tryByte(Byte.Backslash)) {
    const name = '\\' + cursor.readAtom('a flag name after "\\"');
    return SYSTEM_FLAGS.get(name.toUpperCase()) ?? name;
  }
  return cursor.readAtom('a flag');
}

/** Reads a parenthesised flag list, possibly empty. */
export function readFlagList(cursor: FrameCursor): string[] {
  return cursor.readList(() => readFlag(cursor), true, 'a flag list');
}
