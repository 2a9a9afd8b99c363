/**
 * Grammar of SORT (RFC 5256, with ESORT's RETURN options, RFC 5267, and RFC 5957's DISPLAY keys)
 * and THREAD (RFC 5256). Both take a mandatory charset, then search keys as SEARCH does.
 */
import { Byte } from './characters.js';
import type { FrameCursor } from './cursor.js';
import { fail } from './frame.js';
import { readReturnOption, readSearchKey } from './search.js';
import type {
  CommandBase,
  SearchKey,
  SearchReturnOption,
  SortCommand,
  SortCriterion,
  SortKeyName,
  ThreadAlgorithm,
  ThreadCommand,
} from './types.js';

const SORT_KEYS = new Set<string>([
  'ARRIVAL',
  'CC',
  'DATE',
  'FROM',
  'SIZE',
  'SUBJECT',
  'TO',
  'DISPLAYFROM',
  'DISPLAYTO',
]);
const THREAD_ALGORITHMS = new Set<string>(['ORDEREDSUBJECT', 'REFERENCES']);

/** SORT [RETURN (opts)] (criteria) charset key... */
export function readSort(cursor: FrameCursor, base: CommandBase): SortCommand {
  cursor.expectSpace();
  let returnOptions: SearchReturnOption[] | null = null;
  if (cursor.tryKeyword('RETURN')) {
    cursor.expectSpace();
    const options = cursor.readList(() => readReturnOption(cursor), true, 'SORT RETURN options');
    returnOptions = options.length === 0 ? ['ALL'] : [...new Set(options)];
    cursor.expectSpace();
  }
  const sortCriteria = cursor.readList(() => readSortCriterion(cursor), false, 'sort criteria');
  const { charset, criteria } = readCharsetAndKeys(cursor);
  return { ...base, name: 'SORT', returnOptions, sortCriteria, charset, criteria };
}

/** THREAD algorithm charset key... */
export function readThread(cursor: FrameCursor, base: CommandBase): ThreadCommand {
  cursor.expectSpace();
  const algorithm = cursor.readKeyword('a thread algorithm');
  if (!THREAD_ALGORITHMS.has(algorithm))
    fail(`unknown thread algorithm ${algorithm.slice(0, 40)} (use ORDEREDSUBJECT or REFERENCES)`);
  const { charset, criteria } = readCharsetAndKeys(cursor);
  return { ...base, name: 'THREAD', algorithm: algorithm as ThreadAlgorithm, charset, criteria };
}

/** `["REVERSE" SP] sort-key`. */
function readSortCriterion(cursor: FrameCursor): SortCriterion {
  let key = cursor.readKeyword('a sort key');
  let reverse = false;
  if (key === 'REVERSE') {
    reverse = true;
    cursor.expectSpace();
    key = cursor.readKeyword('a sort key after REVERSE');
  }
  if (!SORT_KEYS.has(key)) fail(`unknown sort key ${key.slice(0, 40)}`);
  return { key: key as SortKeyName, reverse };
}

/** `SP charset 1*(SP search-key)` up to the end of the command. */
function readCharsetAndKeys(cursor: FrameCursor): { charset: string; criteria: SearchKey[] } {
  cursor.expectSpace();
  const charset = cursor.readAString('a charset name').toString('latin1').toUpperCase();
  cursor.expectSpace();
  const criteria = [readSearchKey(cursor)];
  while (cursor.tryByte(Byte.Space)) criteria.push(readSearchKey(cursor));
  cursor.expectEnd();
  return { charset, criteria };
}
