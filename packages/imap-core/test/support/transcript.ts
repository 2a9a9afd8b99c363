// A scripted IMAP client for transcript tests: send lines, wait for responses that match
// regular expressions, over a real TCP (or TLS) socket.
import net from 'node:net';
import tls from 'node:tls';
import assert from 'node:assert/strict';
import { takeResponseLines } from './response-lines.js';

/** One connection to the server under test, reading line by line. */
export class Transcript {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly lines: string[] = [];
  private waiter: (() => void) | null = null;
  private closed = false;
  /** Everything received, for assertion messages. */
  readonly received: string[] = [];

  private constructor(private socket: net.Socket) {
    this.attach(socket);
  }

  /** Connects and waits for the greeting (returned). */
  static async connect(
    port: number,
    options: { tls?: boolean } = {},
  ): Promise<{ client: Transcript; greeting: string }> {
    const socket = options.tls
      ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false })
      : net.connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new Transcript(socket);
    const greeting = await client.readLine();
    return { client, greeting };
  }

  /** Sends raw bytes (a command line must end with CRLF). */
  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Sends one line, adding CRLF. */
  send(line: string): void {
    this.socket.write(line + '\r\n');
  }

  /** Reads the next line (without CRLF); fails after `timeoutMs`. */
  async readLine(timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.closed) throw new Error(`connection closed; received so far:\n${this.received.join('\n')}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for a line; received so far:\n${this.received.join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.lines.shift() as string;
  }

  /**
   * Sends `tag command` and collects responses up to the tagged one; returns the untagged lines
   * and the tagged line. Literal payloads arrive as part of the line they belong to.
   */
  async command(
    tag: string,
    command: string,
    timeoutMs = 3000,
  ): Promise<{ untagged: string[]; tagged: string }> {
    this.send(`${tag} ${command}`);
    return this.until(tag, timeoutMs);
  }

  /** Collects lines until the one tagged `tag`. */
  async until(tag: string, timeoutMs = 3000): Promise<{ untagged: string[]; tagged: string }> {
    const untagged: string[] = [];
    for (;;) {
      const line = await this.readLine(timeoutMs);
      if (line.startsWith(`${tag} `)) return { untagged, tagged: line };
      untagged.push(line);
    }
  }

  /** Sends a command and asserts each expectation in order against the response lines. */
  async expect(tag: string, command: string, expected: readonly RegExp[]): Promise<string[]> {
    const { untagged, tagged } = await this.command(tag, command);
    const all = [...untagged, tagged];
    assert.equal(all.length, expected.length, `for ${command} got:\n${all.join('\n')}`);
    expected.forEach((pattern, index) =>
      assert.match(all[index] as string, pattern, `line ${index} of:\n${all.join('\n')}`),
    );
    return all;
  }

  /** Resolves when the server closes the connection. */
  async closedByServer(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('server did not close the connection');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Switches to TLS on the same socket (after `STARTTLS` got its OK). */
  async upgradeToTls(): Promise<void> {
    this.socket.removeAllListeners('data');
    const secure = tls.connect({ socket: this.socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
  }

  /** True when the socket runs TLS. */
  get encrypted(): boolean {
    return this.socket instanceof tls.TLSSocket;
  }

  /** Closes the client side. */
  close(): void {
    this.socket.destroy();
  }

  private attach(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private onData(chunk: Buffer): void {
    const { lines, rest } = takeResponseLines(Buffer.concat([this.buffer, chunk]));
    this.buffer = rest;
    this.lines.push(...lines);
    this.received.push(...lines);
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}
