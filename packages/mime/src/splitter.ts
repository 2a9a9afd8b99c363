// The streaming MIME splitter: reads a message line by line, tracks entities and boundaries, and
// hands headers and delimiter lines (skeleton) and content bytes to the SegmentWriter, measuring
// every entity's extent. Only header blocks and lines that might be delimiters are buffered.
//
// Why not mailsplit's Splitter: it reports no offsets, buffers a line whole (a binary part
// without LF would be held entirely), parses message/rfc822 only when marked inline, matches
// only the parent's boundary, and yields to the event loop on every line.

import type { BodyCollector, CollectedBody } from './body-collector.js';
import type { BodyStructure } from './bodystructure.js';
import { createBodyDecoder } from './decoders.js';
import { delimiterKind, lineEndingLength, mayBeDelimiterStart } from './delimiter.js';
import type { HeaderField } from './header-block.js';
import { isBlankLine, parseHeaderBlock } from './header-block.js';
import type { BodyRole, MimePart, MimePartKind, Segment } from './model.js';
import { readPartHeader } from './part-header.js';
import type { PartHeaderFacts } from './part-header.js';
import { MimeLimitError, SegmentWriter } from './segment-writer.js';
import type { ContentTarget, SegmentWriterOptions } from './segment-writer.js';
import { buildBodyStructure, buildMimePart } from './tree.js';
import type { EntityFacts } from './tree.js';

/** Limits and storage choices of the splitter. */
export interface SplitterOptions extends SegmentWriterOptions {
  maxHeaderSize: number;
  maxParts: number;
  maxDepth: number;
}

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
  private readonly writer: SegmentWriter;
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
    this.writer = new SegmentWriter(options);
    this.stack.push(this.newEntity('', null, 'text/plain'));
  }

  /** The collector currently receiving content, for back-pressure. */
  get activeCollector(): BodyCollector | null {
    return this.writer.activeCollector;
  }

  /** The first sink failure, if any. */
  get failure(): Error | null {
    return this.writer.failure;
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
    this.writer.endContent();
    while (this.stack.length) this.closeEntity();
    if (!this.result) throw new Error('the root entity did not close');
    return this.result;
  }

  /** Fails every body still being stored, after an error anywhere. */
  abort(error: Error): void {
    this.writer.abort(error);
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
      headerStart: this.writer.offset,
      headerChunks: [],
      headerLength: 0,
      fields: [],
      facts: null,
      kind: 'leaf',
      bodyStart: this.writer.offset,
      lfAtBodyStart: this.writer.lfCount,
      boundary: null,
      phase: 'preamble',
      childCount: 0,
      children: [],
      embedded: null,
      leafBody: null,
    };
  }

  // ---- bytes out ---------------------------------------------------------------------------

  private emitSkeleton(bytes: Buffer): void {
    this.writer.skeleton(bytes);
  }

  private emitContent(bytes: Buffer): void {
    this.writer.content(bytes, this.describeContent);
  }

  /** The owner of content that starts now: the innermost entity's body, preamble or epilogue. */
  private readonly describeContent = (): ContentTarget => {
    const entity = this.current;
    const role: BodyRole =
      entity.kind !== 'multipart' ? 'body' : entity.phase === 'epilogue' ? 'epilogue' : 'preamble';
    return {
      part: entity.path,
      role,
      facts: entity.facts?.describe,
      done: (collected: CollectedBody) => {
        if (role === 'body') entity.leafBody = collected;
      },
    };
  };

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
    if (mayBeDelimiterStart(this.partial, this.partialLength, this.longestBoundary)) return;
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
    this.writer.endContent();
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
    entity.bodyStart = this.writer.offset;
    entity.lfAtBodyStart = this.writer.lfCount;
    const deepEnough = entity.depth >= this.options.maxDepth;
    const { type, subtype, transferEncoding } = facts.describe;
    if (type === 'multipart' && !deepEnough) {
      // A multipart without a boundary parameter is still a multipart (with no parts, all preamble):
      // IMAP has no leaf of type MULTIPART, and Dovecot answers it the same way.
      entity.kind = 'multipart';
      if (facts.boundary) {
        entity.boundary = Buffer.from(facts.boundary, 'utf8');
        this.longestBoundary = Math.max(this.longestBoundary, entity.boundary.length);
      }
    } else if (
      type === 'message' &&
      subtype === 'rfc822' &&
      IDENTITY_ENCODINGS.has(transferEncoding) &&
      !deepEnough
    ) {
      entity.kind = 'message';
      // The embedded message takes the number of the body part that holds it: a multipart's
      // child is numbered already; a message's own body is its part 1 (top level: "1").
      const isMessageEntity = !entity.parent || entity.parent.kind === 'message';
      const bodyPath = isMessageEntity ? (entity.path ? `${entity.path}.1` : '1') : entity.path;
      this.stack.push(this.newEntity(bodyPath, entity, 'text/plain'));
    }
  }

  /** Closes the innermost entity at the current offset. */
  private closeEntity(): void {
    const entity = this.stack.pop();
    if (!entity) return;
    const end = this.writer.offset;
    if (entity.state === 'header') {
      // Headers without a blank line or body: the header runs to here and the body is empty.
      this.finishHeader(entity);
      if (entity.kind === 'message') this.closeEntity();
    }
    const bodyLength = end - entity.bodyStart;
    // IMAP's body lines are the line breaks in the body: the CRLF before a delimiter belongs to the
    // delimiter, so "text" followed by its boundary is 0 lines and "a CRLF b" is 1 (as Dovecot counts).
    const lines = this.writer.lfCount - entity.lfAtBodyStart;
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
        segments: this.writer.segments(),
        bodyText: this.writer.bodyTextResult(),
      };
    } else if (parent.kind === 'message') {
      parent.embedded = { part, structure, fields: entity.fields };
    } else {
      // Siblings close in order, so pushing keeps the numbering.
      parent.children.push({ part, structure });
    }
  }

  private headerTooLarge(): never {
    throw new MimeLimitError(
      `a MIME header block is larger than ${this.options.maxHeaderSize} bytes`,
      'HEADER_TOO_LARGE',
    );
  }
}
