/**
 * FETCH attributes (RFC 3501 6.4.5, RFC 3516 BINARY, RFC 7162 MODSEQ, RFC 8970 PREVIEW) and the FETCH modifiers
 * CHANGEDSINCE and VANISHED.
 */
import { Byte, DIGIT } from './characters.js';
import type { FrameCursor } from './cursor.js';
import { fail } from './frame.js';
import type { FetchItem, PartialRange, SectionPart, SectionSpec, SimpleFetchItemName } from './types.js';

const SIMPLE_ITEMS = new Set<string>([
  'FLAGS',
  'INTERNALDATE',
  'RFC822',
  'RFC822.HEADER',
  'RFC822.SIZE',
  'RFC822.TEXT',
  'ENVELOPE',
  'BODY',
  'BODYSTRUCTURE',
  'UID',
  'MODSEQ',
  'EMAILID',
  'THREADID',
  'SAVEDATE',
]);

/** The macros and what they stand for (RFC 3501 6.4.5). */
const MACROS: Record<'ALL' | 'FAST' | 'FULL', SimpleFetchItemName[]> = {
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

/** The attribute list of a FETCH, macros expanded. */
export interface FetchAttributes {
  items: FetchItem[];
  macro: 'ALL' | 'FAST' | 'FULL' | null;
}

/** Letters, digits, `.` and `-`: the characters of an attribute name before `[`. */
function isAttributeNameByte(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    DIGIT[byte] === 1 ||
    byte === Byte.Dot ||
    byte === 0x2d
  );
}

/** Reads `ALL` / `FAST` / `FULL` / fetch-att / `(fetch-att ...)`. */
export function readFetchAttributes(cursor: FrameCursor): FetchAttributes {
  if (cursor.peek() === Byte.OpenParen) {
    return {
      items: cursor.readList(() => readFetchItem(cursor), false, 'a fetch attribute list'),
      macro: null,
    };
  }
  const start = cursor.position;
  const name = cursor.readWhile(isAttributeNameByte, 'a fetch attribute').toUpperCase();
  if (name === 'ALL' || name === 'FAST' || name === 'FULL') {
    return { items: MACROS[name].map((item) => ({ item })), macro: name };
  }
  cursor.position = start;
  return { items: [readFetchItem(cursor)], macro: null };
}

/** Reads one fetch attribute. */
function readFetchItem(cursor: FrameCursor): FetchItem {
  const name = cursor.readWhile(isAttributeNameByte, 'a fetch attribute').toUpperCase();
  const hasSection = cursor.peek() === Byte.OpenBracket;
  if (!hasSection) {
    if (SIMPLE_ITEMS.has(name)) return { item: name as SimpleFetchItemName };
    if (name === 'PREVIEW') return { item: 'PREVIEW', lazy: readPreviewModifiers(cursor) };
    return fail(`unknown fetch attribute ${name.slice(0, 40)}`);
  }
  switch (name) {
    case 'BODY':
    case 'BODY.PEEK': {
      const section = readSection(cursor);
      return { item: 'BODY[]', peek: name === 'BODY.PEEK', section, partial: readPartial(cursor) };
    }
    case 'BINARY':
    case 'BINARY.PEEK': {
      const part = readBinarySection(cursor);
      return { item: 'BINARY[]', peek: name === 'BINARY.PEEK', part, partial: readPartial(cursor) };
    }
    case 'BINARY.SIZE':
      return { item: 'BINARY.SIZE', part: readBinarySection(cursor) };
    default:
      return fail(`fetch attribute ${name.slice(0, 40)} takes no section`);
  }
}

/**
 * Reads PREVIEW's ` (LAZY)` (RFC 8970: `"PREVIEW" [SP "(" preview-mod *(SP preview-mod) ")"]`, LAZY
 * the only preview-mod), true when LAZY was given. A list that does not start with LAZY is left
 * alone: in `FETCH 1 PREVIEW (CHANGEDSINCE 5)` it is the FETCH modifiers.
 */
function readPreviewModifiers(cursor: FrameCursor): boolean {
  if (cursor.peek() !== Byte.Space || cursor.peek(1) !== Byte.OpenParen) return false;
  const start = cursor.position;
  cursor.position += 2;
  const lazy = cursor.tryKeyword('LAZY');
  cursor.position = start;
  if (!lazy) return false;
  cursor.expectSpace();
  cursor.readList(
    () => {
      const modifier = cursor.readKeyword('a PREVIEW modifier');
      if (modifier !== 'LAZY') fail(`unknown PREVIEW modifier ${modifier.slice(0, 40)}`);
    },
    false,
    'PREVIEW modifiers',
  );
  return true;
}

/** Reads `nz-number *("." nz-number)`, stopping before a `.` that is not followed by a digit. */
function readSectionPart(cursor: FrameCursor): SectionPart {
  const part = [cursor.readNzNumber('a body part number')];
  while (cursor.peek() === Byte.Dot && DIGIT[cursor.peek(1)] === 1) {
    cursor.position++;
    part.push(cursor.readNzNumber('a body part number'));
  }
  return part;
}

/** Reads `[section-spec]`. */
function readSection(cursor: FrameCursor): SectionSpec {
  cursor.expectByte(Byte.OpenBracket, '"["');
  const part = DIGIT[cursor.peek()] === 1 ? readSectionPart(cursor) : [];
  let specifier: SectionSpec['specifier'] = null;
  let fields: string[] = [];
  if (part.length === 0 || cursor.tryByte(Byte.Dot)) {
    if (part.length > 0 || cursor.peek() !== Byte.CloseBracket) {
      const text = cursor
        .readWhile(isAttributeNameByte, 'a section text (HEADER, HEADER.FIELDS, TEXT or MIME)')
        .toUpperCase();
      if (text === 'HEADER.FIELDS' || text === 'HEADER.FIELDS.NOT') {
        cursor.expectSpace();
        fields = cursor.readList(
          () => cursor.readAString('a header field name').toString('utf8'),
          false,
          'a header field list',
        );
      } else if (text === 'MIME' && part.length === 0) {
        fail('MIME needs a part number, e.g. BODY[1.MIME]');
      } else if (text !== 'HEADER' && text !== 'TEXT' && text !== 'MIME') {
        fail(`unknown section text ${text.slice(0, 40)}`);
      }
      specifier = text;
    }
  }
  cursor.expectByte(Byte.CloseBracket, '"]"');
  return { part, specifier, fields };
}

/** Reads `[section-part]` of BINARY. */
function readBinarySection(cursor: FrameCursor): SectionPart {
  cursor.expectByte(Byte.OpenBracket, '"["');
  const part = cursor.peek() === Byte.CloseBracket ? [] : readSectionPart(cursor);
  cursor.expectByte(Byte.CloseBracket, '"]"');
  return part;
}

/** Reads an optional `<offset.length>`. */
function readPartial(cursor: FrameCursor): PartialRange | null {
  if (!cursor.tryByte(Byte.LessThan)) return null;
  const offset = cursor.readNumber('a partial offset');
  cursor.expectByte(Byte.Dot, '"." in a partial range');
  const length = cursor.readNzNumber('a partial length');
  cursor.expectByte(Byte.GreaterThan, '">"');
  return { offset, length };
}

/** The FETCH modifiers (RFC 7162 3.1.4.1, 3.2.6). */
export interface FetchModifiers {
  changedSince: number | null;
  vanished: boolean;
}

/** Reads ` (CHANGEDSINCE n [VANISHED])` if present. */
export function readFetchModifiers(cursor: FrameCursor): FetchModifiers {
  const modifiers: FetchModifiers = { changedSince: null, vanished: false };
  if (!cursor.tryByte(Byte.Space)) return modifiers;
  cursor.readList(
    () => {
      const name = cursor.readKeyword('a FETCH modifier');
      if (name === 'CHANGEDSINCE') {
        cursor.expectSpace();
        modifiers.changedSince = cursor.readModSeqNonZero();
      } else if (name === 'VANISHED') {
        modifiers.vanished = true;
      } else {
        fail(`unknown FETCH modifier ${name.slice(0, 40)}`);
      }
    },
    false,
    'FETCH modifiers',
  );
  if (modifiers.vanished && modifiers.changedSince === null)
    fail('VANISHED needs CHANGEDSINCE (RFC 7162 3.2.6)');
  return modifiers;
}
