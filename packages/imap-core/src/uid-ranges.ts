// Arithmetic on UID ranges, for QRESYNC's VANISHED (EARLIER) without listing every UID.
import type { SequenceRange } from './parser/types.js';

/** An inclusive range of UIDs. */
export type UidRange = readonly [number, number];

/** The ranges in [1, max] not covered by `present` (ascending UIDs). */
export function missingRanges(present: readonly number[], max: number): UidRange[] {
  const ranges: UidRange[] = [];
  let next = 1;
  for (const uid of present) {
    if (uid > max) break;
    if (uid > next) ranges.push([next, uid - 1]);
    next = uid + 1;
  }
  if (next <= max) ranges.push([next, max]);
  return ranges;
}

/** Intersection of ranges with a client's UID set (`*` stands for `star`). */
export function intersectRanges(
  ranges: readonly UidRange[],
  set: readonly SequenceRange[],
  star: number,
): UidRange[] {
  const result: UidRange[] = [];
  for (const item of set) {
    const a = item.start === '*' ? star : item.start;
    const b = item.end === '*' ? star : item.end;
    const [low, high] = a <= b ? [a, b] : [b, a];
    for (const [start, end] of ranges) {
      const from = Math.max(start, low);
      const to = Math.min(end, high);
      if (from <= to) result.push([from, to]);
    }
  }
  return normalise(result);
}

/** Ranges from a sorted UID list. */
export function rangesOf(uids: readonly number[]): UidRange[] {
  return normalise(uids.map((uid) => [uid, uid] as const));
}

/** Formats ranges as a sequence set: `1:3,7`. */
export function formatRanges(ranges: readonly UidRange[]): string {
  return ranges.map(([start, end]) => (start === end ? String(start) : `${start}:${end}`)).join(',');
}

function normalise(ranges: UidRange[]): UidRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}
