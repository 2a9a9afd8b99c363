// RFC 3516 BINARY: the transfer-decoded content of a part, with its decoded size known in advance.

import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
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

/** Passes through `length` bytes after skipping `skip`, for partial BINARY fetches. */
function byteWindow(skip: number, length: number): Transform {
  let position = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      const from = Math.max(skip - position, 0);
      const to = Math.min(skip + length - position, chunk.length);
      position += chunk.length;
      callback(null, to > from ? chunk.subarray(from, to) : undefined);
    },
  });
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
  const window = decoded.pipe(byteWindow(skip, length));
  decoded.on('error', (error) => window.destroy(error));
  return { length, stream: window };
}
