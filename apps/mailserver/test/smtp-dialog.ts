import { connect, type Socket } from 'node:net';

/**
 * A line-level SMTP/LMTP client for tests that check exact replies: sends a command and reads
 * whole (multi-line) replies, so a test sees the codes the server wrote, not a library's reading.
 */
export class SmtpDialog {
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Connects and reads the greeting. */
  static async open(port: number): Promise<{ dialog: SmtpDialog; greeting: string }> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const dialog = new SmtpDialog(socket);
    return { dialog, greeting: await dialog.reply() };
  }

  /** Sends one line and reads one reply. */
  async send(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** Writes bytes as they are (a message body) without reading. */
  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Reads the next complete reply (its last line has a space after the code). */
  async reply(timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.exec(this.buffer);
      if (match) {
        this.buffer = this.buffer.slice(match[0].length);
        return match[0].trimEnd();
      }
      if (Date.now() > deadline) throw new Error(`no reply; buffered: ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}
