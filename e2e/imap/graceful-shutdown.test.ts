/**
 * SIGTERM to a real mail server PROCESS: /healthz and /readyz turn 503 at once; an idle IMAP
 * client gets `* BYE` and an idle SMTP client `421` promptly; a message in DATA may finish (250,
 * and it is in the store) or, once SHUTDOWN_GRACE_MS is over, is cut off (4xx or a dropped
 * connection, and nothing of it is stored), never lost; then the process exits 0.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { ObjectId } from 'mongodb';
import { storageUsage } from '@wildduck/store';
import { startMailServer, type MailServerProcess } from './server-process.js';

const servers: MailServerProcess[] = [];
after(async () => {
  for (const server of servers) await server.stop();
});

/** A line-level client of a text protocol (SMTP, LMTP, IMAP) that notices when the server hangs up. */
class LineClient {
  private buffer = '';
  private wake: (() => void) | null = null;
  closed = false;
  readonly closedAt: Promise<number>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.wake?.();
    });
    socket.on('error', () => {});
    this.closedAt = new Promise((resolve) =>
      socket.once('close', () => {
        this.closed = true;
        this.wake?.();
        resolve(Date.now());
      }),
    );
  }

  static async open(port: number): Promise<LineClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new LineClient(socket);
  }

  /** The next line, or null when the server closed the connection first. */
  async line(timeoutMs = 30_000): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end >= 0) {
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        return line;
      }
      if (this.closed) return null;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no line within ${timeoutMs} ms; buffered ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** The last line of the next (multi-line) SMTP reply, or null when the connection closed. */
  async reply(timeoutMs?: number): Promise<string | null> {
    for (;;) {
      const line = await this.line(timeoutMs);
      if (line === null || /^\d{3}(?: |$)/.test(line)) return line;
    }
  }

  async send(line: string): Promise<string | null> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** Writes, waiting for the socket to drain; false when the server hung up. */
  async write(data: Buffer | string): Promise<boolean> {
    if (this.closed || this.socket.destroyed) return false;
    if (this.socket.write(data)) return true;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
    return !this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** 1 MiB of message body: 64-byte lines, none starting with a dot. */
const MEBIBYTE = Buffer.from(`${'0123456789abcdef'.repeat(3)}0123456789abcd\r\n`.repeat(16_384));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function httpStatus(server: MailServerProcess, path: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${server.healthPort}${path}`);
  await response.arrayBuffer();
  return response.status;
}

/** LHLO, one recipient, DATA and the headers; the client is then in the middle of DATA. */
async function startLmtpMessage(server: MailServerProcess, address: string, subject: string) {
  const lmtp = await LineClient.open(server.lmtpPort);
  assert.match((await lmtp.reply())!, /^220 /);
  assert.match((await lmtp.send('LHLO client.example'))!, /^250 /);
  assert.match((await lmtp.send('MAIL FROM:<sender@example.org>'))!, /^250 /);
  assert.match((await lmtp.send(`RCPT TO:<${address}>`))!, /^250 /);
  assert.match((await lmtp.send('DATA'))!, /^354 /);
  await lmtp.write(`From: sender@example.org\r\nTo: ${address}\r\nSubject: ${subject}\r\n\r\n`);
  return lmtp;
}

async function storedMessages(server: MailServerProcess, user: string) {
  return server.db
    .collection('messages')
    .find({ user: new ObjectId(user) }, { projection: { size: 1, uid: 1 } })
    .toArray();
}

async function storageUsed(server: MailServerProcess, user: string): Promise<number> {
  return (await storageUsage(server.db, new ObjectId(user)))!.storageUsed;
}

test(
  'SIGTERM: health 503, idle IMAP gets BYE and idle SMTP 421 at once, a 30 MB LMTP message in DATA finishes and is stored, exit 0',
  { timeout: 120_000 },
  async () => {
    const server = await startMailServer('drain', { env: { SHUTDOWN_GRACE_MS: '20000' } });
    servers.push(server);
    const user = await server.createUser('drain@example.com');
    assert.equal(await httpStatus(server, '/healthz'), 200);
    assert.equal(await httpStatus(server, '/readyz'), 200);

    const imap = await LineClient.open(server.imapPort);
    assert.match((await imap.line())!, /^\* OK /);
    const smtp = await LineClient.open(server.smtpPort);
    assert.match((await smtp.reply())!, /^220 /);
    assert.match((await smtp.send('EHLO client.example'))!, /^250 /);

    const lmtp = await startLmtpMessage(server, 'drain@example.com', 'thirty megabytes');
    for (let sent = 0; sent < 10; sent++) {
      assert.ok(await lmtp.write(MEBIBYTE));
      await sleep(20);
    }

    const signalled = Date.now();
    server.kill('SIGTERM');
    const bye = await imap.line(5000);
    assert.equal(bye, '* BYE Server shutting down');
    assert.ok(Date.now() - signalled < 2000, `BYE after ${Date.now() - signalled} ms`);
    const goodbye = await smtp.reply(5000);
    assert.match(goodbye ?? '', /^421 4\.3\.2 Server shutting down/);
    assert.ok(Date.now() - signalled < 2000, `421 after ${Date.now() - signalled} ms`);
    await smtp.closedAt;
    await imap.closedAt;
    assert.equal(await httpStatus(server, '/healthz'), 503, 'draining: not healthy for a balancer');
    assert.equal(await httpStatus(server, '/readyz'), 503);

    // the rest of the message, still slowly, well within the grace period
    for (let sent = 10; sent < 30; sent++) {
      assert.ok(await lmtp.write(MEBIBYTE), 'the server kept the connection while the message arrived');
      await sleep(20);
    }
    assert.ok(await lmtp.write('.\r\n'));
    const answer = await lmtp.reply(30_000);
    const stored = await storedMessages(server, user);
    if (answer?.startsWith('250')) {
      assert.equal(stored.length, 1, 'answered 250, so the message is in the store');
      assert.ok(stored[0]!.size > 30 * MEBIBYTE.length);
    } else {
      assert.match(answer ?? '(no reply)', /^4\d\d /, 'not 250: a temporary failure, so the sender retries');
      assert.equal(stored.length, 0, 'answered 4xx, so nothing is stored');
    }
    // within a generous grace period the message must get through
    assert.match(answer ?? '(no reply)', /^250 2\.0\.0 <drain@example\.com> delivered/);
    lmtp.close();

    const code = await server.exited;
    assert.equal(code, 0, server.output());
    assert.ok(Date.now() - signalled < 20_000, `exited ${Date.now() - signalled} ms after SIGTERM`);
  },
);

test(
  'SIGTERM: a message still arriving when SHUTDOWN_GRACE_MS runs out is refused 4xx (or cut off) and nothing of it is stored',
  { timeout: 120_000 },
  async () => {
    const server = await startMailServer('cutoff', { env: { SHUTDOWN_GRACE_MS: '1500' } });
    servers.push(server);
    const user = await server.createUser('cutoff@example.com');
    const lmtp = await startLmtpMessage(server, 'cutoff@example.com', 'too slow');
    for (let sent = 0; sent < 3; sent++) assert.ok(await lmtp.write(MEBIBYTE));

    const signalled = Date.now();
    server.kill('SIGTERM');
    // a sender slower than the grace period: 1 MiB every 500 ms, for up to 10 s
    for (let sent = 0; sent < 20 && !lmtp.closed; sent++) {
      if (!(await lmtp.write(MEBIBYTE))) break;
      await sleep(500);
    }
    const cutAt = await lmtp.closedAt;
    assert.ok(cutAt - signalled < 1500 + 3000, `connection closed ${cutAt - signalled} ms after SIGTERM`);
    const answer = await lmtp.reply(1000);
    // the client sees a 421 when it reads before the connection goes, or only the hang-up: both mean "try again"
    if (answer !== null) assert.match(answer, /^421 4\.3\.2 /);

    const code = await server.exited;
    assert.equal(code, 0, server.output());
    assert.ok(
      Date.now() - signalled < 1500 + 5000 + 3000,
      `exited ${Date.now() - signalled} ms after SIGTERM`,
    );
    assert.deepEqual(await storedMessages(server, user), [], 'nothing of the cut-off message is stored');
    assert.equal(await storageUsed(server, user), 0, 'and no storage is counted for it');
  },
);
