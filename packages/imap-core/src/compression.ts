// COMPRESS=DEFLATE (RFC 4978): after the tagged OK both directions are raw DEFLATE (RFC 1951).
// The session writes to a `DeflateOutput` instead of the socket; the response writer already
// gathers a command's output into one write, so each write is compressed and sync-flushed as
// one batch: the client can decode everything it was sent, and a batch costs one flush marker
// instead of one per response line. Back-pressure passes through: while the socket is full the
// deflate stream stops being read, its flush callback waits, and so `write()` returns false.
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import type net from 'node:net';

/** The one mechanism RFC 4978 defines. */
export const COMPRESSION_MECHANISM = 'DEFLATE';

/** Bytes buffered before `write()` asks the writer to wait for 'drain'. */
const OUTPUT_HIGH_WATER_MARK = 64 * 1024;

/** A Writable that deflates into `socket`, sync-flushing after every write. */
export class DeflateOutput extends Writable {
  private readonly deflate = zlib.createDeflateRaw();

  constructor(private readonly socket: net.Socket) {
    super({ highWaterMark: OUTPUT_HIGH_WATER_MARK, decodeStrings: true });
    this.deflate.pipe(socket, { end: false });
    this.deflate.on('error', (error) => this.destroy(error));
    socket.once('close', () => this.destroy());
  }

  /**
   * Ends the connection once everything written so far is compressed and on the socket. No final
   * DEFLATE block is sent (closing the connection ends the stream; RFC 4978 asks for none), and the
   * deflate stream is not ended: on Node 20 it does not always emit 'end' after a sync flush.
   */
  endConnection(): void {
    const socket = this.socket;
    const endWhenDrained = (): void => {
      if (socket.destroyed) return;
      if (this.deflate.readableLength > 0 || socket.writableNeedDrain) {
        socket.once('drain', () => setImmediate(endWhenDrained));
        return;
      }
      this.deflate.unpipe(socket);
      socket.end();
      socket.destroySoon?.();
    };
    this.once('finish', () => setImmediate(endWhenDrained));
    this.end();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.deflate.write(chunk);
    this.deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.deflate.destroy();
    if (!this.socket.destroyed && error) this.socket.destroy();
    callback(error);
  }
}

/** A raw INFLATE stream for what the client sends after COMPRESS. */
export function createInflater(): zlib.InflateRaw {
  return zlib.createInflateRaw();
}
