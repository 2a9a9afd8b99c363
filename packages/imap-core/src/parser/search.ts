/**
 * SEARCH arguments (RFC 3501 6.4.4 and 9, RFC 4731 ESEARCH RETURN, RFC 7162 MODSEQ): the
 * return options, the charset and the search key tree.
 */
import { Byte } from './characters.js';
import type { FrameCursor } from './cursor.js';
import { readSearchDate } from './dates.js';
import { fail } from './frame.js';
import { readFlag } from './names.js';
import { atSequenceSet, readSequenceSet } from './sequence-set.js';
import type {
  DateSearchKeyName,
  FlagSearchKeyName,
  SearchKey,
  SearchReturnOption,
  TextSearchKeyName,
} from './types.js';

const FLAG_KEYS = new Set<string>([
  'ALL',
  'ANSWERED',
  'DELETED',
  'DRAFT',
  'FLAGGED',
  'NEW',
  'OLD',
  'RECENT',
  'SEEN',
  'UNANSWERED',
  'UNDELETED',
  'UNDRAFT',
  'UNFLAGGED',
  'UNSEEN',
  'SAVEDATESUPPORTED',
]);
const TEXT_KEYS = new Set<string>(['BCC', 'BODY', 'CC', 'FROM', 'SUBJECT', 'TEXT', 'TO']);
const DATE_KEYS = new Set<string>([
  'BEFORE',
  'ON',
  'SINCE',
  'SENTBEFORE',
  'SENTON',
  'SENTSINCE',
  'SAVEDBEFORE',
  'SAVEDON',
  'SAVEDSINCE',
]);
const RETURN_OPTIONS = new Set<string>(['MIN', 'MAX', 'ALL', 'COUNT', 'SAVE']);
const ENTRY_TYPES = new Set<string>(['PRIV', 'SHARED', 'ALL']);

/** The arguments of SEARCH after the command name. */
export interface SearchArguments {
  charset: string | null;
  returnOptions: SearchReturnOption[] | null;
  criteria: SearchKey[];
}

/** Reads `[SP RETURN (...)] [SP CHARSET x] 1*(SP search-key)` up to the end of the command. */
export function readSearchArguments(cursor: FrameCursor): SearchArguments {
  let returnOptions: SearchReturnOption[] | null = null;
  let charset: string | null = null;
  cursor.expectSpace();
  if (cursor.tryKeyword('RETURN')) {
    cursor.expectSpace();
    const options = cursor.readList(() => readReturnOption(cursor), true, 'SEARCH RETURN options');
    returnOptions = options.length === 0 ? ['ALL'] : [...new Set(options)];
    cursor.expectSpace();
  }
  if (cursor.tryKeyword('CHARSET')) {
    cursor.expectSpace();
    charset = cursor.readAString('a charset name').toString('latin1').toUpperCase();
    cursor.expectSpace();
  }
  const criteria = [readSearchKey(cursor)];
  while (cursor.tryByte(Byte.Space)) criteria.push(readSearchKey(cursor));
  cursor.expectEnd();
  return { charset, returnOptions, criteria };
}

/** Reads one ESEARCH return option (also SORT's, RFC 5267). */
export function readReturnOption(cursor: FrameCursor): SearchReturnOption {
  const option = cursor.readKeyword('a SEARCH RETURN option');
  if (!RETURN_OPTIONS.has(option))
    fail(`unknown SEARCH RETURN option ${option} (use MIN, MAX, ALL, COUNT or SAVE)`);
  return option as SearchReturnOption;
}

/** Reads a search string argument (astring), decoded as UTF-8. */
function readSearchString(cursor: FrameCursor): string {
  cursor.expectSpace();
  return cursor.readAString('a search string').toString('utf8');
}

/** Reads one search key, recursing into NOT, OR and parenthesised groups. */
export function readSearchKey(cursor: FrameCursor): SearchKey {
  if (cursor.peek() === Byte.OpenParen) {
    const operands = cursor.readList(() => readSearchKey(cursor), false, 'a search key group');
    return { key: 'AND', operands };
  }
  if (atSequenceSet(cursor)) return { key: 'SEQUENCE', set: readSequenceSet(cursor) };
  const name = cursor.readKeyword('a search key');
  if (FLAG_KEYS.has(name)) return { key: name as FlagSearchKeyName };
  if (TEXT_KEYS.has(name)) return { key: name as TextSearchKeyName, value: readSearchString(cursor) };
  if (DATE_KEYS.has(name)) {
    cursor.expectSpace();
    return { key: name as DateSearchKeyName, date: readSearchDate(cursor) };
  }
  switch (name) {
    case 'HEADER': {
      cursor.expectSpace();
      const field = cursor.readAString('a header field name').toString('utf8');
      return { key: 'HEADER', field, value: readSearchString(cursor) };
    }
    case 'KEYWORD':
    case 'UNKEYWORD':
      cursor.expectSpace();
      return { key: name, flag: readFlag(cursor) };
    case 'LARGER':
    case 'SMALLER':
      cursor.expectSpace();
      return { key: name, size: cursor.readNumber('a size') };
    case 'UID':
      cursor.expectSpace();
      return { key: 'UID', set: readSequenceSet(cursor) };
    case 'NOT': {
      cursor.expectSpace();
      cursor.enterNesting();
      const operand = readSearchKey(cursor);
      cursor.leaveNesting();
      return { key: 'NOT', operand };
    }
    case 'OR': {
      cursor.expectSpace();
      cursor.enterNesting();
      const left = readSearchKey(cursor);
      cursor.expectSpace();
      const right = readSearchKey(cursor);
      cursor.leaveNesting();
      return { key: 'OR', left, right };
    }
    case 'MODSEQ':
      return readModSeqKey(cursor);
    case 'OLDER':
    case 'YOUNGER':
      cursor.expectSpace();
      return { key: name, seconds: cursor.readNzNumber('a number of seconds') };
    case 'EMAILID':
    case 'THREADID': {
      // RFC 8474: objectid = 1*255(ALPHA / DIGIT / "_" / "-")
      cursor.expectSpace();
      const id = cursor.readAtom('an object id');
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(id)) fail(`${name} takes an object id (letters, digits, - and _)`);
      return { key: name, id };
    }
    default:
      return fail(`unknown search key ${name.slice(0, 40)}`);
  }
}

/** Reads `MODSEQ [entry-name entry-type] mod-sequence-valzer` (RFC 7162 3.1.5). */
function readModSeqKey(cursor: FrameCursor): SearchKey {
  cursor.expectSpace();
  let entry: { name: string; type: 'priv' | 'shared' | 'all' } | null = null;
  if (cursor.peek() === Byte.Quote) {
    const name = cursor.readQuoted().toString('utf8');
    if (!name.toLowerCase().startsWith('/flags/')) fail('a MODSEQ entry name must be "/flags/<flag>"');
    cursor.expectSpace();
    const type = cursor.readKeyword('a MODSEQ entry type');
    if (!ENTRY_TYPES.has(type)) fail('a MODSEQ entry type must be priv, shared or all');
    entry = { name, type: type.toLowerCase() as 'priv' | 'shared' | 'all' };
    cursor.expectSpace();
  }
  return { key: 'MODSEQ', modSeq: cursor.readNumber63(), entry };
}
