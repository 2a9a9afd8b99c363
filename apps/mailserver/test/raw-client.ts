import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/**
 * A minimal IMAP client for tests that need the exact bytes of a response: sends a tagged command
 * and returns everything up to and including its tagged completion, literals included.
 */
export class RawImapClient {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private waiters: (() => void)[] = [];
  private counter = 0;
  greeting = '';

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      // chunks are joined only when looked at, so a 25 MB literal is not copied once per chunk
      this.pending.push(chunk);
      this.pendingLength += chunk.length;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Connects (plain or implicit TLS) and reads the greeting. */
  static async open(port: number, secure = false): Promise<RawImapClient> {
    const socket = secure
      ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false })
      : connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new RawImapClient(socket);
    client.greeting = (
      await client.readUntil((text) => text.indexOf('\r\n') + (text.includes('\r\n') ? 1 : 0))
    ).toString();
    return client;
  }

  /** Sends `command` with a fresh tag and returns the whole response text (latin1) up to the tagged line. */
  async command(command: string | Buffer): Promise<string> {
    const tag = `T${++this.counter}`;
    this.socket.write(
      Buffer.concat([
        Buffer.from(`${tag} `),
        Buffer.isBuffer(command) ? command : Buffer.from(command),
        Buffer.from('\r\n'),
      ]),
    );
    const response = await this.readUntil((text) => {
      const match = new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n`).exec(text);
      return match ? match.index + match[0].length - 1 : -1;
    });
    return response.toString('latin1');
  }

  /** Sends raw bytes (e.g. literal data after a continuation). */
  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  /** Waits for a line matching `pattern` (e.g. a continuation `+ ` or an untagged response). */
  async waitFor(pattern: RegExp): Promise<string> {
    return (
      await this.readUntil((text) => {
        const match = pattern.exec(text);
        if (!match) return -1;
        const end = text.indexOf('\r\n', match.index);
        return end < 0 ? -1 : end + 1;
      })
    ).toString('latin1');
  }

  /**
   * Sends a FETCH of one body section and returns the literal's bytes: waits for the `{n}` header,
   * then for n bytes by count alone (no scanning), then for the tagged completion.
   */
  async fetchLiteral(command: string): Promise<Buffer> {
    const tag = `T${++this.counter}`;
    this.socket.write(`${tag} ${command}\r\n`);
    const header = (
      await this.readUntil((text) => {
        const match = /\{(\d+)\}\r\n/.exec(text);
        return match ? match.index + match[0].length - 1 : -1;
      })
    ).toString('latin1');
    const size = Number(/\{(\d+)\}\r\n$/.exec(header)?.[1]);
    const deadline = Date.now() + 120_000;
    while (this.pendingLength < size) {
      if (Date.now() > deadline)
        throw new Error(`timed out after ${this.pendingLength} of ${size} literal bytes`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    const all = this.buffer;
    const literal = all.subarray(0, size);
    this.buffer = all.subarray(size);
    await this.readUntil((text) => {
      const match = new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n`).exec(text);
      return match ? match.index + match[0].length - 1 : -1;
    });
    return Buffer.from(literal);
  }

  /** Everything received and not yet consumed, as one buffer. */
  private get buffer(): Buffer {
    if (this.pending.length !== 1) this.pending = [Buffer.concat(this.pending, this.pendingLength)];
    return this.pending[0]!;
  }

  private set buffer(rest: Buffer) {
    this.pending = [rest];
    this.pendingLength = rest.length;
  }

  close(): void {
    this.socket.destroy();
  }

  private async readUntil(find: (text: string) => number): Promise<Buffer> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const end = find(this.buffer.toString('latin1'));
      if (end >= 0) {
        const taken = this.buffer.subarray(0, end + 1);
        this.buffer = this.buffer.subarray(end + 1);
        return taken;
      }
      if (Date.now() > deadline)
        throw new Error(`timed out waiting; buffered: ${this.buffer.toString('latin1').slice(-500)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}

/** Every message of a mailbox of a user (password secretpass) over IMAP: its exact bytes and its flags. */
export async function readMailbox(
  port: number,
  address: string,
  mailbox = 'INBOX',
): Promise<{ raw: Buffer; flags: string }[]> {
  const imap = await RawImapClient.open(port);
  try {
    const login = await imap.command(`LOGIN ${address} secretpass`);
    if (!/^T\d+ OK/m.test(login)) throw new Error(`LOGIN failed: ${login}`);
    const selected = await imap.command(`SELECT "${mailbox}"`);
    if (!/^T\d+ OK/m.test(selected)) throw new Error(`SELECT failed: ${selected}`);
    const exists = Number(/^\* (\d+) EXISTS/m.exec(selected)?.[1] ?? 0);
    const messages: { raw: Buffer; flags: string }[] = [];
    for (let seq = 1; seq <= exists; seq++) {
      const raw = await imap.fetchLiteral(`FETCH ${seq} BODY.PEEK[]`);
      const flags = /FLAGS \(([^)]*)\)/.exec(await imap.command(`FETCH ${seq} FLAGS`))?.[1] ?? '';
      messages.push({ raw, flags });
    }
    return messages;
  } finally {
    imap.close();
  }
}
