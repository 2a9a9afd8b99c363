import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/**
 * A small IMAP client for load: one command at a time per connection, a streaming response
 * scanner that skips literal bytes without copying them (unless asked to keep them), and nothing
 * else. It speaks to any IMAP4rev1 server, so the benchmark can be pointed at another product.
 */

/** Where to connect. */
export interface ImapEndpoint {
  host: string;
  port: number;
  /** Implicit TLS (IMAPS); certificates are not checked (benchmarks run on loopback). */
  tls?: boolean;
}

/** The outcome of one tagged command. */
export interface ImapResponse {
  status: 'OK' | 'NO' | 'BAD';
  /** The tagged line after the status word. */
  text: string;
  /** Untagged lines, with each literal shown as its `{n}` marker only. */
  untagged: string[];
  /** Literal contents, when the command asked to keep them. */
  literals: Buffer[];
  /** Bytes of literal data received for this command. */
  literalBytes: number;
}

/** Raised when a server answers NO or BAD where the benchmark needs OK. */
export class ImapCommandError extends Error {
  constructor(
    readonly command: string,
    readonly response: ImapResponse,
  ) {
    super(`${command.slice(0, 120)} -> ${response.status} ${response.text}`);
  }
}

interface Pending {
  tag: string;
  keepLiterals: boolean;
  response: ImapResponse;
  resolve(response: ImapResponse): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const LITERAL_AT_END = /\{(\d+)\+?\}$/;

export class ImapConnection {
  greeting = '';
  capabilities = new Set<string>();
  /** Called for every untagged line (also during IDLE), e.g. to follow EXISTS. */
  onUntagged: ((line: string) => void) | undefined;

  private leftover: Buffer | undefined;
  private literalRemaining = 0;
  private line = '';
  private pending: Pending | undefined;
  private continuation: (() => void) | undefined;
  private greeted: ((line: string) => void) | undefined;
  private counter = 0;
  private closed: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    const fail = (error: Error) => {
      this.closed ??= error;
      this.pending?.reject(error);
      this.pending = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by the server')));
  }

  /** Connects and reads the greeting (and the capabilities it announces, if any). */
  static async open(endpoint: ImapEndpoint, timeoutMs = 120_000): Promise<ImapConnection> {
    const socket = endpoint.tls
      ? tlsConnect({ host: endpoint.host, port: endpoint.port, rejectUnauthorized: false })
      : connect({ host: endpoint.host, port: endpoint.port });
    const client = new ImapConnection(socket, timeoutMs);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no IMAP greeting from ${endpoint.host}:${endpoint.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      client.greeted = (line) => {
        clearTimeout(timer);
        client.greeting = line;
        client.readCapabilities(line);
        resolve();
      };
    });
    return client;
  }

  /** Sends one command (without tag and CRLF) and resolves with its tagged answer, whatever the status. */
  send(command: string | Buffer, options: { keepLiterals?: boolean } = {}): Promise<ImapResponse> {
    if (this.closed) return Promise.reject(this.closed);
    if (this.pending) return Promise.reject(new Error('one command at a time'));
    const tag = `b${++this.counter}`;
    const promise = this.expect(tag, options.keepLiterals ?? false, command);
    this.socket.write(
      Buffer.isBuffer(command)
        ? Buffer.concat([Buffer.from(`${tag} `), command, Buffer.from('\r\n')])
        : `${tag} ${command}\r\n`,
    );
    return promise;
  }

  /** Like `send`, but a NO or BAD answer is an ImapCommandError. */
  async run(command: string, options: { keepLiterals?: boolean } = {}): Promise<ImapResponse> {
    const response = await this.send(command, options);
    if (response.status !== 'OK') throw new ImapCommandError(command, response);
    return response;
  }

  async login(user: string, password: string): Promise<void> {
    const response = await this.run(`LOGIN ${quote(user)} ${quote(password)}`);
    const code = /\[CAPABILITY ([^\]]+)\]/i.exec(response.text);
    if (code?.[1]) this.readCapabilities(`[CAPABILITY ${code[1]}]`);
    else if (!this.capabilities.size) await this.capability();
  }

  async capability(): Promise<void> {
    const response = await this.run('CAPABILITY');
    for (const line of response.untagged)
      if (/^\* CAPABILITY /i.test(line)) this.readCapabilities(`[${line.slice(2)}]`);
  }

  /**
   * APPEND with one literal: synchronising (wait for "+") unless the server offers LITERAL+.
   * Resolves with the answer; `send`'s rules apply (NO is returned, not thrown).
   */
  async append(
    mailbox: string,
    message: Buffer,
    flags: readonly string[] = [],
    date?: Date,
  ): Promise<ImapResponse> {
    if (this.closed) throw this.closed;
    if (this.pending) throw new Error('one command at a time');
    const tag = `b${++this.counter}`;
    const plus = this.capabilities.has('LITERAL+');
    const head = `${tag} APPEND ${quote(mailbox)} (${flags.join(' ')})${date ? ` "${imapDate(date)}"` : ''} {${message.length}${plus ? '+' : ''}}\r\n`;
    const promise = this.expect(tag, false, `APPEND ${mailbox}`);
    if (plus) {
      this.socket.write(head);
      this.socket.write(message);
      this.socket.write('\r\n');
    } else {
      const ready = new Promise<void>((resolve) => (this.continuation = resolve));
      this.socket.write(head);
      await Promise.race([ready, promise]);
      if (this.isPending(tag)) {
        this.socket.write(message);
        this.socket.write('\r\n');
      }
    }
    return promise;
  }

  /** Starts IDLE and resolves once the server sent its continuation; `done()` ends it, then `finished` settles. */
  async idle(): Promise<{ finished: Promise<ImapResponse> }> {
    if (this.closed) throw this.closed;
    const tag = `b${++this.counter}`;
    const finished = this.expect(tag, false, 'IDLE');
    const ready = new Promise<void>((resolve) => (this.continuation = resolve));
    this.socket.write(`${tag} IDLE\r\n`);
    const first = await Promise.race([ready.then(() => 'ready' as const), finished]);
    if (first !== 'ready') throw new ImapCommandError('IDLE', first);
    return { finished };
  }

  /** Ends IDLE. */
  done(): void {
    this.socket.write('DONE\r\n');
  }

  /** LOGOUT, then closes the socket whatever happens. */
  async logout(): Promise<void> {
    try {
      if (!this.closed && !this.pending) await this.send('LOGOUT');
    } catch {
      // closing anyway
    } finally {
      this.close();
    }
  }

  close(): void {
    this.closed ??= new Error('connection closed by the client');
    this.socket.destroy();
  }

  private isPending(tag: string): boolean {
    return this.pending?.tag === tag;
  }

  private expect(tag: string, keepLiterals: boolean, command: string | Buffer): Promise<ImapResponse> {
    return new Promise<ImapResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        const shown = Buffer.isBuffer(command)
          ? command.subarray(0, 80).toString('latin1')
          : command.slice(0, 80);
        reject(new Error(`no answer to "${shown}" within ${this.timeoutMs} ms`));
        this.pending = undefined;
        this.close();
      }, this.timeoutMs);
      this.pending = {
        tag,
        keepLiterals,
        response: { status: 'OK', text: '', untagged: [], literals: [], literalBytes: 0 },
        resolve: (response) => {
          clearTimeout(timer);
          resolve(response);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
        timer,
      };
    });
  }

  private receive(chunk: Buffer): void {
    const data = this.leftover ? Buffer.concat([this.leftover, chunk]) : chunk;
    this.leftover = undefined;
    let position = 0;
    while (position < data.length) {
      if (this.literalRemaining > 0) {
        const take = Math.min(this.literalRemaining, data.length - position);
        if (this.pending) {
          this.pending.response.literalBytes += take;
          if (this.pending.keepLiterals)
            this.pending.response.literals.push(Buffer.from(data.subarray(position, position + take)));
        }
        this.literalRemaining -= take;
        position += take;
        continue;
      }
      const end = data.indexOf('\r\n', position);
      if (end < 0) {
        this.leftover = Buffer.from(data.subarray(position));
        return;
      }
      const text = data.toString('latin1', position, end);
      position = end + 2;
      this.line += text;
      const literal = LITERAL_AT_END.exec(text);
      if (literal) {
        this.literalRemaining = Number(literal[1]);
        continue;
      }
      const line = this.line;
      this.line = '';
      this.handleLine(line);
    }
  }

  private handleLine(line: string): void {
    if (this.greeted) {
      const greeted = this.greeted;
      this.greeted = undefined;
      greeted(line);
      return;
    }
    if (line.startsWith('+')) {
      const next = this.continuation;
      this.continuation = undefined;
      next?.();
      return;
    }
    if (line.startsWith('* ')) {
      this.pending?.response.untagged.push(line);
      this.onUntagged?.(line);
      return;
    }
    const space = line.indexOf(' ');
    const tag = line.slice(0, space);
    const pending = this.pending;
    if (!pending || pending.tag !== tag) return;
    const rest = line.slice(space + 1);
    const status = rest.slice(0, 3).toUpperCase().replace(/ $/, '');
    pending.response.status = status === 'OK' || status === 'NO' ? status : 'BAD';
    pending.response.text = rest.slice(pending.response.status.length + 1);
    this.pending = undefined;
    this.continuation = undefined;
    pending.resolve(pending.response);
  }

  private readCapabilities(text: string): void {
    const match = /\[CAPABILITY ([^\]]+)\]/i.exec(text);
    if (!match?.[1]) return;
    this.capabilities = new Set(match[1].toUpperCase().split(/\s+/));
  }
}

/** An IMAP quoted string (benchmark inputs are plain ASCII). */
export function quote(text: string): string {
  return `"${text.replace(/(["\\])/g, '\\$1')}"`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** IMAP date-time ("02-Jun-2025 10:00:00 +0000") in UTC. */
export function imapDate(date: Date): string {
  const day = String(date.getUTCDate()).padStart(2, ' ');
  const time = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return `${day}-${MONTHS[date.getUTCMonth()]}-${date.getUTCFullYear()} ${time} +0000`;
}

/** IMAP date ("2-Jun-2025") for SINCE/BEFORE. */
export function imapSearchDate(date: Date): string {
  return `${date.getUTCDate()}-${MONTHS[date.getUTCMonth()]}-${date.getUTCFullYear()}`;
}

/** The number in `* <n> EXISTS`, or undefined. */
export function existsCount(lines: readonly string[]): number | undefined {
  let count: number | undefined;
  for (const line of lines) {
    const match = /^\* (\d+) EXISTS/i.exec(line);
    if (match) count = Number(match[1]);
  }
  return count;
}

/** The numbers of `* SEARCH ...` or `* SORT ...` (an ESEARCH ALL is not parsed: plain answers only). */
export function searchResults(lines: readonly string[]): number[] {
  const found: number[] = [];
  for (const line of lines) {
    // SORT answers its numbers the same way (RFC 5256), in its own order
    const answer = /^\* (?:SEARCH|SORT)/i.exec(line);
    if (!answer) continue;
    for (const word of line.slice(answer[0].length).trim().split(' ')) if (word) found.push(Number(word));
  }
  return found;
}
