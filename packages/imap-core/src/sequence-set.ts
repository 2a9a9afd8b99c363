// Turns a parsed sequence set into the UIDs it names, for both message sequence numbers and
// UIDs, against the client's view of the selected mailbox (RFC 3501 6.4.8, 9 "seq-number").
import type { SequenceNumber, SequenceRange, SequenceSet } from './parser/types.js';
import type { SelectedMailbox } from './selected-mailbox.js';

/**
 * UIDs (ascending, unique) a command's set names: UIDs for the UID forms, sequence numbers
 * otherwise, and `$` the saved search result either way (RFC 5182 2.1).
 */
export function uidsForSet(set: SequenceSet, uid: boolean, mailbox: SelectedMailbox): number[] {
  if (set === '$') return mailbox.savedUids();
  return uid ? uidsForUidSet(set, mailbox) : uidsForSequenceNumbers(set, mailbox);
}

/** UIDs (ascending, unique) named by sequence numbers; out-of-range numbers are dropped. */
export function uidsForSequenceNumbers(ranges: readonly SequenceRange[], mailbox: SelectedMailbox): number[] {
  const count = mailbox.count;
  const picked = new Set<number>();
  for (const range of ranges) {
    const [low, high] = ordered(resolve(range.start, count), resolve(range.end, count));
    for (let seq = Math.max(low, 1); seq <= Math.min(high, count); seq++) {
      picked.add(mailbox.uidAt(seq) as number);
    }
  }
  return [...picked].sort((a, b) => a - b);
}

/** Known UIDs (ascending) inside a UID set; `*` is the highest UID the client knows of. */
export function uidsForUidSet(ranges: readonly SequenceRange[], mailbox: SelectedMailbox): number[] {
  const known = mailbox.allUids();
  const last = mailbox.lastUid;
  const picked = new Set<number>();
  for (const range of ranges) {
    const [low, high] = ordered(resolve(range.start, last), resolve(range.end, last));
    for (let index = lowerBound(known, low); index < known.length; index++) {
      const uid = known[index] as number;
      if (uid > high) break;
      picked.add(uid);
    }
  }
  return ranges.length === 1 ? [...picked] : [...picked].sort((a, b) => a - b);
}

/** Index of the first element not below `value` in an ascending array. */
function lowerBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((values[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** True when a sequence-number set names a number past the mailbox size (RFC 9051: BAD). */
export function hasOutOfRangeSequence(ranges: readonly SequenceRange[], count: number): boolean {
  return ranges.some((range) =>
    [range.start, range.end].some((value) => value !== '*' && (value > count || value < 1)),
  );
}

/** True when `uid` is inside a UID set; `*` stands for `star` (RFC 7162 known-uids). */
export function isInUidSet(ranges: readonly SequenceRange[], uid: number, star: number): boolean {
  return ranges.some((range) => {
    const [low, high] = ordered(resolve(range.start, star), resolve(range.end, star));
    return uid >= low && uid <= high;
  });
}

function resolve(value: SequenceNumber, star: number): number {
  return value === '*' ? star : value;
}

function ordered(a: number, b: number): [number, number] {
  return a <= b ? [a, b] : [b, a];
}
