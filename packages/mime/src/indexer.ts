// Indexes one message from a stream: the MIME tree, ENVELOPE, BODYSTRUCTURE, search headers and
// the segments to store, without ever holding the whole message.

import type { Readable } from 'node:stream';
import { buildEnvelope } from './envelope.js';
import { buildSearchHeaders } from './header-fields.js';
import type { IndexedMessage } from './model.js';
import type { PartSink } from './part-sink.js';
import { MimeSplitter } from './splitter.js';

/** How to index: where large bodies go and the limits that protect the server. */
export interface IndexOptions {
  /** Receives bodies larger than `largeBodyThreshold`; without a sink every body stays inline. */
  sink?: PartSink;
  /** Bodies of more octets than this go to the sink (default 128 KiB; 0 sends every non-empty body). */
  largeBodyThreshold?: number;
  /** Inline body octets in all (default 4 MiB); once spent, further bodies go to the sink whatever their size. */
  maxInlineBodyTotal?: number;
  /** Header and delimiter octets in all (default 4 MiB); more is refused with MimeLimitError. */
  maxSkeletonSize?: number;
  /** Largest header block of one entity, in octets (default 1 MiB); larger is refused with MimeLimitError. */
  maxHeaderSize?: number;
  /** Most MIME parts in one message (default 5000); more is refused with MimeLimitError. */
  maxParts?: number;
  /** Characters of decoded text/plain and text/html body text kept for search and previews (default 64 Ki; 0: none). */
  maxBodyText?: number;
  /** Deepest multipart or message/rfc822 nesting parsed (default 50); deeper entities are kept as leaves. */
  maxDepth?: number;
}

/** Default large-body threshold: bodies above it leave the message document. */
export const DEFAULT_LARGE_BODY_THRESHOLD = 128 * 1024;

/** Streams a message through the splitter and returns everything the store saves about it. */
export async function indexMessage(
  source: Readable | AsyncIterable<Uint8Array | string>,
  options: IndexOptions = {},
): Promise<IndexedMessage> {
  const splitter = new MimeSplitter({
    sink: options.sink,
    largeBodyThreshold: options.largeBodyThreshold ?? DEFAULT_LARGE_BODY_THRESHOLD,
    maxHeaderSize: options.maxHeaderSize ?? 1024 * 1024,
    maxParts: options.maxParts ?? 5000,
    maxDepth: options.maxDepth ?? 50,
    maxInlineBodyTotal: options.maxInlineBodyTotal ?? 4 * 1024 * 1024,
    maxSkeletonSize: options.maxSkeletonSize ?? 4 * 1024 * 1024,
    maxBodyText: options.maxBodyText ?? 64 * 1024,
  });
  try {
    for await (const chunk of source) {
      splitter.write(
        typeof chunk === 'string'
          ? Buffer.from(chunk, 'latin1')
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
      );
      const failure = splitter.failure;
      if (failure) throw failure;
      await splitter.activeCollector?.ready();
    }
    const split = splitter.end();
    const segments = await split.segments;
    return {
      size: split.size,
      root: split.root,
      segments,
      envelope: buildEnvelope(split.fields),
      bodyStructure: split.structure,
      headers: buildSearchHeaders(split.fields),
      bodyText: split.bodyText,
    };
  } catch (error) {
    splitter.abort(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}
