// Connection limits of LMTP, the SMTP maildrop and submission: over the total, or over the limit
// for one client address (the address the PROXY protocol names), a connection is answered 421
// instead of the greeting and closed; closed connections make room again, each counted once.
// Then the wiring: the settings reach every listener startDeliveryServers starts, and IMAP's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { SMTPServer } from 'smtp-server';
import { loadConfig } from '@wildduck/config';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { createDeliveryServer } from '../src/delivery/delivery-server.js';
import { limitConnections } from '../src/delivery/connection-limits.js';
import { startDeliveryServers } from '../src/delivery/start.js';
import { acceptProxiedConnections, proxyProtocolFor } from '../src/proxy-protocol.js';
import { imapLimits, LOGIN_LIMITS } from '../src/runtime.js';
import { startImap, type ImapHarness } from './harness.js';
import { listenOnFreePort, SERVER_NAME } from './mail-harness.js';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A v2 PROXY header for a TCP4 client. */
function v2Header(client: string): Buffer {
  const payload = Buffer.alloc(12);
  client.split('.').forEach((octet, index) => (payload[index] = Number(octet)));
  payload.set([127, 0, 0, 1], 4);
  payload.writeUInt16BE(41000, 8);
  payload.writeUInt16BE(25, 10);
  const signature = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
  return Buffer.concat([signature, Buffer.from([0x21, 0x11, 0x00, 0x0c]), payload]);
}

/** One SMTP/LMTP connection: its first reply, and whether the server closed it. */
class Connection {
  text = '';
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (this.text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => (this.closed = true));
  }

  /** Connects (through a fake proxy as `proxiedAs`, if given) and waits for the first reply. */
  static async open(port: number, proxiedAs?: string): Promise<Connection> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    if (proxiedAs) socket.write(v2Header(proxiedAs));
    const connection = new Connection(socket);
    await connection.until(() => /\r\n/.test(connection.text), 'a reply');
    return connection;
  }

  get reply(): string {
    return this.text.split('\r\n')[0] ?? '';
  }

  async closedByServer(): Promise<void> {
    await this.until(() => this.closed, 'the server to close the connection');
  }

  close(): void {
    this.socket.destroy();
  }

  private async until(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!done()) {
      if (Date.now() > deadline) assert.fail(`waited in vain for ${what}; got ${JSON.stringify(this.text)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** Waits until smtp-server has let go of closed connections (its onClose runs a tick later). */
async function settle(server: SMTPServer, open: number): Promise<void> {
  for (let attempt = 0; attempt < 300 && server.connections.size !== open; attempt++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(server.connections.size, open);
  await new Promise((resolve) => setImmediate(resolve));
}

let imap: ImapHarness;
let servers: SMTPServer[];
let lmtp: SMTPServer;
let smtp: SMTPServer;
let lmtpPort: number;
let smtpPort: number;
const clients: Connection[] = [];
const open = async (port: number, proxiedAs?: string) => {
  const connection = await Connection.open(port, proxiedAs);
  clients.push(connection);
  return connection;
};

before(async () => {
  imap = await startImap('connlimits');
  const deps = { ctx: imap.ctx, bus: imap.bus, serverName: SERVER_NAME, logger };
  // LMTP: a total only, as startDeliveryServers sets it up
  lmtp = limitConnections(
    createDeliveryServer({ ...deps, mode: 'lmtp' }),
    {
      maxConnections: 2,
      maxConnectionsPerAddress: 0,
    },
    logger,
  );
  // the SMTP maildrop behind a proxy: its per-address limit counts the client the header names
  smtp = acceptProxiedConnections(
    limitConnections(
      createDeliveryServer({ ...deps, mode: 'smtp', tls: imap.tls }),
      {
        maxConnections: 4,
        maxConnectionsPerAddress: 2,
      },
      logger,
    ),
    proxyProtocolFor(
      loadConfig({
        cwd: mkdtempSync(join(tmpdir(), 'wd-limits-')),
        env: { PROXY_PROTOCOL_FROM: '127.0.0.1' },
      }),
      logger,
    ),
  );
  servers = [lmtp, smtp];
  [lmtpPort, smtpPort] = (await Promise.all(servers.map(listenOnFreePort))) as [number, number];
});
after(async () => {
  for (const client of clients) client.close();
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  await imap.close();
});

test('LMTP: one connection over the total gets 421 and is closed; a closed one makes room', async () => {
  for (let round = 0; round < 2; round++) {
    const first = await open(lmtpPort);
    const second = await open(lmtpPort);
    assert.match(first.reply, /^220 /);
    assert.match(second.reply, /^220 /);
    const third = await open(lmtpPort);
    assert.match(third.reply, /^421 .*Too many connected clients/);
    await third.closedByServer();
    first.close();
    await settle(lmtp, 1);
    const fourth = await open(lmtpPort);
    assert.match(fourth.reply, /^220 /);
    second.close();
    fourth.close();
    await settle(lmtp, 0);
  }
});

test('SMTP: the per-address limit counts the address after the PROXY protocol; closes are counted once', async () => {
  const first = await open(smtpPort, '198.51.100.7');
  assert.match(first.reply, /^220 /);
  assert.match((await open(smtpPort, '198.51.100.7')).reply, /^220 /);
  const refused = await open(smtpPort, '198.51.100.7');
  assert.equal(refused.reply, '421 Too many connections from your address, try again later');
  await refused.closedByServer();
  // another client behind the same proxy is let in and served
  const other = await open(smtpPort, '198.51.100.8');
  assert.match(other.reply, /^220 /);
  other.socket.write('EHLO client.example\r\n');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.match(other.text, /\r\n250 /);
  // the refused connection's close freed nothing: the address is still full
  const again = await open(smtpPort, '198.51.100.7');
  assert.match(again.reply, /^421 Too many connections from your address/);
  await again.closedByServer();
  first.close();
  await settle(smtp, 2);
  assert.match((await open(smtpPort, '198.51.100.7')).reply, /^220 /);
  // the total: 4 open now (198.51.100.7 twice, .8, and one more) and a fifth from anywhere is refused
  assert.match((await open(smtpPort, '198.51.100.9')).reply, /^220 /);
  const fifth = await open(smtpPort, '198.51.100.10');
  assert.match(fifth.reply, /^421 .*Too many connected clients/);
  await fifth.closedByServer();
});

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('the settings reach LMTP, SMTP and submission as startDeliveryServers starts them, and IMAP', async () => {
  const [lmtpAt, smtpAt, submissionAt] = [await freePort(), await freePort(), await freePort()];
  const config = loadConfig({
    cwd: mkdtempSync(join(tmpdir(), 'wd-limits-')),
    env: {
      LMTP_PORT: String(lmtpAt),
      SMTP_PORT: String(smtpAt),
      SUBMISSION_PORT: String(submissionAt),
      LMTP_MAX_CONNECTIONS: '1',
      SMTP_MAX_CONNECTIONS_PER_ADDRESS: '1',
      SUBMISSION_MAX_CONNECTIONS: '1',
      SHUTDOWN_GRACE_MS: '100',
      IMAP_MAX_CONNECTIONS: '7',
      IMAP_MAX_CONNECTIONS_PER_ADDRESS: '3',
      IMAP_PREAUTH_TIMEOUT_MS: '5000',
      IMAP_OUTPUT_STALL_TIMEOUT_MS: '9000',
    },
  });
  const runtime = {
    ctx: imap.ctx,
    bus: imap.bus,
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
  };
  const closers = await startDeliveryServers(config, runtime, imap.tls, logger);
  try {
    for (const [port, refusal] of [
      [lmtpAt, /^421 .*Too many connected clients/],
      [smtpAt, /^421 Too many connections from your address/],
      [submissionAt, /^421 .*Too many connected clients/],
    ] as const) {
      const first = await open(port);
      assert.match(first.reply, /^220 /);
      const second = await open(port);
      assert.match(second.reply, refusal, `port ${port}`);
      first.close();
      second.close();
    }
  } finally {
    await Promise.all(closers.map((close) => close()));
  }
  assert.deepEqual(imapLimits(config), {
    maxConnections: 7,
    maxConnectionsPerAddress: 3,
    preAuthTimeoutMs: 5000,
    outputStallTimeoutMs: 9000,
  });
});
