import { Readable } from 'node:stream';

/** A message source that makes its chunks only when read, and counts how many it was asked for. */
export interface CountingSource {
  stream: Readable;
  /** Chunks made so far: what the reader pulled, so it shows whether back-pressure reached the source. */
  produced(): number;
  /** Every byte the source makes, in order. */
  bytes: Buffer;
}

/**
 * `chunks` chunks of `chunkSize` bytes, each filled with its own byte value so that a lost,
 * doubled or reordered chunk shows. With `failAfter`, the source fails with `failure` once it has
 * made that many chunks (a connection lost mid-message).
 */
export function countingSource(
  chunks: number,
  chunkSize = 64 * 1024,
  fail?: { after: number; failure: Error },
): CountingSource {
  const all = Array.from({ length: chunks }, (_, index) => Buffer.alloc(chunkSize, 0x41 + (index % 26)));
  let produced = 0;
  const stream = new Readable({
    highWaterMark: chunkSize,
    read() {
      if (fail && produced === fail.after) this.destroy(fail.failure);
      else if (produced === chunks) this.push(null);
      else this.push(all[produced++]);
    },
  });
  return { stream, produced: () => produced, bytes: Buffer.concat(all) };
}

/**
 * The source of a whole message in chunks that fails after `failAfterBytes` (the client's
 * connection dropped in the middle of DATA).
 */
export function sourceFailingAfter(
  bytes: Buffer,
  failAfterBytes: number,
  failure: Error,
  chunkSize = 16 * 1024,
): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= failAfterBytes) {
        this.destroy(failure);
        return;
      }
      const end = Math.min(offset + chunkSize, failAfterBytes, bytes.length);
      this.push(bytes.subarray(offset, end));
      offset = end;
    },
  });
}

/** Reads a whole stream into one buffer; rejects with the stream's error. */
export async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Waits long enough for every stream that can still move to move (timers, then I/O callbacks). */
export function settle(ms = 100): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
