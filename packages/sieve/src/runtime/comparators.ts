/**
 * Comparators (RFC 4790, as Sieve uses them in RFC 5228 2.7.3) and the match types built on them:
 * `:is`, `:contains`, `:matches` (RFC 5228 2.7.1) and the relational `:value` / `:count`
 * (RFC 5231). Pure functions over strings.
 */
import { matchWildcard } from './wildcard.js';

export type ComparatorName = 'i;octet' | 'i;ascii-casemap' | 'i;ascii-numeric';
export type RelationalOperator = 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne';

export type MatchType =
  | { kind: 'is' }
  | { kind: 'contains' }
  | { kind: 'matches' }
  | { kind: 'value'; operator: RelationalOperator }
  | { kind: 'count'; operator: RelationalOperator };

/** Only US-ASCII letters change case under i;ascii-casemap; everything else compares as is. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

export function asciiUpper(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

/** i;ascii-numeric: the number the leading digits spell; no leading digit is positive infinity. */
function numericValue(text: string): bigint | null {
  const digits = /^[0-9]+/.exec(text);
  return digits ? BigInt(digits[0]) : null;
}

function compareNumeric(a: string, b: string): number {
  const left = numericValue(a);
  const right = numericValue(b);
  if (left === null || right === null) return left === right ? 0 : left === null ? 1 : -1;
  return left === right ? 0 : left < right ? -1 : 1;
}

function compareOctets(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The ordering of a comparator, for :value and :count (RFC 4790 section 9). */
export function compareWith(comparator: ComparatorName, a: string, b: string): number {
  switch (comparator) {
    case 'i;octet':
      return compareOctets(a, b);
    case 'i;ascii-casemap':
      // RFC 4790 9.2: i;ascii-casemap orders as i;octet after mapping letters to upper case.
      return compareOctets(asciiUpper(a), asciiUpper(b));
    case 'i;ascii-numeric':
      return compareNumeric(a, b);
  }
}

function holds(operator: RelationalOperator, order: number): boolean {
  switch (operator) {
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
  }
}

function foldFor(comparator: ComparatorName): (text: string) => string {
  return comparator === 'i;ascii-casemap' ? asciiLower : (text) => text;
}

/** Why a comparator cannot serve a match type, or null when it can (RFC 5228 2.7.3). */
export function unsupportedCombination(comparator: ComparatorName, matchType: MatchType): string | null {
  if (comparator === 'i;ascii-numeric' && (matchType.kind === 'contains' || matchType.kind === 'matches')) {
    return `the comparator "i;ascii-numeric" cannot be used with :${matchType.kind}`;
  }
  return null;
}

/**
 * Matches one value against one key with a match type other than :count. Answers null for no
 * match; otherwise the match variables it sets (only :matches sets any: [whole, ${1}, …]).
 */
export function matchValue(
  comparator: ComparatorName,
  matchType: Exclude<MatchType, { kind: 'count' }>,
  value: string,
  key: string,
): string[] | null {
  const fold = foldFor(comparator);
  switch (matchType.kind) {
    case 'is':
      if (comparator === 'i;ascii-numeric') return compareNumeric(value, key) === 0 ? [] : null;
      return fold(value) === fold(key) ? [] : null;
    case 'contains':
      return fold(value).includes(fold(key)) ? [] : null;
    case 'matches': {
      const captures = matchWildcard(value, key, fold);
      return captures ? [value, ...captures] : null;
    }
    case 'value':
      return holds(matchType.operator, compareWith(comparator, value, key)) ? [] : null;
  }
}

/** RFC 5231 :count: the number of values, as a decimal string, against each key. */
export function matchCount(
  comparator: ComparatorName,
  operator: RelationalOperator,
  count: number,
  keys: readonly string[],
): boolean {
  return keys.some((key) => holds(operator, compareWith(comparator, String(count), key)));
}

export interface MatchResult {
  matched: boolean;
  /** Set when a :matches succeeded: [whole value, ${1}, ${2}, …]. */
  captures?: string[];
}

/**
 * The common shape of header, address, envelope, string and hasflag: true when any value matches
 * any key (or, for :count, when the number of values compares to any key).
 */
export function matchAny(
  comparator: ComparatorName,
  matchType: MatchType,
  values: readonly string[],
  keys: readonly string[],
): MatchResult {
  if (matchType.kind === 'count') {
    return { matched: matchCount(comparator, matchType.operator, values.length, keys) };
  }
  for (const value of values) {
    for (const key of keys) {
      const result = matchValue(comparator, matchType, value, key);
      if (result)
        return matchType.kind === 'matches' ? { matched: true, captures: result } : { matched: true };
    }
  }
  return { matched: false };
}
