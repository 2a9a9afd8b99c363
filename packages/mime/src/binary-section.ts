// BINARY[part] as the IMAP layer serves it (RFC 3516, RFC 9051 6.4.5): the decoded content of a
// leaf part with its length known before a byte is read, or why there is none to give. Only leaf
// parts decode: a multipart, a message/rfc822 part or the whole message has no single encoding.

import type { Readable } from 'node:stream';
import { openBinary } from './binary.js';
import { createBodyDecoder } from './decoders.js';
import type { OpenBody } from './reassemble.js';
import { resolvePart } from './sections.js';
import type { PartialRange, StoredSections } from './sections.js';

/** Why a BINARY section cannot be given. */
export interface UndecodableBinary {
  /** `unknown-encoding`: IMAP answers NO [UNKNOWN-CTE]; `not-leaf`: the part is not a leaf. */
  undecodable: 'unknown-encoding' | 'not-leaf';
}

/** A leaf's decoded content: `length` counts decoded bytes (partial applied); `open` reads them, lazily. */
export interface BinaryContent {
  length: number;
  open(): Readable;
}

/**
 * BINARY[part]<partial> and BINARY.SIZE[part]: null when the part does not exist. Nothing is read
 * until `open` is called, so BINARY.SIZE costs no body read (the decoded size is indexed).
 */
export function binarySection(
  message: StoredSections,
  part: readonly number[],
  openBody: OpenBody,
  partial?: PartialRange,
): BinaryContent | UndecodableBinary | null {
  if (!part.length) return { undecodable: 'not-leaf' };
  const found = resolvePart(message.root, part);
  if (!found) return null;
  if (found.kind !== 'leaf') return { undecodable: 'not-leaf' };
  if (!createBodyDecoder(found.transferEncoding) || found.decodedSize === undefined)
    return { undecodable: 'unknown-encoding' };
  const skip = Math.min(partial?.start ?? 0, found.decodedSize);
  const length = Math.min(found.decodedSize - skip, partial?.length ?? Infinity);
  return {
    length,
    open: () => {
      const content = openBinary(message, part, openBody, partial);
      if (!content) throw new Error(`part ${part.join('.')} vanished between size and read`);
      return content.stream;
    },
  };
}
