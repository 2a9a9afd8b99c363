// The contract between indexing and storage for large bodies (see index.ts for the full story).

import type { Readable } from 'node:stream';
import type { BodyRef, BodyRole } from './model.js';

/** What a large body is, so a sink can name or classify it; the bytes come separately. */
export interface LargeBodyInfo {
  /** IMAP part number of the entity the body belongs to ('' for the top-level message). */
  part: string;
  role: BodyRole;
  /** Lower-case 'type/subtype' of the entity. */
  contentType: string;
  transferEncoding: string;
  filename?: string;
  /** Where the body starts in the original message. */
  offset: number;
}

/** The SHA-256 (hex) and octet count of a body, known once its last byte went through. */
export interface BodyDigest {
  sha256: string;
  size: number;
}

/** Storage for bodies above the large-body threshold (GridFS in the store). */
export interface PartSink {
  /**
   * Stores one large body. Read `content` to its end (back-pressure is respected: indexing waits
   * for you); `digest` resolves with its SHA-256 and size right before `content` ends, so the sink
   * can deduplicate. Resolve with the reference `openBody` will later receive. If indexing fails,
   * `content` is destroyed with the error and `digest` rejects; refs already returned are then
   * the sink's to release, since no IndexedMessage will hold them. Calls may overlap: the next
   * large body can start streaming before an earlier call has resolved.
   */
  storeLargeBody(info: LargeBodyInfo, content: Readable, digest: Promise<BodyDigest>): Promise<BodyRef>;
}
