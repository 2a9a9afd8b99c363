// A test client that can switch to COMPRESS=DEFLATE (RFC 4978) after its OK: raw deflate out,
// each command sync-flushed, raw inflate in. Reads whole lines (literals joined to their line).
import net from 'node:net';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { takeResponseLines } from './response-lines.js';

export class CompressingClient {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly lines: string[] = [];
  private wake: (() => void) | null = null;
  private inflate: zlib.InflateRaw | null = null;
  private deflate: zlib.DeflateRaw | null = null;
  closed = false;
  /** Bytes received on the wire (compressed or not). */
  wireBytes = 0;

  private constructor(private socket: net.Socket) {
    this.attach();
  }

  static async connect(port: number, options: { tls?: boolean } = {}): Promise<CompressingClient> {
    const socket = options.tls
      ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false })
      : net.connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new CompressingClient(socket);
    await client.readLine();
    return client;
  }

  /** Switches the plain socket to TLS (after STARTTLS's OK). */
  async upgradeToTls(): Promise<void> {
    this.socket.removeAllListeners('data');
    const secure = tls.connect({ socket: this.socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach();
  }

  /** From now on both directions are deflated (call after COMPRESS's tagged OK). */
  startCompression(): void {
    const inflate = zlib.createInflateRaw();
    inflate.on('data', (chunk: Buffer) => this.received(chunk));
    this.inflate = inflate;
    const deflate = zlib.createDeflateRaw();
    deflate.on('data', (chunk: Buffer) => this.socket.write(chunk));
    this.deflate = deflate;
    if (this.buffer.length) throw new Error('data after the COMPRESS OK arrived uncompressed');
  }

  /** Sends bytes as they are (compressed when compression is on), flushed. */
  write(data: string | Buffer): void {
    if (!this.deflate) {
      this.socket.write(data);
      return;
    }
    this.deflate.write(data);
    this.deflate.flush(zlib.constants.Z_SYNC_FLUSH);
  }

  async command(
    tag: string,
    command: string,
    timeoutMs = 15_000,
  ): Promise<{ untagged: string[]; tagged: string }> {
    this.write(`${tag} ${command}\r\n`);
    const untagged: string[] = [];
    for (;;) {
      const line = await this.readLine(timeoutMs);
      if (line.startsWith(`${tag} `)) return { untagged, tagged: line };
      untagged.push(line);
    }
  }

  async readLine(timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a line');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.lines.shift() as string;
  }

  async closedByServer(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('server did not close the connection');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private attach(): void {
    this.socket.on('data', (chunk: Buffer) => {
      this.wireBytes += chunk.length;
      if (this.inflate) this.inflate.write(chunk);
      else this.received(chunk);
    });
    this.socket.on('close', () => {
      const markClosed = () => {
        this.closed = true;
        this.notify();
      };
      // the inflater works asynchronously: the server's last lines (BYE, the tagged OK) may still
      // be in it when the socket closes, so the connection counts as closed once it has given them
      if (this.inflate) this.inflate.flush(zlib.constants.Z_SYNC_FLUSH, markClosed);
      else markClosed();
    });
    this.socket.on('error', () => undefined);
  }

  private received(chunk: Buffer): void {
    const { lines, rest } = takeResponseLines(Buffer.concat([this.buffer, chunk]));
    this.buffer = rest;
    this.lines.push(...lines);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
