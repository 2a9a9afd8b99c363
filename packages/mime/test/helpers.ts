// Test helpers: an in-memory PartSink that deduplicates by SHA-256 (as the GridFS store will),
// an openBody that records what it was asked for, and stream utilities.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { BodyDigest, BodyRef, ExternalBody, LargeBodyInfo, OpenBody, PartSink } from '../src/index.js';

export const corpusDir = join(dirname(fileURLToPath(import.meta.url)), 'corpus');

/** Every corpus message, by file name. */
export function loadCorpus(): { name: string; raw: Buffer }[] {
  return readdirSync(corpusDir)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => ({ name, raw: readFileSync(join(corpusDir, name)) }));
}

/** Reads one corpus message. */
export function corpusMessage(name: string): Buffer {
  return readFileSync(join(corpusDir, name));
}

/** A Readable that hands out `raw` in chunks of `size` bytes (to exercise every split point). */
export function chunked(raw: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < raw.length; i += size) chunks.push(raw.subarray(i, i + size));
  return Readable.from(chunks, { objectMode: false });
}

/** Collects a stream into one Buffer. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** One call of openBody, as recorded by MemorySink.opener. */
export interface OpenBodyCall {
  ref: BodyRef;
  part: string;
  start: number;
  end: number;
}

/** A PartSink keeping bodies in memory, deduplicated by SHA-256 with a reference count. */
export class MemorySink implements PartSink {
  readonly bodies = new Map<BodyRef, { data: Buffer; refs: number }>();
  readonly stored: LargeBodyInfo[] = [];
  maxChunk = 0;

  async storeLargeBody(
    info: LargeBodyInfo,
    content: Readable,
    digest: Promise<BodyDigest>,
  ): Promise<BodyRef> {
    this.stored.push(info);
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of content) {
      const bytes = chunk as Buffer;
      this.maxChunk = Math.max(this.maxChunk, bytes.length);
      hash.update(bytes);
      chunks.push(bytes);
      size += bytes.length;
    }
    const { sha256, size: announced } = await digest;
    if (sha256 !== hash.digest('hex') || announced !== size)
      throw new Error('digest does not match the bytes');
    const existing = this.bodies.get(sha256);
    if (existing) existing.refs++;
    else this.bodies.set(sha256, { data: Buffer.concat(chunks), refs: 1 });
    return sha256;
  }

  /** An openBody over this sink that records every call. */
  opener(calls: OpenBodyCall[] = []): OpenBody {
    return (body: ExternalBody, start: number, end: number) => {
      calls.push({ ref: body.ref, part: body.part, start, end });
      const stored = this.bodies.get(body.ref);
      if (!stored) throw new Error(`no body ${body.ref}`);
      return Readable.from([stored.data.subarray(start, end)], { objectMode: false });
    };
  }
}

/** A sink that stores bodies by counting them only: for the memory test, nothing is kept. */
export class CountingSink implements PartSink {
  maxChunk = 0;
  bytes = 0;
  bodies = 0;
  heapPeak = 0;

  async storeLargeBody(
    _info: LargeBodyInfo,
    content: Readable,
    digest: Promise<BodyDigest>,
  ): Promise<BodyRef> {
    this.bodies++;
    let n = 0;
    for await (const chunk of content) {
      const bytes = chunk as Buffer;
      this.maxChunk = Math.max(this.maxChunk, bytes.length);
      this.bytes += bytes.length;
      if (++n % 16 === 0)
        this.heapPeak = Math.max(
          this.heapPeak,
          process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers,
        );
      // A slow consumer, so back-pressure is exercised.
      if (n % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return (await digest).sha256;
  }
}

/** An openBody that must never be called (everything inline). */
export const noOpen: OpenBody = () => {
  throw new Error('openBody called for an inline message');
};
