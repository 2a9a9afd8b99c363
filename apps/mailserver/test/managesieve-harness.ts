import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { pino } from 'pino';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { createUser } from '@wildduck/store';
import { MemoryRateLimiter } from '@wildduck/coordination';
import type { ManageSieveServer } from '@wildduck/managesieve';
import { createManageSieveServer } from '../src/managesieve/start.js';
import { loadOrCreateCertificate, type TlsFiles } from '../src/tls.js';
import { LOGIN_LIMITS } from '../src/runtime.js';

/** ManageSieve on the real store, as the mail server builds it, on a free port. */
export interface ManageSieveHarness {
  store: TestDatabase;
  server: ManageSieveServer;
  port: number;
  createUser(address: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

let certificate: Promise<TlsFiles> | undefined;

export async function startManageSieve(
  label: string,
  options: { allowPlaintextLogin?: boolean; perUserLoginAttempts?: number } = {},
): Promise<ManageSieveHarness> {
  const store = await openTestDatabase(label);
  await applySchema(store.db);
  certificate ??= loadOrCreateCertificate({ dataDir: mkdtempSync(join(tmpdir(), 'wd-tls-')) });
  const server = createManageSieveServer({
    db: store.db,
    limiters: {
      user: new MemoryRateLimiter({
        ...LOGIN_LIMITS.perUser,
        attempts: options.perUserLoginAttempts ?? LOGIN_LIMITS.perUser.attempts,
      }),
      address: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
    },
    tls: await certificate,
    allowPlaintextLogin: options.allowPlaintextLogin ?? false,
    logger: pino({ level: 'silent' }),
  });
  const port = (await server.listen(0)).port;
  return {
    store,
    server,
    port,
    async createUser(address, password = 'secretpass') {
      return (await createUser(store.db, { address, password, quota: null }))._id.toHexString();
    },
    async close() {
      await server.close();
      await store.drop();
    },
  };
}

/**
 * A raw ManageSieve client for tests that look at exact responses: `command` sends one line (or
 * bytes) and returns everything up to the OK/NO/BYE line that ends the response, literals included.
 */
export class RawSieveClient {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private ended = false;
  greeting = '';

  private constructor(private socket: Socket) {
    this.listen(socket);
  }

  private listen(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      this.ended = true;
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<RawSieveClient> {
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new RawSieveClient(socket);
    client.greeting = await client.response();
    return client;
  }

  /**
   * STARTTLS, the TLS handshake, and the capabilities the server sends unasked after it.
   * `pipelined`: bytes sent in clear text right behind STARTTLS (the server must drop them).
   */
  async startTls(pipelined = ''): Promise<string> {
    this.write(`STARTTLS\r\n${pipelined}`);
    const answer = await this.response();
    if (!answer.startsWith('OK')) throw new Error(`STARTTLS refused: ${answer}`);
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    const secure = tlsConnect({ socket: this.socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
    return this.response();
  }

  /** STARTTLS and AUTHENTICATE PLAIN with an initial response; the server's answer. */
  async login(username: string, password = 'secretpass'): Promise<string> {
    await this.startTls();
    return this.command(`AUTHENTICATE "PLAIN" "${plain(username, password)}"`);
  }

  async command(line: string | Buffer): Promise<string> {
    this.write(Buffer.concat([Buffer.isBuffer(line) ? line : Buffer.from(line), Buffer.from('\r\n')]));
    return this.response();
  }

  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  /** Reads one response: lines (and literals) up to a line starting with OK, NO or BYE. */
  async response(): Promise<string> {
    for (;;) {
      const end = responseEnd(this.buffer);
      if (end >= 0) {
        const text = this.buffer.subarray(0, end).toString('utf8');
        this.buffer = this.buffer.subarray(end);
        return text;
      }
      if (this.ended) throw new Error(`connection closed; unread: ${JSON.stringify(this.buffer.toString())}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Reads one line (a SASL challenge). */
  async line(): Promise<string> {
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end >= 0) {
        const text = this.buffer.subarray(0, end).toString('utf8');
        this.buffer = this.buffer.subarray(end + 2);
        return text;
      }
      if (this.ended) throw new Error('connection closed');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** True once the server has closed the connection. */
  async closed(): Promise<boolean> {
    while (!this.ended) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return true;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** SASL PLAIN's message, base64. */
export function plain(username: string, password: string): string {
  return Buffer.from(`\0${username}\0${password}`).toString('base64');
}

/** Where the response at the start of `buffer` ends (after its final line's CRLF), or -1. */
function responseEnd(buffer: Buffer): number {
  let at = 0;
  while (at < buffer.length) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd < 0) return -1;
    const line = buffer.toString('latin1', at, lineEnd);
    const literal = /\{(\d+)\}$/.exec(line);
    if (literal) {
      at = lineEnd + 2 + Number(literal[1]);
      if (/^(OK|NO|BYE)\b/.test(line)) {
        // a status whose text is a literal: the response ends after it and its CRLF
        if (buffer.length < at + 2) return -1;
        return at + 2;
      }
      continue;
    }
    at = lineEnd + 2;
    if (/^(OK|NO|BYE)\b/.test(line)) return at;
  }
  return -1;
}
