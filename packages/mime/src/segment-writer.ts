// Where the splitter's bytes go: skeleton bytes into inline segments, content bytes into one body
// collector at a time. It keeps the running offset, line count and last byte that entity
// extents are measured with, and enforces the limits that keep the message document small.

import { BodyCollector } from './body-collector.js';
import type { CollectedBody } from './body-collector.js';
import { BodyTextCollector } from './body-text.js';
import type { BodyRole, Segment } from './model.js';
import type { PartHeaderFacts } from './part-header.js';
import type { PartSink } from './part-sink.js';

/** A limit was exceeded; the message should be refused. */
export class MimeLimitError extends Error {
  constructor(
    message: string,
    readonly code: 'HEADER_TOO_LARGE' | 'HEADERS_TOO_LARGE' | 'TOO_MANY_PARTS',
  ) {
    super(message);
    this.name = 'MimeLimitError';
  }
}

/** Storage choices and limits of the writer. */
export interface SegmentWriterOptions {
  sink: PartSink | undefined;
  largeBodyThreshold: number;
  /** Inline body octets allowed in all; later bodies go to the sink whatever their size. */
  maxInlineBodyTotal: number;
  /** Skeleton octets (headers, delimiter lines) allowed in all. */
  maxSkeletonSize: number;
  /** Characters of decoded body text to extract for search and previews (0: none). */
  maxBodyText: number;
}

/** Whose content is starting: asked for only when a new body begins. */
export interface ContentTarget {
  part: string;
  role: BodyRole;
  facts: PartHeaderFacts['describe'] | undefined;
  /** Told the body's hash, size and decoded size when it ends. */
  done(collected: CollectedBody): void;
}

type PendingSegment =
  | { kind: 'skeleton'; offset: number; chunks: Buffer[]; length: number }
  | { kind: 'body'; segment: Promise<Segment> };

/** Turns the splitter's output into segments. */
export class SegmentWriter {
  /** Offset of the next byte: every byte written so far. */
  offset = 0;
  /** LF bytes written so far. */
  lfCount = 0;
  /** The last byte written, -1 before the first. */
  lastByte = -1;
  private readonly pending: PendingSegment[] = [];
  private collector: BodyCollector | null = null;
  private target: (ContentTarget & { offset: number }) | null = null;
  private readonly collectors: BodyCollector[] = [];
  private readonly bodyText: BodyTextCollector;
  private inlineBodyBytes = 0;
  private skeletonBytes = 0;

  constructor(private readonly options: SegmentWriterOptions) {
    this.bodyText = new BodyTextCollector(options.maxBodyText);
  }

  /** The collector receiving content now, for back-pressure. */
  get activeCollector(): BodyCollector | null {
    return this.collector;
  }

  /** The first sink failure, if any. */
  get failure(): Error | null {
    return this.collectors.find((c) => c.failure)?.failure ?? null;
  }

  /** Headers and delimiter lines: kept inline. */
  skeleton(bytes: Buffer): void {
    if (!bytes.length) return;
    this.endContent();
    this.skeletonBytes += bytes.length;
    if (this.skeletonBytes > this.options.maxSkeletonSize) {
      throw new MimeLimitError(
        `the message's headers and delimiter lines exceed ${this.options.maxSkeletonSize} bytes in all`,
        'HEADERS_TOO_LARGE',
      );
    }
    const last = this.pending[this.pending.length - 1];
    if (last?.kind === 'skeleton') {
      last.chunks.push(bytes);
      last.length += bytes.length;
    } else {
      this.pending.push({ kind: 'skeleton', offset: this.offset, chunks: [bytes], length: bytes.length });
    }
    this.account(bytes);
  }

  /** Content bytes; `describe` names their owner when they start a new body. */
  content(bytes: Buffer, describe: () => ContentTarget): void {
    if (!bytes.length) return;
    const collector = this.collector ?? this.startContent(describe());
    collector.write(bytes);
    this.bodyText.update(bytes);
    this.account(bytes);
  }

  /** Ends the current body, if any. */
  endContent(): void {
    const collector = this.collector;
    const target = this.target;
    if (!collector || !target) return;
    this.collector = null;
    this.target = null;
    this.bodyText.finishPart();
    const collected = collector.finish(target.offset, { role: target.role, part: target.part });
    if (!collected.external) this.inlineBodyBytes += collected.size;
    target.done(collected);
    this.pending.push({ kind: 'body', segment: collected.segment });
  }

  /** All segments, once the sink has stored every large body. */
  async segments(): Promise<Segment[]> {
    this.endContent();
    const segments: Segment[] = [];
    for (const pending of this.pending) {
      if (pending.kind === 'skeleton') {
        const data = Buffer.concat(pending.chunks, pending.length);
        segments.push({ kind: 'skeleton', offset: pending.offset, length: pending.length, data });
      } else {
        segments.push(await pending.segment);
      }
    }
    return segments;
  }

  /** The extracted body text. */
  bodyTextResult(): { text: string; truncated: boolean } {
    return this.bodyText.result();
  }

  /** Fails every body still being stored, after an error anywhere. */
  abort(error: Error): void {
    for (const collector of this.collectors) collector.abort(error);
  }

  private startContent(target: ContentTarget): BodyCollector {
    // Join the skeleton so far into one copy, releasing the input chunks its pieces point into.
    const last = this.pending[this.pending.length - 1];
    if (last?.kind === 'skeleton') last.chunks = [Buffer.concat(last.chunks, last.length)];
    const { facts, role } = target;
    const info = {
      part: target.part,
      role,
      contentType: facts ? `${facts.type}/${facts.subtype}` : 'text/plain',
      transferEncoding: facts?.transferEncoding ?? '7bit',
      offset: this.offset,
      ...(facts?.filename !== undefined ? { filename: facts.filename } : {}),
    };
    // Once the inline budget is spent, every further body goes to the sink, so the message
    // document stays small whatever the number of parts.
    const inlineRoom = Math.max(0, this.options.maxInlineBodyTotal - this.inlineBodyBytes);
    const threshold = Math.min(this.options.largeBodyThreshold, inlineRoom);
    const collector = new BodyCollector(info, threshold, this.options.sink, role === 'body');
    this.collector = collector;
    this.target = { ...target, offset: this.offset };
    this.collectors.push(collector);
    if (role === 'body' && facts) this.bodyText.startPart(facts);
    return collector;
  }

  private account(bytes: Buffer): void {
    this.offset += bytes.length;
    for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) this.lfCount++;
    this.lastByte = bytes[bytes.length - 1] ?? this.lastByte;
  }
}
