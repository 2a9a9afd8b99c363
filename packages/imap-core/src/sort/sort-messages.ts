// SORT's ordering (RFC 5256 section 3, RFC 5957 DISPLAYFROM/DISPLAYTO): the messages' sort
// records compared key by key, ties broken by sequence order (ascending UID). Pure: the records
// come from the backend, which keeps them small (no body is read to sort).
import type { SortAddress, SortRecord } from '../backend.js';
import type { SortCriterion, SortKeyName } from '../parser/types.js';
import { asciiCasemap, baseSubject } from './base-subject.js';

/** One record with its comparable values computed once (a 50,000-message sort compares a lot). */
type Keyed = { readonly record: SortRecord; readonly values: readonly (string | number)[] };

/** UIDs of `records` in the order `criteria` asks for. */
export function sortMessages(records: readonly SortRecord[], criteria: readonly SortCriterion[]): number[] {
  const keyed: Keyed[] = records.map((record) => ({
    record,
    values: criteria.map((criterion) => sortValue(record, criterion.key)),
  }));
  keyed.sort((a, b) => {
    for (const [index, criterion] of criteria.entries()) {
      const order = compareValues(a.values[index] as string | number, b.values[index] as string | number);
      if (order !== 0) return criterion.reverse ? -order : order;
    }
    return a.record.uid - b.record.uid;
  });
  return keyed.map((entry) => entry.record.uid);
}

/** The sent date of RFC 5256: the Date header in UTC, else the internal date. */
export function sentDate(record: SortRecord): number {
  return record.sentDate ?? record.internalDate;
}

/** The value one key compares (strings already in their collation's form). */
function sortValue(record: SortRecord, key: SortKeyName): string | number {
  switch (key) {
    case 'ARRIVAL':
      return record.internalDate;
    case 'DATE':
      return sentDate(record);
    case 'SIZE':
      return record.size;
    case 'SUBJECT':
      return asciiCasemap(baseSubject(record.subject).base);
    case 'FROM':
      return asciiCasemap(record.from?.mailbox ?? '');
    case 'TO':
      return asciiCasemap(record.to?.mailbox ?? '');
    case 'CC':
      return asciiCasemap(record.cc?.mailbox ?? '');
    case 'DISPLAYFROM':
      return displayValue(record.from);
    case 'DISPLAYTO':
      return displayValue(record.to);
  }
}

/**
 * RFC 5957 3: the display name when there is one, else the address (mailbox@host); compared
 * with i;unicode-casemap, approximated by full Unicode upper-casing.
 */
function displayValue(address: SortAddress | null): string {
  if (!address) return '';
  const name = address.name.trim();
  const shown = name || (address.host ? `${address.mailbox}@${address.host}` : address.mailbox);
  return shown.toUpperCase();
}

/** Numbers by value; strings by code unit, which orders like UTF-8 octets outside the surrogates. */
function compareValues(a: string | number, b: string | number): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
