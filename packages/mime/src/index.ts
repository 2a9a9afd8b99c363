/**
 * @wildduck/mime: streaming MIME indexing with no I/O of its own.
 *
 * INDEXING. `indexMessage(readable, { sink, largeBodyThreshold })` reads a message once, line by
 * line, never holding it whole, and returns an `IndexedMessage`: the MIME tree with byte offsets
 * (`root`), the precomputed `envelope` and `bodyStructure`, the `headers` that SEARCH and the
 * webmail list need, `bodyText` (decoded text of the text parts, capped, for SEARCH BODY/TEXT and
 * previews), and `segments`: the original bytes cut into
 *   - skeleton segments (headers, delimiter lines with the line ending before them): inline bytes;
 *   - body segments (a leaf's body, or a multipart's preamble or epilogue), each with its SHA-256:
 *     inline (`data`) when at most `largeBodyThreshold` octets (and while the message's inline
 *     budget `maxInlineBodyTotal` lasts), else stored by the sink (`ref`).
 * The segments cover the message exactly once, in order, so concatenating them gives back the
 * delivered bytes (`reassembleMessage`). Limits (`maxHeaderSize`, `maxSkeletonSize`, `maxParts`)
 * reject hostile input with `MimeLimitError` (answer it as a permanent failure).
 *
 * THE SINK (the store implements it on GridFS). `PartSink.storeLargeBody(info, content, digest)`
 * is called as soon as a body crosses the threshold, while the message is still streaming in:
 *   - pipe `content` into a new GridFS upload (indexing waits while the upload is behind);
 *   - `await digest` for `{ sha256, size }` (it resolves just before `content` ends);
 *   - if a file with that SHA-256 already exists, increment its reference count and delete the
 *     upload just made; otherwise keep the upload, recorded under the hash with count 1;
 *   - resolve with a string ref (the hash, or the file id) that `openBody` will be given.
 * If `indexMessage` rejects (bad input, limits, sink failure), every body stream that was still
 * open is destroyed with the error and its `digest` rejects; refs already returned by the sink
 * belong to no message, so the sink releases them (it knows which refs it handed out).
 *
 * READING. `openBody(body, start, end)` returns a Readable (or a promise of one) of bytes
 * [start, end) (end exclusive) of a stored body; `body` is the body segment with its `ref`,
 * `sha256` and `length`. With GridFS: `bucket.openDownloadStream(id, { start, end })`.
 * `openSection` (BODY[section]<partial>), `openBinary` (BINARY[part]<partial>) and
 * `reassembleMessage` (BODY[], RFC822) call it only for the stored bodies their byte range
 * touches, with the sub-range they need, one at a time, in order; each returns the length first.
 *
 * WIRE FORMS. `formatEnvelope(envelope)` and `formatBodyStructure(structure, extensible)` give the
 * exact IMAP bytes for FETCH ENVELOPE / BODY / BODYSTRUCTURE from the stored JSON.
 *
 * Stored Buffers come back from MongoDB as BSON Binary: read with the driver's `promoteBuffers`
 * option (or convert `binary.buffer` to a Buffer) before calling the functions here.
 */

import { bodyStructureToImapList } from './bodystructure.js';
import type { BodyStructure } from './bodystructure.js';
import { envelopeToImapList } from './envelope.js';
import type { Envelope } from './envelope.js';
import { serializeImapValue } from './imap-serialize.js';
import type { IndexedMessage, MimePart } from './model.js';
import { sliceInlineBytes } from './reassemble.js';

export { indexMessage, DEFAULT_LARGE_BODY_THRESHOLD } from './indexer.js';
export type { IndexOptions } from './indexer.js';
export { MimeLimitError } from './segment-writer.js';
export type { PartSink, LargeBodyInfo, BodyDigest } from './part-sink.js';
export type {
  IndexedMessage,
  MimePart,
  MimePartKind,
  ByteRange,
  Segment,
  SkeletonSegment,
  BodySegment,
  BodyRole,
  BodyRef,
  ExternalBody,
} from './model.js';
export type { Envelope, EnvelopeAddress } from './envelope.js';
export { buildEnvelope, envelopeToImapList } from './envelope.js';
export type {
  BodyStructure,
  SinglePartStructure,
  MultipartStructure,
  BodyDisposition,
} from './bodystructure.js';
export { bodyStructureToImapList, isMultipartStructure } from './bodystructure.js';
export type { SearchHeaders, ParsedAddress, SearchableHeaderLine } from './header-fields.js';
export { serializeImapValue } from './imap-serialize.js';
export type { ImapValue } from './imap-serialize.js';
export { reassembleMessage, readMessageRange } from './reassemble.js';
export type { OpenBody, SectionContent } from './reassemble.js';
export { openSection, parseSectionSpec, resolvePart, filterHeaderFields } from './sections.js';
export type { SectionSpec, SectionSpecifier, PartialRange, StoredSections } from './sections.js';
export { openBinary, binarySize, UnknownTransferEncodingError } from './binary.js';
export { binarySection } from './binary-section.js';
export type { BinaryContent, UndecodableBinary } from './binary-section.js';
export { parseHeaderBlock } from './header-block.js';
export { parseAddressList, type RawAddress, type RawMailbox, type RawGroup } from './address.js';
export type { HeaderField } from './header-block.js';

/** FETCH ENVELOPE's value as IMAP bytes. */
export function formatEnvelope(envelope: Envelope): Buffer {
  return serializeImapValue(envelopeToImapList(envelope));
}

/** FETCH BODY (`extensible` false) or BODYSTRUCTURE (`extensible` true) as IMAP bytes. */
export function formatBodyStructure(structure: BodyStructure, extensible: boolean): Buffer {
  return serializeImapValue(bodyStructureToImapList(structure, extensible));
}

/** The raw header bytes of a part (BODY[n.MIME]) or an embedded message, straight from the skeleton. */
export function headerBytes(
  message: Pick<IndexedMessage, 'segments'>,
  part: Pick<MimePart, 'header'>,
): Buffer {
  return sliceInlineBytes(message.segments, part.header);
}
export { decodeEncodedWords } from './encoded-words.js';
export { htmlToText } from './body-text.js';
export { decodeText } from './charset-text.js';
export { sentDayOf } from './sent-day.js';
export { addressSearchText, envelopeAddressSearchText } from './header-fields.js';
