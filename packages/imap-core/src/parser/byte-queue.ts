/**
 * A FIFO of received bytes kept as the socket's own chunks (no copying on push), with the few
 * operations the framer needs: find a byte within a window, take, skip, peek.
 */

/** Bytes received but not yet consumed by the parser. */
export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Offset of the first unconsumed byte in `chunks[0]`. */
  private head = 0;
  /** Unconsumed bytes in total. */
  length = 0;

  /** Appends a chunk (kept by reference). */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Index of the first `byte` among the first `window` bytes, or -1. */
  indexOf(byte: number, window: number): number {
    let base = 0;
    let offset = this.head;
    for (const chunk of this.chunks) {
      const found = chunk.indexOf(byte, offset);
      const available = chunk.length - offset;
      if (found >= 0) {
        const index = base + found - offset;
        return index < window ? index : -1;
      }
      base += available;
      offset = 0;
      if (base >= window) return -1;
    }
    return -1;
  }

  /** Consumes up to `count` bytes, calling `sink` with each piece (views into the received chunks). */
  consume(count: number, sink?: (piece: Buffer) => void): number {
    let remaining = Math.min(count, this.length);
    const consumed = remaining;
    while (remaining > 0) {
      const chunk = this.chunks[0];
      if (chunk === undefined) break;
      const available = chunk.length - this.head;
      const size = Math.min(available, remaining);
      sink?.(chunk.subarray(this.head, this.head + size));
      remaining -= size;
      if (size === available) {
        this.chunks.shift();
        this.head = 0;
      } else {
        this.head += size;
      }
    }
    this.length -= consumed;
    return consumed;
  }

  /** Consumes exactly `count` bytes (at most `length`) and returns them as one Buffer. */
  take(count: number): Buffer {
    const pieces: Buffer[] = [];
    this.consume(count, (piece) => pieces.push(piece));
    return pieces.length === 1 ? (pieces[0] ?? Buffer.alloc(0)) : Buffer.concat(pieces);
  }

  /** A copy of the first `count` bytes (fewer if not available), without consuming them. */
  peek(count: number): Buffer {
    const pieces: Buffer[] = [];
    let remaining = Math.min(count, this.length);
    let offset = this.head;
    for (const chunk of this.chunks) {
      if (remaining === 0) break;
      const size = Math.min(chunk.length - offset, remaining);
      pieces.push(chunk.subarray(offset, offset + size));
      remaining -= size;
      offset = 0;
    }
    return Buffer.concat(pieces);
  }

  /** Calls `visit` on the unconsumed bytes in order, chunk by chunk, without consuming. */
  forEachPiece(visit: (piece: Buffer) => boolean): void {
    let offset = this.head;
    for (const chunk of this.chunks) {
      if (!visit(chunk.subarray(offset))) return;
      offset = 0;
    }
  }
}
