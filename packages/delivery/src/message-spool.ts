import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The body of a message being delivered, written to a temporary file: for filters that test the
 * size or the body (they must see it all before any copy is filed) and for redirects (sent after
 * the copies are stored). The message is never held in memory; the file is removed by `remove`.
 */
export class MessageSpool {
  private constructor(
    private readonly dir: string,
    readonly path: string,
    readonly size: number,
  ) {}

  /** Reads `body` to its end into a new file under the system's temporary folder. */
  static async write(body: Readable): Promise<MessageSpool> {
    const dir = await mkdtemp(join(tmpdir(), 'wd-delivery-'));
    const path = join(dir, 'body');
    let size = 0;
    body.on('data', (chunk: Buffer) => (size += chunk.length));
    try {
      await pipeline(body, createWriteStream(path, { mode: 0o600 }));
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return new MessageSpool(dir, path, size);
  }

  /** The body again, from the start. */
  open(): Readable {
    return createReadStream(this.path);
  }

  /** At most `limit` bytes of the body (for the Sieve body test). */
  async head(limit: number): Promise<Buffer> {
    const handle = await open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(limit, this.size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
