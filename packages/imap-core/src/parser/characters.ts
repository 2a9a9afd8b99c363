/**
 * Character classes of the IMAP grammar (RFC 3501 section 9), as byte lookup tables, shared by
 * the parser and the response writer.
 */

function buildTable(accepts: (byte: number) => boolean): Uint8Array {
  const table = new Uint8Array(256);
  for (let byte = 0; byte < 256; byte++) table[byte] = accepts(byte) ? 1 : 0;
  return table;
}

const ATOM_SPECIALS = new Set([0x28, 0x29, 0x7b, 0x20, 0x25, 0x2a, 0x22, 0x5c, 0x5d]); // ( ) { SP % * " \ ]

/** ATOM-CHAR: any 7-bit CHAR except atom-specials (parentheses, brace, space, controls, wildcards, quoted-specials, `]`). */
export const ATOM_CHAR = buildTable((byte) => byte > 0x1f && byte < 0x7f && !ATOM_SPECIALS.has(byte));

/** ASTRING-CHAR: ATOM-CHAR or `]`. */
export const ASTRING_CHAR = buildTable((byte) => ATOM_CHAR[byte] === 1 || byte === 0x5d);

/** Tag characters: ASTRING-CHAR except `+`. */
export const TAG_CHAR = buildTable((byte) => ASTRING_CHAR[byte] === 1 && byte !== 0x2b);

/** list-char of LIST patterns: ATOM-CHAR, the wildcards `%` `*`, or `]`. */
export const LIST_CHAR = buildTable((byte) => ASTRING_CHAR[byte] === 1 || byte === 0x25 || byte === 0x2a);

/** TEXT-CHAR allowed inside a quoted string without escaping (no CR, LF, NUL, `"` or `\`); 8-bit is UTF-8 text (RFC 6855, RFC 9051). */
export const QUOTED_CHAR = buildTable(
  (byte) => byte !== 0x00 && byte !== 0x0a && byte !== 0x0d && byte !== 0x22 && byte !== 0x5c,
);

/** ASCII digits. */
export const DIGIT = buildTable((byte) => byte >= 0x30 && byte <= 0x39);

/** Byte values used by name in the parser. */
export const Byte = {
  Space: 0x20,
  Quote: 0x22,
  OpenParen: 0x28,
  CloseParen: 0x29,
  Star: 0x2a,
  Plus: 0x2b,
  Comma: 0x2c,
  Minus: 0x2d,
  Dot: 0x2e,
  Colon: 0x3a,
  LessThan: 0x3c,
  GreaterThan: 0x3e,
  OpenBracket: 0x5b,
  Backslash: 0x5c,
  CloseBracket: 0x5d,
  OpenBrace: 0x7b,
  CloseBrace: 0x7d,
  Tilde: 0x7e,
  Dollar: 0x24,
  CarriageReturn: 0x0d,
  LineFeed: 0x0a,
} as const;
