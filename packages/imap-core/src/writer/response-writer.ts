/**
 * Writes responses to a socket in order, with back-pressure: each write waits for 'drain' when
 * the socket's buffer is full, and streamed literal bodies are pulled chunk by chunk only as the
 * socket accepts them, so a slow client never makes the server hold a mailbox in memory.
 */
import type { Readable, Writable } from 'node:stream';
import type { OutputPiece } from './encode.js';
import { encodeResponse, type ImapResponse, type ResponseCode, type StatusCondition } from './responses.js';
import type { ImapValue } from './values.js';

/** Options of a `ResponseWriter`. */
export interface ResponseWriterOptions {
  /** UTF8=ACCEPT already enabled (normally false at connection start). */
  utf8Accept?: boolean;
}

/** Serialises responses onto a Writable (a `net.Socket` or `tls.TLSSocket`). */
export class ResponseWriter {
  private utf8Accept: boolean;
  /** Completion of everything queued so far; responses are written strictly in `send` order. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly destination: Writable,
    options: ResponseWriterOptions = {},
  ) {
    this.utf8Accept = options.utf8Accept ?? false;
  }

  /** Encodes strings and mailbox names for UTF8=ACCEPT from the next `send` on. */
  setUtf8Accept(enabled: boolean): void {
    this.utf8Accept = enabled;
  }

  /** True once the destination can take no more output (closed, ended or destroyed). */
  get closed(): boolean {
    return this.destination.destroyed || this.destination.writableEnded;
  }

  /**
   * Queues a response; resolves once it was handed to the socket (after any wait for 'drain').
   * Output to a closed socket is dropped. Rejects only when a streamed literal body fails or
   * yields a different length than announced: the socket is then destroyed, since the client
   * can no longer tell where responses start.
   */
  send(response: ImapResponse): Promise<void> {
    const pieces = encodeResponse(response, { utf8: this.utf8Accept });
    const written = this.tail.then(() => this.writePieces(pieces));
    this.tail = written.catch(() => undefined);
    return written;
  }

  /** `* <values>`. */
  untagged(...values: ImapValue[]): Promise<void> {
    return this.send({ type: 'untagged', values });
  }

  /** `<tag> OK|NO|BAD [code] text`. */
  tagged(tag: string, condition: StatusCondition, text: string, code?: ResponseCode): Promise<void> {
    return this.send({ type: 'status', tag, condition, text, ...(code ? { code } : {}) });
  }

  /** `* OK|NO|BAD|PREAUTH|BYE [code] text`. */
  untaggedStatus(condition: StatusCondition, text: string, code?: ResponseCode): Promise<void> {
    return this.send({ type: 'status', tag: null, condition, text, ...(code ? { code } : {}) });
  }

  /** `+ text`: a continuation request (e.g. `+ Ready for literal data`, `+ idling`, a base64 SASL challenge). */
  continuation(text: string): Promise<void> {
    return this.send({ type: 'continuation', text });
  }

  /** Resolves when everything queued so far has been handed to the socket. */
  flushed(): Promise<void> {
    return this.tail;
  }

  private async writePieces(pieces: OutputPiece[]): Promise<void> {
    for (const piece of pieces) {
      if (Buffer.isBuffer(piece)) await this.writeChunk(piece);
      else await this.pipeLiteral(piece.stream, piece.length);
    }
  }

  /** Writes one chunk, waiting for 'drain' if the socket's buffer is full. */
  private async writeChunk(chunk: Buffer): Promise<void> {
    if (this.closed || chunk.length === 0) return;
    if (!this.destination.write(chunk)) await this.waitForDrain();
  }

  /** Resolves on 'drain', or when the destination closes or fails (nothing more to wait for). */
  private waitForDrain(): Promise<void> {
    const destination = this.destination;
    return new Promise((resolve) => {
      const done = () => {
        destination.off('drain', done);
        destination.off('close', done);
        destination.off('error', done);
        resolve();
      };
      destination.on('drain', done);
      destination.on('close', done);
      destination.on('error', done);
    });
  }

  /** Pipes exactly `length` bytes of `stream`, pulling only as fast as the socket drains. */
  private async pipeLiteral(stream: Readable, length: number): Promise<void> {
    let sent = 0;
    try {
      for await (const chunk of stream) {
        const bytes: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        if (this.closed) break;
        const room = length - sent;
        await this.writeChunk(bytes.length > room ? bytes.subarray(0, room) : bytes);
        sent += Math.min(bytes.length, room);
        if (bytes.length > room)
          throw new RangeError(`literal stream yielded more than the announced ${length} bytes`);
      }
      if (sent < length && !this.closed) {
        throw new RangeError(`literal stream ended after ${sent} of the announced ${length} bytes`);
      }
    } catch (error) {
      stream.destroy();
      this.destination.destroy();
      throw error;
    }
  }
}
