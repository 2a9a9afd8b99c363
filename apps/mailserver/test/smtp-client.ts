import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** One SMTP reply: the code and every line's text joined (`250-A` / `250 B` → `A\nB`). */
export interface Reply {
  code: number;
  /** The whole reply as sent, e.g. `550 5.1.1 <x@y>: no such user here`. */
  line: string;
  lines: string[];
}

/** A raw SMTP client: exact replies, STARTTLS, AUTH PLAIN, DATA with dot-stuffing. */
export class SmtpClient {
  private buffered = '';
  private waiters: (() => void)[] = [];
  private closed = false;

  private constructor(private socket: Socket) {
    this.listen(socket);
  }

  static async open(port: number): Promise<{ client: SmtpClient; greeting: Reply }> {
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new SmtpClient(socket);
    return { client, greeting: await client.reply() };
  }

  private listen(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString('latin1');
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('error', () => {});
  }

  /** Reads one (possibly multi-line) reply. */
  async reply(timeoutMs = 15_000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = /^(?:\d{3}-[^\r\n]*\r\n)*\d{3}(?: [^\r\n]*)?\r\n/.exec(this.buffered);
      if (match) {
        this.buffered = this.buffered.slice(match[0].length);
        const raw = match[0].split('\r\n').filter(Boolean);
        return {
          code: Number(raw[raw.length - 1]!.slice(0, 3)),
          line: raw[raw.length - 1]!,
          lines: raw.map((line) => line.slice(4)),
        };
      }
      if (this.closed) throw new Error(`connection closed; buffered: ${JSON.stringify(this.buffered)}`);
      if (Date.now() > deadline)
        throw new Error(`no SMTP reply within ${timeoutMs} ms; buffered: ${JSON.stringify(this.buffered)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  async command(line: string): Promise<Reply> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** STARTTLS, then the TLS handshake on the same socket (the certificate is self-signed). */
  async startTls(): Promise<Reply> {
    const reply = await this.command('STARTTLS');
    if (reply.code !== 220) return reply;
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    const secure = tlsConnect({ socket: this.socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
    return reply;
  }

  authPlain(user: string, password: string): Promise<Reply> {
    return this.command(`AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`);
  }

  /** DATA, the message (dot-stuffed) and the final dot; returns the reply to the message. */
  async data(message: Buffer, timeoutMs = 30_000): Promise<Reply> {
    const start = await this.command('DATA');
    if (start.code !== 354) return start;
    const stuffed = Buffer.from(message.toString('latin1').replace(/(^|\r\n)\./g, '$1..'), 'latin1');
    this.socket.write(stuffed);
    this.socket.write(stuffed.subarray(-2).toString() === '\r\n' ? '.\r\n' : '\r\n.\r\n');
    return this.reply(timeoutMs);
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.socket.write('QUIT\r\n');
      await this.reply(2_000).catch(() => {});
    }
    this.socket.destroy();
  }
}
