// RFC 3516 BINARY: the transfer-decoded content of a part, with its decoded size known in advance.

import { Readable } from 'node:stream';
import { createBodyDecoder, createDecodeTransform } from './decoders.js';
import { readMessageRange } from './reassemble.js';
import type { OpenBody, SectionContent } from './reassemble.js';
import { openSection, resolvePart } from './sections.js';
import type { PartialRange, StoredSections } from './sections.js';

/** The part's Content-Transfer-Encoding is not one we can decode: IMAP answers NO [UNKNOWN-CTE]. */
export class UnknownTransferEncodingError extends Error {
  constructor(readonly encoding: string) {
    super(`cannot decode Content-Transfer-Encoding "${encoding}"`);
    this.name = 'UnknownTransferEncodingError';
  }
}

/** BINARY.SIZE[part]: decoded octets of a leaf, or the raw body size of anything else; null when absent. */
export function binarySize(message: StoredSections, part: readonly number[]): number | null {
  if (!part.length) return message.size;
  const found = resolvePart(message.root, part);
  if (!found) return null;
  if (found.kind !== 'leaf') return found.body.length;
  if (found.decodedSize === undefined) throw new UnknownTransferEncodingError(found.transferEncoding);
  return found.decodedSize;
}

/**
 * The `length` bytes of `decoded` after skipping `skip`, for partial BINARY fetches. Reading stops
 * once the window is full and `source` (the stored bytes) is closed: a partial fetch near the start
 * of a large attachment does not read the rest of it from the store.
 */
async function* byteWindow(
  decoded: Readable,
  source: Readable,
  skip: number,
  length: number,
): AsyncGenerator<Buffer> {
  let position = 0;
  try {
    for await (const chunk of decoded as AsyncIterable<Buffer>) {
      const from = Math.max(skip - position, 0);
      const to = Math.min(skip + length - position, chunk.length);
      position += chunk.length;
      if (to > from) yield chunk.subarray(from, to);
      if (position >= skip + length) break;
    }
  } finally {
    source.destroy();
  }
}

/** Opens BINARY[part]<partial>: decoded content of a leaf; other parts and the message as they are. */
export function openBinary(
  message: StoredSections,
  part: readonly number[],
  openBody: OpenBody,
  partial?: PartialRange,
): SectionContent | null {
  // BINARY[] is the whole message, and a multipart or message part has no transfer encoding
  // of its own: both are returned as they are.
  if (!part.length) return openSection(message, { part: [] }, openBody, partial);
  const found = resolvePart(message.root, part);
  if (!found) return null;
  if (found.kind !== 'leaf') return openSection(message, { part: [...part] }, openBody, partial);
  const decoder = createBodyDecoder(found.transferEncoding);
  if (!decoder || found.decodedSize === undefined) {
    throw new UnknownTransferEncodingError(found.transferEncoding);
  }
  const skip = Math.min(partial?.start ?? 0, found.decodedSize);
  const length = Math.min(found.decodedSize - skip, partial?.length ?? Infinity);
  const raw = readMessageRange(
    message.segments,
    found.body.offset,
    found.body.offset + found.body.length,
    openBody,
  );
  const decoded = raw.pipe(createDecodeTransform(decoder));
  raw.on('error', (error) => decoded.destroy(error));
  if (!partial) return { length, stream: decoded };
  return { length, stream: Readable.from(byteWindow(decoded, raw, skip, length), { objectMode: false }) };
}
