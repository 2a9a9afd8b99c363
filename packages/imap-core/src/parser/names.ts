/**
 * Decoding of names and flags from the wire: mailbox names (modified UTF-7 or UTF-8, INBOX
 * normalised) and message flags (system flags in canonical case).
 */
import { decodeModifiedUtf7 } from '../utf7.js';
import { Byte } from './characters.js';
import type { FrameCursor } from './cursor.js';
import { fail } from './frame.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes raw mailbox-name bytes: UTF-8, then modified UTF-7 unless UTF8=ACCEPT is on. Null when
 * the bytes are no valid name (not UTF-8, or not valid modified UTF-7): no mailbox has such a name.
 */
export function tryDecodeMailboxText(raw: Buffer, utf8Accept: boolean): string | null {
  let text: string;
  try {
    text = strictUtf8.decode(raw);
  } catch {
    return null;
  }
  if (utf8Accept || !text.includes('&')) return text;
  return decodeModifiedUtf7(text);
}

/**
 * Decodes raw mailbox-name bytes like `tryDecodeMailboxText`; an invalid name fails the command
 * with NO (`invalid-mailbox-name`), as the name is well-formed IMAP but names no possible mailbox.
 */
export function decodeMailboxText(raw: Buffer, utf8Accept: boolean): string {
  const decoded = tryDecodeMailboxText(raw, utf8Accept);
  if (decoded === null) {
    const shown = raw.toString('utf8').slice(0, 40);
    fail(
      utf8Accept
        ? `mailbox name "${shown}" is not valid UTF-8`
        : `mailbox name "${shown}" is not valid modified UTF-7 (write "&" as "&-")`,
      'invalid-mailbox-name',
    );
  }
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
