// Collects the bytes of one body as they stream by: hashes and counts them, keeps them inline
// while small, and hands them to the sink as a stream once they cross the large-body threshold.

import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createDecodedSizeCounter } from './decoders.js';
import type { DecodedSizeCounter } from './decoders.js';
import type { BodySegment } from './model.js';
import type { BodyDigest, LargeBodyInfo, PartSink } from './part-sink.js';

/** Bytes handed to the sink are gathered into chunks of about this size. */
export const SINK_CHUNK_SIZE = 64 * 1024;
/** Lines are gathered into batches of this size before hashing, counting and storing. */
const BATCH_SIZE = 16 * 1024;

/** A Readable the collector pushes into; `ready()` waits while the consumer is behind. */
class BodyPipe extends Readable {
  private wake: (() => void) | null = null;
  private waiting: Promise<void> | null = null;
  hungry = true;

  constructor() {
    super({ highWaterMark: SINK_CHUNK_SIZE });
    this.once('close', () => this.release());
  }

  override _read(): void {
    this.hungry = true;
    this.release();
  }

  private release(): void {
    const wake = this.wake;
    this.wake = null;
    this.waiting = null;
    wake?.();
  }

  send(chunk: Buffer | null): void {
    this.hungry = this.push(chunk);
  }

  ready(): Promise<void> {
    if (this.hungry || this.destroyed) return Promise.resolve();
    this.waiting ??= new Promise((resolve) => {
      this.wake = resolve;
    });
    return this.waiting;
  }
}

/** Everything known about a finished body except its sink reference. */
export interface CollectedBody {
  segment: Promise<BodySegment>;
  /** True when the body went to the sink, false when it stays inline. */
  external: boolean;
  sha256: string;
  size: number;
  decodedSize: number | undefined;
}

/** Streams one body (a leaf's, or a preamble or epilogue) into a BodySegment. */
export class BodyCollector {
  private readonly hash: Hash = createHash('sha256');
  private batch: Buffer[] = [];
  private batchLength = 0;
  private size = 0;
  private inline: Buffer[] = [];
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private pipe: BodyPipe | null = null;
  private ref: Promise<string> | null = null;
  private resolveDigest: ((digest: BodyDigest) => void) | null = null;
  private rejectDigest: ((error: Error) => void) | null = null;
  private readonly sizer: DecodedSizeCounter | null;
  /** The first error of the sink, so indexing can stop early. */
  failure: Error | null = null;

  constructor(
    private readonly info: LargeBodyInfo,
    private readonly threshold: number,
    private readonly sink: PartSink | undefined,
    countDecoded: boolean,
  ) {
    this.sizer = countDecoded ? createDecodedSizeCounter(info.transferEncoding) : null;
  }

  /** Adds the next bytes of the body; small pieces (lines) are batched before hashing. */
  write(chunk: Buffer): void {
    if (!chunk.length) return;
    this.batch.push(chunk);
    this.batchLength += chunk.length;
    // Flush at the batch size, or as soon as the body crosses the threshold so the sink starts.
    const crossing = !this.pipe && this.sink && this.size + this.batchLength > this.threshold;
    if (this.batchLength >= BATCH_SIZE || crossing) this.flushBatch();
  }

  private flushBatch(): void {
    if (!this.batchLength) return;
    const chunk =
      this.batch.length === 1 ? (this.batch[0] as Buffer) : Buffer.concat(this.batch, this.batchLength);
    this.batch = [];
    this.batchLength = 0;
    this.hash.update(chunk);
    this.size += chunk.length;
    if (this.sizer) this.sizer.update(chunk);
    if (this.pipe) {
      this.queueForSink(chunk);
    } else {
      this.inline.push(chunk);
      if (this.sink && this.size > this.threshold) this.startSink(this.sink);
    }
  }

  /** Waits while the sink is behind, so a large body never piles up in memory. */
  ready(): Promise<void> {
    return this.pipe ? this.pipe.ready() : Promise.resolve();
  }

  private startSink(sink: PartSink): void {
    const pipe = new BodyPipe();
    this.pipe = pipe;
    const digest = new Promise<BodyDigest>((resolve, reject) => {
      this.resolveDigest = resolve;
      this.rejectDigest = reject;
    });
    digest.catch(() => undefined);
    this.ref = Promise.resolve()
      .then(() => sink.storeLargeBody(this.info, pipe, digest))
      .catch((error: unknown) => {
        this.failure = error instanceof Error ? error : new Error(String(error));
        pipe.destroy();
        throw this.failure;
      });
    this.ref.catch(() => undefined);
    const buffered = this.inline;
    this.inline = [];
    for (const chunk of buffered) this.queueForSink(chunk);
  }

  private queueForSink(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (this.pendingLength >= SINK_CHUNK_SIZE) this.flushToSink();
  }

  private flushToSink(): void {
    if (!this.pipe || !this.pendingLength) return;
    const chunk = Buffer.concat(this.pending, this.pendingLength);
    this.pending = [];
    this.pendingLength = 0;
    if (!this.pipe.destroyed) this.pipe.send(chunk);
  }

  /** Ends the body; hash, size and decoded size are known at once, the segment when the sink is done. */
  finish(offset: number, base: Pick<BodySegment, 'role' | 'part'>): CollectedBody {
    this.flushBatch();
    const sha256 = this.hash.digest('hex');
    const size = this.size;
    let decodedSize: number | undefined;
    if (this.sizer) decodedSize = this.sizer.final();
    const common = { kind: 'body' as const, offset, length: size, ...base, sha256 };
    let segment: Promise<BodySegment>;
    if (this.pipe && this.ref) {
      this.flushToSink();
      this.resolveDigest?.({ sha256, size });
      if (!this.pipe.destroyed) this.pipe.send(null);
      segment = this.ref.then((ref) => ({ ...common, ref }));
    } else {
      segment = Promise.resolve({ ...common, data: Buffer.concat(this.inline, size) });
      this.inline = [];
    }
    segment.catch(() => undefined);
    return { segment, sha256, size, decodedSize, external: this.pipe !== null };
  }

  /** Abandons the body after a failure elsewhere: the sink sees its stream fail. */
  abort(error: Error): void {
    this.rejectDigest?.(error);
    this.pipe?.destroy(error);
  }
}
