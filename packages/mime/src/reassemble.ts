// Reads the original bytes back from the stored segments: the whole message or any byte range,
// opening only the stored bodies that the range touches.

import { Readable } from 'node:stream';
import type { ByteRange, ExternalBody, IndexedMessage, Segment } from './model.js';

/**
 * Opens bytes [start, end) (end exclusive) of a body the sink stored; GridFS's download range fits.
 * It may return the stream at once or a promise of it (say, after looking the hash up).
 */
export type OpenBody = (body: ExternalBody, start: number, end: number) => Readable | Promise<Readable>;

/** A section's bytes: `length` is known before the first byte, and `stream` yields exactly that many. */
export interface SectionContent {
  length: number;
  stream: Readable;
}

/** Index of the first segment that ends after `offset` (segments are sorted and contiguous). */
function firstSegmentAfter(segments: readonly Segment[], offset: number): number {
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const segment = segments[mid];
    if (segment && segment.offset + segment.length <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

async function* rangeChunks(
  segments: readonly Segment[],
  start: number,
  end: number,
  openBody: OpenBody,
): AsyncGenerator<Buffer> {
  for (let index = firstSegmentAfter(segments, start); index < segments.length; index++) {
    const segment = segments[index];
    if (!segment || segment.offset >= end) break;
    const from = Math.max(start, segment.offset) - segment.offset;
    const to = Math.min(end, segment.offset + segment.length) - segment.offset;
    if (to <= from) continue;
    if (segment.data) {
      yield segment.data.subarray(from, to);
      continue;
    }
    if (segment.kind !== 'body' || segment.ref === undefined)
      throw new Error(`segment at ${segment.offset} has neither data nor ref`);
    let received = 0;
    for await (const chunk of await openBody(segment as ExternalBody, from, to)) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      received += bytes.length;
      yield bytes;
    }
    if (received !== to - from) {
      throw new Error(
        `stored body ${segment.ref} gave ${received} bytes for range ${from}-${to}: the store is inconsistent`,
      );
    }
  }
}

/** Streams bytes [start, end) of the original message. */
export function readMessageRange(
  segments: readonly Segment[],
  start: number,
  end: number,
  openBody: OpenBody,
): Readable {
  return Readable.from(rangeChunks(segments, start, end, openBody), { objectMode: false });
}

/** Streams the whole original message, byte for byte (BODY[] and RFC822). */
export function reassembleMessage(
  message: Pick<IndexedMessage, 'segments' | 'size'>,
  openBody: OpenBody,
): SectionContent {
  return { length: message.size, stream: readMessageRange(message.segments, 0, message.size, openBody) };
}

/** Copies a range that lies wholly in skeleton or inline segments (headers), without opening anything. */
export function sliceInlineBytes(segments: readonly Segment[], range: ByteRange): Buffer {
  if (!range.length) return Buffer.alloc(0);
  const pieces: Buffer[] = [];
  const end = range.offset + range.length;
  for (let index = firstSegmentAfter(segments, range.offset); index < segments.length; index++) {
    const segment = segments[index];
    if (!segment || segment.offset >= end) break;
    if (!segment.data) throw new Error(`bytes ${range.offset}-${end} are not stored inline`);
    const from = Math.max(range.offset, segment.offset) - segment.offset;
    const to = Math.min(end, segment.offset + segment.length) - segment.offset;
    pieces.push(segment.data.subarray(from, to));
  }
  return Buffer.concat(pieces);
}
