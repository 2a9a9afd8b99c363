// LMTP and submission behind a load balancer that sends the PROXY protocol (a fake proxy: a raw
// socket that writes a v2 or v1 header, then speaks SMTP): the Received: header and the per-address
// sign-in limit use the client's address; a listed proxy without a header is closed unanswered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { SMTPServer } from 'smtp-server';
import { loadConfig } from '@wildduck/config';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { createDeliveryServer } from '../src/delivery/delivery-server.js';
import { createSubmissionServer } from '../src/delivery/submission-server.js';
import { acceptProxiedConnections, proxyProtocolFor } from '../src/proxy-protocol.js';
import { LOGIN_LIMITS } from '../src/runtime.js';
import { startImap, type ImapHarness } from './harness.js';
import { listenOnFreePort, SERVER_NAME } from './mail-harness.js';
import { readMailbox } from './raw-client.js';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const config = loadConfig({
  cwd: mkdtempSync(join(tmpdir(), 'wd-proxy-')),
  env: { PROXY_PROTOCOL_FROM: '127.0.0.1' },
});
/** Failed sign-ins allowed per client address in this test (the product's limit is 100). */
const ADDRESS_ATTEMPTS = 2;

let imap: ImapHarness;
let servers: SMTPServer[];
let lmtpPort: number;
let submissionPort: number;
before(async () => {
  imap = await startImap('proxyproto');
  const proxyProtocol = proxyProtocolFor(config, logger);
  const deps = { ctx: imap.ctx, bus: imap.bus, serverName: SERVER_NAME, logger };
  servers = [
    createDeliveryServer({ ...deps, mode: 'lmtp' }),
    createSubmissionServer({
      ...deps,
      tls: imap.tls,
      allowInsecureAuth: true,
      userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
      addressLimiter: new MemoryRateLimiter({ attempts: ADDRESS_ATTEMPTS, windowSeconds: 300 }),
    }),
  ].map((server) => acceptProxiedConnections(server, proxyProtocol));
  [lmtpPort, submissionPort] = (await Promise.all(servers.map(listenOnFreePort))) as [number, number];
});
after(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  await imap.close();
});

/** A v2 PROXY header for a TCP4 client. */
function v2Header(client: string): Buffer {
  const payload = Buffer.alloc(12);
  client.split('.').forEach((octet, index) => (payload[index] = Number(octet)));
  payload.set([127, 0, 0, 1], 4);
  payload.writeUInt16BE(41000, 8);
  payload.writeUInt16BE(24, 10);
  const signature = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
  return Buffer.concat([signature, Buffer.from([0x21, 0x11, 0x00, 0x0c]), payload]);
}

/** The fake proxy: connects, writes `header`, then reads SMTP replies line by line. */
class ProxiedDialog {
  private buffer = '';
  private closed = false;
  private wake: (() => void) | undefined;

  private constructor(private socket: Socket) {
    this.listen(socket);
  }

  private listen(socket: Socket): void {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number, header: Buffer | string | null): Promise<ProxiedDialog> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    if (header !== null) socket.write(header);
    return new ProxiedDialog(socket);
  }

  /** The next whole reply, or null once the server has closed the connection without one. */
  async reply(): Promise<string | null> {
    for (;;) {
      const match = /^(?:\d{3}-[^\r\n]*\r\n)*\d{3}(?: [^\r\n]*)?\r\n/.exec(this.buffer);
      if (match) {
        this.buffer = this.buffer.slice(match[0].length);
        return match[0];
      }
      if (this.closed) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async send(line: string): Promise<string | null> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** STARTTLS, then the rest of the dialog is encrypted. */
  async startTls(): Promise<void> {
    assert.match((await this.send('STARTTLS')) ?? '', /^220/);
    const secure = tlsConnect({ socket: this.socket, rejectUnauthorized: false });
    await once(secure, 'secureConnect');
    this.listen(secure);
    this.socket = secure;
  }

  close(): void {
    this.socket.end();
  }
}

test('LMTP through the proxy: the Received: header names the client, not the proxy', async () => {
  const address = `proxied-${randomBytes(3).toString('hex')}@example.com`;
  await imap.createUser(address);
  const dialog = await ProxiedDialog.open(lmtpPort, v2Header('203.0.113.9'));
  assert.match((await dialog.reply()) ?? '', /^220 /);
  assert.match((await dialog.send('LHLO proxy.test')) ?? '', /^250/);
  assert.match((await dialog.send('MAIL FROM:<sender@example.org>')) ?? '', /^250/);
  assert.match((await dialog.send(`RCPT TO:<${address}>`)) ?? '', /^250/);
  assert.match((await dialog.send('DATA')) ?? '', /^354/);
  assert.match((await dialog.send('Subject: through a proxy\r\n\r\nHello\r\n.')) ?? '', /^250/);
  dialog.close();
  const [message] = await readMailbox(imap.port, address);
  assert.match(message!.raw.toString('latin1'), /^Received: from proxy\.test \([^)]*\[203\.0\.113\.9\]\)/m);
});

test('submission through the proxy: the per-address sign-in limit counts each client by itself, also after STARTTLS', async () => {
  const address = `sender-${randomBytes(3).toString('hex')}@example.com`;
  await imap.createUser(address);
  const plain = (password: string) => Buffer.from(`\0${address}\0${password}`).toString('base64');
  const signIn = async (client: string, password: string, startTls = false) => {
    const dialog = await ProxiedDialog.open(submissionPort, v2Header(client));
    await dialog.reply();
    await dialog.send('EHLO client.test');
    if (startTls) {
      await dialog.startTls();
      await dialog.send('EHLO client.test');
    }
    const reply = await dialog.send(`AUTH PLAIN ${plain(password)}`);
    dialog.close();
    return reply?.slice(0, 3);
  };
  for (let attempt = 0; attempt < ADDRESS_ATTEMPTS; attempt++)
    assert.equal(await signIn('198.51.100.1', 'wrong'), '535');
  // that client's address is used up, even with the right password...
  assert.equal(await signIn('198.51.100.1', 'secretpass'), '454');
  // ...while another client behind the same proxy signs in
  assert.equal(await signIn('198.51.100.2', 'secretpass'), '235');
  // the client's address outlives STARTTLS
  assert.equal(await signIn('198.51.100.1', 'secretpass', true), '454');
  assert.equal(await signIn('198.51.100.2', 'secretpass', true), '235');
});

test('a v1 header is read as well', async () => {
  const dialog = await ProxiedDialog.open(lmtpPort, 'PROXY TCP4 192.0.2.44 127.0.0.1 5000 24\r\n');
  assert.match((await dialog.reply()) ?? '', /^220 /);
  assert.match((await dialog.send('LHLO proxy.test')) ?? '', /^250/);
  dialog.close();
});

test('the listed proxy without a header, or with a broken one, gets no greeting and is closed', async () => {
  for (const first of [
    'LHLO proxy.test\r\n',
    'PROXY TCP4 192.0.2.44 127.0.0.1 5000\r\n',
    v2Header('1.2.3').subarray(0, 14),
  ]) {
    const dialog = await ProxiedDialog.open(lmtpPort, first);
    if (typeof first !== 'string') dialog.close(); // a truncated header ends with the connection
    assert.equal(await dialog.reply(), null, JSON.stringify(first.toString()));
  }
});

test('with PROXY_PROTOCOL_FROM empty it is off; a peer not listed is greeted at once, and closed if it sends a header', async () => {
  assert.equal(
    proxyProtocolFor(loadConfig({ cwd: mkdtempSync(join(tmpdir(), 'wd-proxy-')), env: {} }), logger),
    undefined,
  );
  const unlisted = proxyProtocolFor(
    loadConfig({ cwd: mkdtempSync(join(tmpdir(), 'wd-proxy-')), env: { PROXY_PROTOCOL_FROM: '10.0.0.0/8' } }),
    logger,
  );
  const server = acceptProxiedConnections(
    createDeliveryServer({ ctx: imap.ctx, bus: imap.bus, serverName: SERVER_NAME, logger, mode: 'lmtp' }),
    unlisted,
  );
  const port = await listenOnFreePort(server);
  try {
    // a peer that is not a listed proxy is served as before...
    const dialog = await ProxiedDialog.open(port, null);
    assert.match((await dialog.reply()) ?? '', /^220 /);
    assert.match((await dialog.send('LHLO client.test')) ?? '', /^250/);
    dialog.close();
    // ...but a header from it is never an address, nor a command: the connection is closed
    const posing = await ProxiedDialog.open(port, 'PROXY TCP4 203.0.113.9 127.0.0.1 5000 24\r\n');
    // (the header may arrive before or after smtp-server has written its greeting)
    const first = await posing.reply();
    if (first !== null) {
      assert.match(first, /^220 /);
      assert.equal(await posing.reply(), null);
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
