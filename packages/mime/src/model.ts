// The data model that indexing produces and the store saves: plain, BSON-able objects.
// Byte data (`Buffer`) is used only for inline skeleton bytes and small inline bodies.

import type { BodyStructure } from './bodystructure.js';
import type { Envelope } from './envelope.js';
import type { SearchHeaders } from './header-fields.js';

/** A byte range within the original message: `offset` from its first byte, `length` octets. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** Which structural kind a MIME entity has: a leaf body, a multipart with children, or a parsed message/rfc822. */
export type MimePartKind = 'leaf' | 'multipart' | 'message';

/** One MIME entity of the tree, with the decoded values an application uses (IMAP's raw values live in BodyStructure). */
export interface MimePart {
  /** IMAP part number: '' for the top-level message; '1.2' for a nested part. An embedded message shares its message/rfc822 part's number. */
  path: string;
  kind: MimePartKind;
  /** The header block, including the blank line that ends it when there is one. */
  header: ByteRange;
  /** The body: what IMAP's BODY[path] returns (for a message part: the whole embedded message). */
  body: ByteRange;
  /** Text lines in the body as IMAP counts them: its LFs (a last line without LF does not count). */
  lines: number;
  /** Lower-case media type and subtype ('text' / 'plain' when the header is absent). */
  type: string;
  subtype: string;
  /** Content-Type parameters with lower-case names, RFC 2231 continuations joined and charsets decoded. */
  params: Record<string, string>;
  /** Lower-case Content-Transfer-Encoding; '7bit' when absent. */
  transferEncoding: string;
  /** The charset parameter when present, as given. */
  charset?: string;
  /** Lower-case disposition type ('inline', 'attachment') when present. */
  disposition?: string;
  dispositionParams: Record<string, string>;
  /** Decoded file name from the disposition's filename or the type's name parameter. */
  filename?: string;
  contentId?: string;
  /** Decoded Content-Description. */
  description?: string;
  language?: string[];
  location?: string;
  md5?: string;
  /** Leaves only: octets after transfer decoding (BINARY.SIZE), absent when the encoding is unknown. */
  decodedSize?: number;
  /** Leaves only: SHA-256 (hex) of the body as stored (transfer-encoded), absent for an empty body. */
  bodySha256?: string;
  /** Multipart only: the children, in order. */
  children?: MimePart[];
  /** Message kind only: the embedded message entity. */
  message?: MimePart;
}

/** Opaque handle to a large body that the sink stored outside the message document. */
export type BodyRef = string;

/** Headers, delimiter lines and other structural bytes, kept inline. */
export interface SkeletonSegment {
  kind: 'skeleton';
  offset: number;
  length: number;
  data: Buffer;
}

/** Where a stored body came from: a leaf's body, or a multipart's preamble or epilogue. */
export type BodyRole = 'body' | 'preamble' | 'epilogue';

/** Content bytes of one body: inline (`data`) when small, else stored by the sink (`ref`). */
export interface BodySegment {
  kind: 'body';
  offset: number;
  length: number;
  role: BodyRole;
  /** IMAP part number of the entity the body belongs to. */
  part: string;
  /** SHA-256 (hex) of these exact bytes. */
  sha256: string;
  /** Inline bytes, present when the body is at most the large-body threshold. */
  data?: Buffer;
  /** The sink's reference, present when the body went to the sink. */
  ref?: BodyRef;
}

/** One piece of the original message; the segments, in order, cover it exactly once. */
export type Segment = SkeletonSegment | BodySegment;

/** A body segment stored outside the document: what `openBody` receives. */
export type ExternalBody = BodySegment & { ref: BodyRef };

/** Everything indexing learns about a message; the store saves it whole in the message document. */
export interface IndexedMessage {
  /** Octets of the original message (RFC822.SIZE). */
  size: number;
  /** The MIME tree. */
  root: MimePart;
  /** The original bytes as skeleton and bodies, in order. */
  segments: Segment[];
  envelope: Envelope;
  bodyStructure: BodyStructure;
  headers: SearchHeaders;
  /**
   * Decoded text of the inline text/plain and text/html parts (embedded messages included), HTML
   * reduced to text, blanks collapsed, parts joined by LF, cut at `maxBodyText` characters: what
   * SEARCH BODY/TEXT can match in the database, and the webmail list's preview.
   */
  bodyText: { text: string; truncated: boolean };
}
