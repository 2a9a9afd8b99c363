/**
 * Writes responses to a socket in order, with back-pressure: each write waits for 'drain' when
 * the socket's buffer is full, and streamed literal bodies are pulled chunk by chunk only as the
 * socket accepts them, so a slow client never makes the server hold a mailbox in memory.
 *
 * Output is coalesced: a response is written with one `write()`, and while the writer is corked
 * (the session corks it for the length of a command) every response is gathered until `uncork()`,
 * so a command's untagged lines and its tagged completion leave in one write. Many small writes
 * would each be a TCP segment, and a peer that delays its ACKs (40 ms on Linux) stalls every one
 * after the first while Nagle's algorithm is on; fewer writes also mean fewer system calls. The
 * gathered text is written out early once it reaches `flushThreshold`, so memory stays bounded
 * and a large FETCH still streams.
 */
import type { Readable, Writable } from 'node:stream';
import type { OutputPiece } from './encode.js';
import { encodeResponse, type ImapResponse, type ResponseCode, type StatusCondition } from './responses.js';
import type { ImapValue } from './values.js';

/** Bytes gathered before they are written even though the writer is still corked. */
export const DEFAULT_FLUSH_THRESHOLD = 64 * 1024;

/** Options of a `ResponseWriter`. */
export interface ResponseWriterOptions {
  /** UTF8=ACCEPT already enabled (normally false at connection start). */
  utf8Accept?: boolean;
  /** Bytes gathered before they are written (default 64 KiB). */
  flushThreshold?: number;
  /**
   * Slow-reader protection: the destination stays full (no 'drain') this long, or holds more
   * than `maxPending` bytes. Unset: the writer waits as long as it takes.
   */
  stall?: {
    timeoutMs: number;
    maxPending: number;
    /** Told once; should destroy the destination (the writer has already dropped its own output). */
    onStall: (reason: string) => void;
  };
}

/** Serialises responses onto a Writable (a `net.Socket` or `tls.TLSSocket`). */
export class ResponseWriter {
  private utf8Accept: boolean;
  private readonly flushThreshold: number;
  /** Completion of everything queued so far; responses are written strictly in `send` order. */
  private tail: Promise<void> = Promise.resolve();
  /** Depth of `cork()` calls not yet matched by `uncork()`; output is gathered while above 0. */
  private corks = 0;
  /** Output gathered but not yet written, and its size. */
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;
  private readonly stall: ResponseWriterOptions['stall'];
  /** Set once the client was found not to read: nothing more is gathered or written. */
  private stalled = false;

  constructor(
    private readonly destination: Writable,
    options: ResponseWriterOptions = {},
  ) {
    this.utf8Accept = options.utf8Accept ?? false;
    this.flushThreshold = options.flushThreshold ?? DEFAULT_FLUSH_THRESHOLD;
    this.stall = options.stall;
  }

  /** Encodes strings and mailbox names for UTF8=ACCEPT from the next `send` on. */
  setUtf8Accept(enabled: boolean): void {
    this.utf8Accept = enabled;
  }

  /** True once the destination can take no more output (closed, ended or destroyed). */
  get closed(): boolean {
    return this.stalled || this.destination.destroyed || this.destination.writableEnded;
  }

  /**
   * Queues a response. Uncorked, it is written at once (in one write, apart from streamed literal
   * bodies); corked, it is gathered until `uncork()` or `flush()`. Resolves once it was written or
   * gathered, after any wait for 'drain', so awaiting each response keeps back-pressure. Output to
   * a closed socket is dropped. Rejects only when a streamed literal body fails or yields a
   * different length than announced: the socket is then destroyed, since the client can no longer
   * tell where responses start.
   */
  send(response: ImapResponse): Promise<void> {
    const pieces = encodeResponse(response, { utf8: this.utf8Accept });
    const writeNow = this.corks === 0;
    return this.enqueue(async () => {
      await this.writePieces(pieces);
      if (writeNow) await this.writeGathered();
    });
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

  /**
   * `+ text`: a continuation request (e.g. `+ Ready for literal data`, `+ idling`, a base64 SASL
   * challenge). The client answers nothing until it sees it, so it is written at once with
   * whatever was gathered before it, corked or not.
   */
  continuation(text: string): Promise<void> {
    const sent = this.send({ type: 'continuation', text });
    return this.corks > 0 ? this.flush() : sent;
  }

  /** Gathers output from now on until the matching `uncork()`; calls nest. */
  cork(): void {
    this.corks++;
  }

  /** Ends a `cork()`; the outermost one writes what was gathered. Resolves once it is written. */
  uncork(): Promise<void> {
    if (this.corks === 0) return this.tail;
    this.corks--;
    return this.corks === 0 ? this.flush() : this.tail;
  }

  /** Writes what was gathered so far, corked or not; resolves once it is written. */
  flush(): Promise<void> {
    return this.enqueue(() => this.writeGathered());
  }

  /** Writes everything queued and gathered so far; resolves once the socket has it. */
  flushed(): Promise<void> {
    return this.flush();
  }

  /** Runs `step` after everything queued before it; a failed step does not stop later ones. */
  private enqueue(step: () => Promise<void>): Promise<void> {
    const done = this.tail.then(step);
    this.tail = done.catch(() => undefined);
    return done;
  }

  private async writePieces(pieces: OutputPiece[]): Promise<void> {
    for (const piece of pieces) {
      if (Buffer.isBuffer(piece)) await this.gather(piece);
      else await this.pipeLiteral(piece.stream, piece.length);
    }
  }

  /** Adds bytes to the gathered output; writes it once it reaches the threshold. */
  private async gather(chunk: Buffer): Promise<void> {
    if (chunk.length === 0 || this.closed) return;
    if (chunk.length >= this.flushThreshold) {
      // a large chunk (of a literal) goes out as it is, after what came before it, never copied
      await this.writeGathered();
      await this.writeChunk(chunk);
      return;
    }
    this.gathered.push(chunk);
    this.gatheredBytes += chunk.length;
    if (this.gatheredBytes >= this.flushThreshold) await this.writeGathered();
  }

  /** Writes the gathered output in one write. */
  private async writeGathered(): Promise<void> {
    if (this.gatheredBytes === 0) return;
    const chunk = this.gathered.length === 1 ? this.gathered[0]! : Buffer.concat(this.gathered);
    this.gathered = [];
    this.gatheredBytes = 0;
    await this.writeChunk(chunk);
  }

  /** Writes one chunk, waiting for 'drain' if the socket's buffer is full. */
  private async writeChunk(chunk: Buffer): Promise<void> {
    if (this.closed || chunk.length === 0) return;
    // what earlier writes left queued: normally under the high-water mark, since every write waits
    // for 'drain', but a destination with a large high-water mark takes output without waiting
    if (this.stall && this.destination.writableLength > this.stall.maxPending) {
      this.stop(`more than ${this.stall.maxPending} bytes of output are waiting for the client`);
      return;
    }
    if (!this.destination.write(chunk)) await this.waitForDrain();
  }

  /**
   * Resolves on 'drain', or when the destination closes or fails (nothing more to wait for), or
   * when the client is given up as not reading (`stall.timeoutMs` without 'drain').
   */
  private waitForDrain(): Promise<void> {
    const destination = this.destination;
    return new Promise((resolve) => {
      const stall = this.stall;
      const timer = stall
        ? setTimeout(() => {
            done();
            this.stop(`the client read none of its output for ${stall.timeoutMs} ms`);
          }, stall.timeoutMs)
        : undefined;
      const done = () => {
        clearTimeout(timer);
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

  /**
   * Gives up on a client that does not read: what was gathered is dropped, nothing more is
   * written (every later write finds the writer closed, so a streaming FETCH stops pulling
   * messages), and the owner is told so it can destroy the connection.
   */
  private stop(reason: string): void {
    if (this.stalled) return;
    this.stalled = true;
    this.gathered = [];
    this.gatheredBytes = 0;
    this.stall?.onStall(reason);
  }

  /**
   * Pipes exactly `length` bytes of `stream`, pulling only as fast as the socket drains. Its
   * chunks are gathered like any output, so a small body leaves with the lines around it and a
   * large one in writes of about the threshold.
   */
  private async pipeLiteral(stream: Readable, length: number): Promise<void> {
    let sent = 0;
    try {
      for await (const chunk of stream) {
        const bytes: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        if (this.closed) break;
        const room = length - sent;
        await this.gather(bytes.length > room ? bytes.subarray(0, room) : bytes);
        sent += Math.min(bytes.length, room);
        if (bytes.length > room)
          throw new RangeError(`literal stream yielded more than the announced ${length} bytes`);
      }
      if (sent < length && !this.closed) {
        throw new RangeError(`literal stream ended after ${sent} of the announced ${length} bytes`);
      }
    } catch (error) {
      stream.destroy();
      this.gathered = [];
      this.gatheredBytes = 0;
      this.destination.destroy();
      throw error;
    }
  }
}
