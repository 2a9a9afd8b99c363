/**
 * Compact sequence-set text (`1:3,5`) for COPYUID, APPENDUID, VANISHED and ESEARCH, and for
 * echoing a parsed set.
 */
import type { SequenceRange, SequenceSet } from '../parser/types.js';

/**
 * Formats numbers as a sequence set, merging runs of consecutive ascending numbers, in the
 * given order (COPYUID needs source and destination sets to correspond element by element).
 * Pass `sort: true` for sets where order does not matter (VANISHED, ESEARCH ALL).
 */
export function formatSequenceSet(numbers: Iterable<number>, options: { sort?: boolean } = {}): string {
  let values = [...numbers];
  if (options.sort) values = [...new Set(values)].sort((a, b) => a - b);
  const parts: string[] = [];
  let index = 0;
  while (index < values.length) {
    const start = values[index] ?? 0;
    let end = start;
    while (values[index + 1] === end + 1) {
      end++;
      index++;
    }
    parts.push(start === end ? String(start) : `${start}:${end}`);
    index++;
  }
  return parts.join(',');
}

/** Formats a parsed sequence set back to text (`*` and `$` kept). */
export function formatSequenceRanges(set: SequenceSet): string {
  if (set === '$') return '$';
  return set
    .map((range: SequenceRange) =>
      range.start === range.end ? String(range.start) : `${range.start}:${range.end}`,
    )
    .join(',');
}
