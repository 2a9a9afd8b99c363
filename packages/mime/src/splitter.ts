// The streaming MIME splitter: reads a message line by line, tracks entities and boundaries,
// sends headers and delimiter lines to the skeleton and content bytes to body collectors, and
// records exact offsets. Only header blocks and lines that might be boundaries are buffered.

import { BodyCollector } from './body-collector.js';
import { TextExtractor } from './body-text.js';
import { createBodyDecoder } from './decoders.js';
import type { CollectedBody } from './body-collector.js';
import type { BodyStructure } from './bodystructure.js';
import type { HeaderField } from './header-block.js';
import { isBlankLine, parseHeaderBlock } from './header-block.js';
import type { BodyRole, MimePart, MimePartKind, Segment } from './model.js';
import { readPartHeader } from './part-header.js';
import type { PartHeaderFacts } from './part-header.js';
import type { PartSink } from './part-sink.js';
import { buildBodyStructure, buildMimePart } from './tree.js';
import type { EntityFacts } from './tree.js';

/** Limits and storage choices of the splitter. */
export interface SplitterOptions {
  sink: PartSink | undefined;
  largeBodyThreshold: number;
  maxHeaderSize: number;
  maxParts: number;
  maxDepth: number;
  /** Inline body octets allowed in all; later bodies go to the sink whatever their size. */
  maxInlineBodyTotal: number;
  /** Skeleton octets (headers, delimiter lines) allowed in all. */
  maxSkeletonSize: number;
  /** Characters of decoded body text to extract for search and previews (0: none). */
  maxBodyText: number;
}

/** A limit of the splitter was exceeded; the message should be refused. */
export class MimeLimitError extends Error {
  constructor(
    message: string,
    readonly code: 'HEADER_TOO_LARGE' | 'HEADERS_TOO_LARGE' | 'TOO_MANY_PARTS',
  ) {
    super(message);
    this.name = 'MimeLimitError';
  }
}

/** A line that is longer than this cannot be a delimiter line, however long its boundary. */
const MAX_DELIMITER_PADDING = 256;
const IDENTITY_ENCODINGS = new Set(['7bit', '8bit', 'binary']);

interface Entity {
  path: string;
  parent: Entity | null;
  depth: number;
  defaultType: string;
  state: 'header' | 'body';
  headerStart: number;
  headerChunks: Buffer[];
  headerLength: number;
  fields: HeaderField[];
  facts: PartHeaderFacts | null;
  kind: MimePartKind;
  bodyStart: number;
  lfAtBodyStart: number;
  boundary: Buffer | null;
  phase: 'preamble' | 'parts' | 'epilogue';
  childCount: number;
  children: { part: MimePart; structure: BodyStructure }[];
  embedded: { part: MimePart; structure: BodyStructure; fields: HeaderField[] } | null;
  leafBody: CollectedBody | null;
}

/** A pending skeleton segment (chunks not yet joined) or a body segment still being stored. */
type PendingSegment =
  | { kind: 'skeleton'; offset: number; chunks: Buffer[]; length: number }
  | { kind: 'body'; segment: Promise<Segment> };

/** The finished structure of a message, with its segments still being stored by the sink. */
export interface SplitResult {
  size: number;
  root: MimePart;
  structure: BodyStructure;
  fields: HeaderField[];
  segments: Promise<Segment[]>;
  bodyText: { text: string; truncated: boolean };
}

/** Splits one message; feed it with `write`, then call `end`. */
export class MimeSplitter {
  private readonly stack: Entity[] = [];
  private partCount = 1;
  /** Bytes given to the skeleton or to collectors so far: the offset of the next byte. */
  private emitted = 0;
  private lfCount = 0;
  private lastByte = -1;
  private readonly pendingSegments: PendingSegment[] = [];
  private collector: BodyCollector | null = null;
  private collectorOwner: { entity: Entity; role: BodyRole; offset: number } | null = null;
  private textExtractor: TextExtractor | null = null;
  private readonly texts: string[] = [];
  private textLength = 0;
  private textTruncated = false;
  private inlineBodyBytes = 0;
  private skeletonBytes = 0;
  private readonly openCollectors: BodyCollector[] = [];
  /** The line ending of the last content line, held back: it belongs to a following delimiter. */
  private held: Buffer | null = null;
  /** Bytes of the current line not yet handled. */
  private partial: Buffer[] = [];
  private partialLength = 0;
  /** True while a long line that cannot be a delimiter is being streamed as content. */
  private streamingLine = false;
  private longestBoundary = 0;
  private result: SplitResult | null = null;

  constructor(private readonly options: SplitterOptions) {
    this.stack.push(this.newEntity('', null, 'text/plain'));
  }

  /** The collector currently receiving content, for back-pressure. */
  get activeCollector(): BodyCollector | null {
    return this.collector;
  }

  /** The first sink failure, if any. */
  get failure(): Error | null {
    return this.openCollectors.find((c) => c.failure)?.failure ?? null;
  }

  /** Feeds the next bytes of the message. */
  write(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const lf = chunk.indexOf(0x0a, pos);
      if (lf < 0) {
        this.addPartial(chunk.subarray(pos));
        return;
      }
      const piece = chunk.subarray(pos, lf + 1);
      pos = lf + 1;
      if (this.streamingLine) {
        this.finishStreamingLine(piece);
      } else if (this.partialLength) {
        this.partial.push(piece);
        const line = Buffer.concat(this.partial, this.partialLength + piece.length);
        this.partial = [];
        this.partialLength = 0;
        this.processLine(line);
      } else {
        this.processLine(piece);
      }
    }
  }

  /** Ends the message: closes every open entity and returns the structure. */
  end(): SplitResult {
    if (this.streamingLine) {
      this.finishStreamingLine(Buffer.alloc(0));
    } else if (this.partialLength) {
      const line = Buffer.concat(this.partial, this.partialLength);
      this.partial = [];
      this.partialLength = 0;
      this.processLine(line);
    }
    if (this.held) {
      this.emitContent(this.held);
      this.held = null;
    }
    this.finishCollector();
    while (this.stack.length) this.closeEntity();
    if (!this.result) throw new Error('the root entity did not close');
    return this.result;
  }

  /** Fails every body still being stored, after an error anywhere. */
  abort(error: Error): void {
    for (const collector of this.openCollectors) collector.abort(error);
  }

  private get current(): Entity {
    const entity = this.stack[this.stack.length - 1];
    if (!entity) throw new Error('no open MIME entity');
    return entity;
  }

  private newEntity(path: string, parent: Entity | null, defaultType: string): Entity {
    return {
      path,
      parent,
      depth: parent ? parent.depth + 1 : 0,
      defaultType,
      state: 'header',
      headerStart: this.emitted,
      headerChunks: [],
      headerLength: 0,
      fields: [],
      facts: null,
      kind: 'leaf',
      bodyStart: this.emitted,
      lfAtBodyStart: this.lfCount,
      boundary: null,
      phase: 'preamble',
      childCount: 0,
      children: [],
      embedded: null,
      leafBody: null,
    };
  }

  // ---- bytes out ---------------------------------------------------------------------------

  private account(bytes: Buffer): void {
    this.emitted += bytes.length;
    for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) this.lfCount++;
    if (bytes.length) this.lastByte = bytes[bytes.length - 1] ?? -1;
  }

  private emitSkeleton(bytes: Buffer): void {
    if (!bytes.length) return;
    this.finishCollector();
    this.skeletonBytes += bytes.length;
    if (this.skeletonBytes > this.options.maxSkeletonSize) {
      throw new MimeLimitError(
        `the message's headers and delimiter lines exceed ${this.options.maxSkeletonSize} bytes in all`,
        'HEADERS_TOO_LARGE',
      );
    }
    const last = this.pendingSegments[this.pendingSegments.length - 1];
    if (last?.kind === 'skeleton') {
      last.chunks.push(bytes);
      last.length += bytes.length;
    } else {
      this.pendingSegments.push({
        kind: 'skeleton',
        offset: this.emitted,
        chunks: [bytes],
        length: bytes.length,
      });
    }
    this.account(bytes);
  }

  private emitContent(bytes: Buffer): void {
    if (!bytes.length) return;
    if (!this.collector) this.startCollector();
    this.collector?.write(bytes);
    this.textExtractor?.update(bytes);
    this.account(bytes);
  }

  private startCollector(): void {
    // Join the skeleton so far into one copy, releasing the input chunks its pieces point into.
    const last = this.pendingSegments[this.pendingSegments.length - 1];
    if (last?.kind === 'skeleton') last.chunks = [Buffer.concat(last.chunks, last.length)];
    const entity = this.current;
    const role: BodyRole =
      entity.kind !== 'multipart' ? 'body' : entity.phase === 'epilogue' ? 'epilogue' : 'preamble';
    const facts = entity.facts?.describe;
    const info = {
      part: entity.path,
      role,
      contentType: facts ? `${facts.type}/${facts.subtype}` : 'text/plain',
      transferEncoding: facts?.transferEncoding ?? '7bit',
      offset: this.emitted,
      ...(facts?.filename !== undefined ? { filename: facts.filename } : {}),
    };
    // Once the inline budget is spent, every further body goes to the sink, so the message
    // document stays small whatever the number of parts.
    const inlineRoom = Math.max(0, this.options.maxInlineBodyTotal - this.inlineBodyBytes);
    const threshold = Math.min(this.options.largeBodyThreshold, inlineRoom);
    this.collector = new BodyCollector(info, threshold, this.options.sink, role === 'body');
    this.collectorOwner = { entity, role, offset: this.emitted };
    this.openCollectors.push(this.collector);
    this.textExtractor = role === 'body' && facts ? this.createTextExtractor(facts) : null;
  }

  private finishCollector(): void {
    const collector = this.collector;
    const owner = this.collectorOwner;
    if (!collector || !owner) return;
    this.collector = null;
    this.collectorOwner = null;
    this.finishTextExtractor();
    const collected = collector.finish(owner.offset, { role: owner.role, part: owner.entity.path });
    if (!collected.external) this.inlineBodyBytes += collected.size;
    if (owner.role === 'body') owner.entity.leafBody = collected;
    this.pendingSegments.push({ kind: 'body', segment: collected.segment });
  }

  private createTextExtractor(facts: PartHeaderFacts['describe']): TextExtractor | null {
    const room = this.options.maxBodyText - this.textLength;
    const isText = facts.type === 'text' && (facts.subtype === 'plain' || facts.subtype === 'html');
    if (!isText || facts.disposition === 'attachment') return null;
    if (room <= 0) {
      this.textTruncated = true;
      return null;
    }
    // Budget in bytes: HTML markup and multi-byte characters shrink, so allow some slack.
    const budget = facts.subtype === 'html' ? room * 4 : room * 2;
    return new TextExtractor(facts.transferEncoding, facts.charset ?? '', facts.subtype === 'html', budget);
  }

  private finishTextExtractor(): void {
    const extractor = this.textExtractor;
    this.textExtractor = null;
    if (!extractor) return;
    let text = extractor.finish();
    const room = this.options.maxBodyText - this.textLength;
    if (extractor.truncated || text.length > room) this.textTruncated = true;
    text = text.slice(0, room);
    if (!text) return;
    this.texts.push(text);
    this.textLength += text.length + 1;
  }

  // ---- lines in ----------------------------------------------------------------------------

  private addPartial(bytes: Buffer): void {
    if (this.streamingLine) {
      this.partial.push(bytes);
      this.streamPartial();
      return;
    }
    this.partial.push(bytes);
    this.partialLength += bytes.length;
    const entity = this.current;
    if (entity.state === 'header') {
      if (entity.headerLength + this.partialLength > this.options.maxHeaderSize) this.headerTooLarge();
      return;
    }
    if (this.couldBeDelimiter()) return;
    // A long content line: stream it now rather than buffer it (binary parts may have no LF).
    this.streamingLine = true;
    if (this.held) {
      this.emitContent(this.held);
      this.held = null;
    }
    this.partialLength = 0;
    this.streamPartial();
  }

  /** Emits the buffered part of a streamed line, keeping a trailing CR that may start its CRLF. */
  private streamPartial(): void {
    const bytes = Buffer.concat(this.partial);
    const keepCr = bytes[bytes.length - 1] === 0x0d ? 1 : 0;
    this.emitContent(bytes.subarray(0, bytes.length - keepCr));
    this.partial = keepCr ? [bytes.subarray(bytes.length - keepCr)] : [];
  }

  private finishStreamingLine(tail: Buffer): void {
    const line = this.partial.length ? Buffer.concat([...this.partial, tail]) : tail;
    this.partial = [];
    this.partialLength = 0;
    this.streamingLine = false;
    const ending = lineEndingLength(line);
    this.emitContent(line.subarray(0, line.length - ending));
    this.held = ending ? line.subarray(line.length - ending) : null;
  }

  private couldBeDelimiter(): boolean {
    if (!this.longestBoundary || this.partialLength > this.longestBoundary + 4 + MAX_DELIMITER_PADDING)
      return false;
    const first = this.partial[0];
    if (!first) return true;
    if (first[0] !== 0x2d) return false;
    const second = first.length > 1 ? first[1] : this.partial[1]?.[0];
    return second === undefined || second === 0x2d;
  }

  private processLine(line: Buffer): void {
    const hit = this.matchDelimiter(line);
    if (hit) {
      this.handleDelimiter(hit.owner, hit.close, line);
      return;
    }
    const entity = this.current;
    if (entity.state === 'header') {
      entity.headerChunks.push(line);
      entity.headerLength += line.length;
      if (entity.headerLength > this.options.maxHeaderSize) this.headerTooLarge();
      this.emitSkeleton(line);
      if (isBlankLine(line)) this.finishHeader(entity);
      return;
    }
    if (this.held) this.emitContent(this.held);
    const ending = lineEndingLength(line);
    this.emitContent(line.subarray(0, line.length - ending));
    this.held = ending ? line.subarray(line.length - ending) : null;
  }

  /** Finds the open multipart whose boundary this line is (innermost first). */
  private matchDelimiter(line: Buffer): { owner: number; close: boolean } | null {
    if (line.length < 3 || line[0] !== 0x2d || line[1] !== 0x2d || !this.longestBoundary) return null;
    for (let index = this.stack.length - 1; index >= 0; index--) {
      const entity = this.stack[index];
      if (!entity?.boundary || entity.state !== 'body' || entity.phase === 'epilogue') continue;
      const kind = delimiterKind(line, entity.boundary);
      if (kind) return { owner: index, close: kind === 'close' };
    }
    return null;
  }

  private handleDelimiter(ownerIndex: number, close: boolean, line: Buffer): void {
    const held = this.held;
    this.held = null;
    this.finishCollector();
    while (this.stack.length - 1 > ownerIndex) this.closeEntity();
    // The line ending before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
    if (held) this.emitSkeleton(held);
    this.emitSkeleton(line);
    const owner = this.current;
    if (close) {
      owner.phase = 'epilogue';
      return;
    }
    owner.phase = 'parts';
    if (++this.partCount > this.options.maxParts) {
      throw new MimeLimitError(
        `the message has more than ${this.options.maxParts} MIME parts`,
        'TOO_MANY_PARTS',
      );
    }
    const index = ++owner.childCount;
    const path = owner.path ? `${owner.path}.${index}` : String(index);
    const defaultType = owner.facts?.describe.subtype === 'digest' ? 'message/rfc822' : 'text/plain';
    this.stack.push(this.newEntity(path, owner, defaultType));
  }

  private finishHeader(entity: Entity): void {
    const block = Buffer.concat(entity.headerChunks, entity.headerLength);
    entity.headerChunks = [];
    entity.fields = parseHeaderBlock(block);
    const facts = readPartHeader(entity.fields, entity.defaultType);
    entity.facts = facts;
    entity.state = 'body';
    entity.bodyStart = this.emitted;
    entity.lfAtBodyStart = this.lfCount;
    const deepEnough = entity.depth >= this.options.maxDepth;
    const { type, subtype, transferEncoding } = facts.describe;
    if (facts.boundary && !deepEnough) {
      entity.kind = 'multipart';
      entity.boundary = Buffer.from(facts.boundary, 'utf8');
      this.longestBoundary = Math.max(this.longestBoundary, entity.boundary.length);
    } else if (
      type === 'message' &&
      subtype === 'rfc822' &&
      IDENTITY_ENCODINGS.has(transferEncoding) &&
      !deepEnough
    ) {
      entity.kind = 'message';
      // The embedded message is numbered like its part; a top-level message/rfc822 body is part 1.
      this.stack.push(this.newEntity(entity.path || '1', entity, 'text/plain'));
    }
  }

  /** Closes the innermost entity at the current offset. */
  private closeEntity(): void {
    const entity = this.stack.pop();
    if (!entity) return;
    const end = this.emitted;
    if (entity.state === 'header') {
      // Headers without a blank line or body: the header runs to here and the body is empty.
      this.finishHeader(entity);
      if (entity.kind === 'message') this.closeEntity();
    }
    const bodyLength = end - entity.bodyStart;
    const lines = this.lfCount - entity.lfAtBodyStart + (bodyLength > 0 && this.lastByte !== 0x0a ? 1 : 0);
    const header = entity.facts;
    if (!header) throw new Error('entity closed without a parsed header');
    const facts: EntityFacts = {
      path: entity.path,
      kind: entity.kind,
      fields: entity.fields,
      header,
      headerStart: entity.headerStart,
      headerLength: entity.bodyStart - entity.headerStart,
      bodyStart: entity.bodyStart,
      bodyLength,
      lines,
      children: entity.children,
      ...(entity.embedded ? { embedded: entity.embedded } : {}),
    };
    if (entity.leafBody) {
      facts.bodySha256 = entity.leafBody.sha256;
      if (entity.leafBody.decodedSize !== undefined) facts.decodedSize = entity.leafBody.decodedSize;
    } else if (entity.kind === 'leaf' && createBodyDecoder(header.describe.transferEncoding)) {
      facts.decodedSize = 0;
    }
    const part = buildMimePart(facts);
    const structure = buildBodyStructure(facts);
    const parent = entity.parent;
    if (!parent) {
      this.result = {
        size: end,
        root: part,
        structure,
        fields: entity.fields,
        segments: this.collectSegments(),
        bodyText: { text: this.texts.join('\n'), truncated: this.textTruncated },
      };
    } else if (parent.kind === 'message') {
      parent.embedded = { part, structure, fields: entity.fields };
    } else {
      // Siblings close in order, so pushing keeps the numbering.
      parent.children.push({ part, structure });
    }
  }

  private async collectSegments(): Promise<Segment[]> {
    const segments: Segment[] = [];
    for (const pending of this.pendingSegments) {
      if (pending.kind === 'skeleton') {
        segments.push({
          kind: 'skeleton',
          offset: pending.offset,
          length: pending.length,
          data: Buffer.concat(pending.chunks, pending.length),
        });
      } else {
        segments.push(await pending.segment);
      }
    }
    return segments;
  }

  private headerTooLarge(): never {
    throw new MimeLimitError(
      `a MIME header block is larger than ${this.options.maxHeaderSize} bytes`,
      'HEADER_TOO_LARGE',
    );
  }
}

/** Length of the CRLF or LF that ends a line (0 for a last line without one). */
function lineEndingLength(line: Buffer): number {
  if (line[line.length - 1] !== 0x0a) return 0;
  return line.length > 1 && line[line.length - 2] === 0x0d ? 2 : 1;
}

/** Whether a line is `--boundary` (next part) or `--boundary--` (close), allowing trailing blanks. */
function delimiterKind(line: Buffer, boundary: Buffer): 'next' | 'close' | null {
  if (line.length < boundary.length + 2 || !line.subarray(2, 2 + boundary.length).equals(boundary))
    return null;
  let pos = 2 + boundary.length;
  let close = false;
  if (line[pos] === 0x2d && line[pos + 1] === 0x2d) {
    close = true;
    pos += 2;
  }
  const end = line.length - lineEndingLength(line);
  for (; pos < end; pos++) {
    const byte = line[pos];
    if (byte !== 0x20 && byte !== 0x09) return null;
  }
  return close ? 'close' : 'next';
}
