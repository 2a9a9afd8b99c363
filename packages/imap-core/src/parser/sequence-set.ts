/**
 * Sequence sets (RFC 3501 `sequence-set`, RFC 5182 `$`): `1:*`, `*:5`, `1,3:4,7`. `*` stays
 * symbolic: only the session knows the largest sequence number or UID in use.
 */
import { Byte } from './characters.js';
import type { FrameCursor } from './cursor.js';
import { fail } from './frame.js';
import type { SequenceNumber, SequenceRange, SequenceSet } from './types.js';

/** True when a sequence set can start at the cursor (a digit, `*` or `$`). */
export function atSequenceSet(cursor: FrameCursor): boolean {
  const next = cursor.peek();
  return (next >= 0x30 && next <= 0x39) || next === Byte.Star || next === Byte.Dollar;
}

/** Reads a sequence set; `$` only when `allowSaved` (SEARCHRES). */
export function readSequenceSet(cursor: FrameCursor, allowSaved = true): SequenceSet {
  if (cursor.peek() === Byte.Dollar) {
    if (!allowSaved) fail('"$" (saved search result) is not allowed here');
    cursor.position++;
    return '$';
  }
  const ranges: SequenceRange[] = [];
  do {
    const start = readSequenceNumber(cursor);
    const end = cursor.tryByte(Byte.Colon) ? readSequenceNumber(cursor) : start;
    ranges.push({ start, end });
  } while (cursor.tryByte(Byte.Comma));
  return ranges;
}

/** Reads `*` or a non-zero number. */
function readSequenceNumber(cursor: FrameCursor): SequenceNumber {
  if (cursor.tryByte(Byte.Star)) return '*';
  return cursor.readNzNumber('a sequence number');
}
