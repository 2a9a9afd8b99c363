// The limits that keep one client from holding the server: connections in total and per client
// address (after the PROXY protocol), the autologout before login and during IDLE (RFC 2177), the
// line and literal limits, and slow-reader protection (a client that reads none of its output is
// dropped and the command writing to it stops).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { trustedPeers } from '@wildduck/imap-core';
import type { FetchQuery, FetchedMessage, ImapUser } from '../src/backend.js';
import { ResponseWriter } from '../src/writer/index.js';
import { ALICE, startTestServer, type TestServer } from './support/test-server.js';

const SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

/** A v2 PROXY header for a TCP4 client. */
function v2Header(client: string): Buffer {
  const payload = Buffer.alloc(12);
  client.split('.').forEach((octet, index) => (payload[index] = Number(octet)));
  payload.set([127, 0, 0, 1], 4);
  payload.writeUInt16BE(40000, 8);
  payload.writeUInt16BE(143, 10);
  return Buffer.concat([SIGNATURE, Buffer.from([0x21, 0x11, 0x00, 0x0c]), payload]);
}

/** A raw connection that keeps what the server sent and knows when the server closed it. */
class RawClient {
  text = '';
  closed = false;

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => (this.text = (this.text + chunk.toString('latin1')).slice(-8192)));
    socket.on('error', () => undefined);
    socket.on('close', () => (this.closed = true));
  }

  /** Connects (as `proxiedAs` through a fake proxy, if given) and waits for the first line. */
  static async open(port: number, proxiedAs?: string): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    if (proxiedAs) socket.write(v2Header(proxiedAs));
    const client = new RawClient(socket);
    await client.waitFor(/\r\n/);
    return client;
  }

  get greeting(): string {
    return this.text.split('\r\n')[0] ?? '';
  }

  async waitFor(pattern: RegExp, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.text)) {
      if (Date.now() > deadline)
        assert.fail(`no ${pattern} within ${timeoutMs} ms; got ${JSON.stringify(this.text)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async closedByServer(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline)
        assert.fail(`the server did not close the connection within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Waits until the server counts `count` open connections (a client's close reaches it a little later). */
async function connectionsSettleAt(server: TestServer, count: number, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (server.server.connectionCount !== count && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(server.server.connectionCount, count);
}

test('maxConnections: one connection more gets * BYE instead of a greeting; closed ones make room, counted once', async () => {
  const server = await startTestServer({ maxConnections: 2 });
  const clients: RawClient[] = [];
  try {
    for (let round = 0; round < 3; round++) {
      const first = await RawClient.open(server.port);
      const second = await RawClient.open(server.port);
      clients.push(first, second);
      assert.match(first.greeting, /^\* OK /);
      assert.match(second.greeting, /^\* OK /);
      const third = await RawClient.open(server.port);
      clients.push(third);
      assert.equal(third.greeting, '* BYE Too many connections to this server; try again later');
      await third.closedByServer();
      assert.equal(server.server.connectionCount, 2, 'the refused connection is not a session');
      // one leaves: one more gets in
      first.close();
      await connectionsSettleAt(server, 1);
      const fourth = await RawClient.open(server.port);
      clients.push(fourth);
      assert.match(fourth.greeting, /^\* OK /);
      // the next round starts from none: had a close been counted twice, a third would get in there
      second.close();
      fourth.close();
      await connectionsSettleAt(server, 0);
    }
  } finally {
    for (const client of clients) client.close();
    await server.close();
  }
});

test('maxConnectionsPerAddress counts the client address the PROXY protocol names', async () => {
  const server = await startTestServer({
    maxConnectionsPerAddress: 2,
    proxyProtocol: { trusted: trustedPeers(['127.0.0.1']) },
  });
  const clients: RawClient[] = [];
  const open = async (address: string) => {
    const client = await RawClient.open(server.port, address);
    clients.push(client);
    return client;
  };
  try {
    const first = await open('192.0.2.1');
    assert.match(first.greeting, /^\* OK /);
    assert.match((await open('192.0.2.1')).greeting, /^\* OK /);
    const refused = await open('192.0.2.1');
    assert.equal(refused.greeting, '* BYE Too many connections from your address; try again later');
    await refused.closedByServer();
    // another client behind the same proxy is not affected
    const other = await open('192.0.2.2');
    assert.match(other.greeting, /^\* OK /);
    await other.socket.write(`a LOGIN "${ALICE.username}" "${ALICE.password}"\r\n`);
    await other.waitFor(/\r\na OK /);
    // the refused connection's close freed nothing: the address is still full
    assert.match((await open('192.0.2.1')).greeting, /^\* BYE Too many connections from your address/);
    first.close();
    await connectionsSettleAt(server, 2);
    assert.match((await open('192.0.2.1')).greeting, /^\* OK /);
  } finally {
    for (const client of clients) client.close();
    await server.close();
  }
});

test('a connection that does not log in is closed after preAuthTimeoutMs; a logged-in one is not', async () => {
  const server = await startTestServer({ preAuthTimeoutMs: 1000 });
  try {
    const loggedIn = await server.login();
    const silent = await server.connect();
    assert.match(await silent.readLine(5000), /^\* BYE Autologout; no login within 1 second$/);
    await silent.closedByServer();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await loggedIn.expect('n1', 'NOOP', [/^n1 OK/]);
  } finally {
    await server.close();
  }
});

test('the pre-login timeout counts from the last input: a client typing is not cut off', async () => {
  const server = await startTestServer({ preAuthTimeoutMs: 1000 });
  try {
    const client = await server.connect();
    for (let index = 0; index < 5; index++) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await client.expect(`c${index}`, 'CAPABILITY', [/^\* CAPABILITY /, new RegExp(`^c${index} OK`)]);
    }
    await client.expect('l1', `LOGIN "${ALICE.username}" "${ALICE.password}"`, [/^l1 OK/]);
  } finally {
    await server.close();
  }
});

test('IDLE does not keep a session alive: without DONE and a new IDLE within idleTimeoutMs it gets BYE (RFC 2177)', async () => {
  const server = await startTestServer({ idleTimeoutMs: 1000 });
  try {
    const client = await server.login();
    client.send('s1 SELECT INBOX');
    assert.match((await client.until('s1')).tagged, /^s1 OK/);
    client.send('i1 IDLE');
    assert.match(await client.readLine(), /^\+ /);
    // news pushed to the client is output, not activity: it does not hold the autologout off
    for (let index = 0; index < 4; index++) {
      await server.backend.deliver(ALICE.username, 'INBOX', `Subject: news ${index}\r\n\r\nbody\r\n`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const lines: string[] = [];
    for (;;) {
      const line = await client.readLine(5000);
      lines.push(line);
      if (line.startsWith('* BYE')) break;
    }
    assert.ok(
      lines.some((line) => /^\* \d+ EXISTS$/.test(line)),
      'the news was pushed while idling',
    );
    assert.equal(lines.at(-1), '* BYE Autologout; idle for too long');
    await client.closedByServer();
  } finally {
    await server.close();
  }
});

test('a client that re-issues IDLE within idleTimeoutMs stays connected', async () => {
  const server = await startTestServer({ idleTimeoutMs: 1000 });
  try {
    const client = await server.login();
    client.send('s1 SELECT INBOX');
    assert.match((await client.until('s1')).tagged, /^s1 OK/);
    for (let index = 0; index < 5; index++) {
      client.send(`i${index} IDLE`);
      assert.match(await client.readLine(), /^\+ /);
      await new Promise((resolve) => setTimeout(resolve, 500));
      client.write('DONE\r\n');
      assert.match((await client.until(`i${index}`)).tagged, new RegExp(`^i${index} OK`));
    }
    await client.expect('n1', 'NOOP', [/^n1 OK/]);
  } finally {
    await server.close();
  }
});

test('a very long command line gets a tagged BAD and the session goes on', async () => {
  const server = await startTestServer({ maxLineLength: 1000 });
  try {
    const client = await server.login();
    client.write(`b1 SELECT "`);
    // far beyond the limit, in pieces: the parser skips it without keeping it
    for (let index = 0; index < 64; index++) client.write('x'.repeat(16 * 1024));
    client.write('"\r\n');
    assert.match(await client.readLine(), /^b1 BAD .*too long/);
    client.send('b2 SELECT INBOX');
    assert.match((await client.until('b2')).tagged, /^b2 OK/);
  } finally {
    await server.close();
  }
});

test('a literal over the limit gets NO [TOOBIG] and the session goes on; one whose size cannot be read ends it with BYE', async () => {
  const server = await startTestServer({ maxLiteralSize: 100, appendLimit: 1000 });
  try {
    const client = await server.login();
    client.send('t1 APPEND INBOX {1001}');
    assert.match(await client.readLine(), /^t1 NO \[TOOBIG\] /);
    client.send('t2 SELECT {101}');
    assert.match(await client.readLine(), /^t2 NO \[TOOBIG\] /);
    await client.expect('t3', 'NOOP', [/^t3 OK/]);
    // a non-synchronising literal is on its way already: if its size is unreadable there is no
    // telling where the next command starts
    client.send('t4 APPEND INBOX {99999999999+}');
    assert.match(await client.readLine(), /^\* BYE /);
    await client.closedByServer();
  } finally {
    await server.close();
  }
});

test('slow reader: a client that reads none of its output is dropped and its FETCH stops; others go on', async () => {
  const MESSAGE_COUNT = 24;
  const server = await startTestServer({ outputStallTimeoutMs: 1000 });
  const body = 'x'.repeat(1024 * 1024 - 100) + '\r\n';
  for (let index = 0; index < MESSAGE_COUNT; index++)
    await server.backend.deliver(ALICE.username, 'INBOX', `Subject: big ${index}\r\n\r\n${body}`);
  let yielded = 0;
  const originalFetch = server.backend.fetch.bind(server.backend);
  server.backend.fetch = async function* (
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    query: FetchQuery,
  ) {
    for await (const message of originalFetch(user, mailboxId, uids, query)) {
      yielded += 1;
      yield message as FetchedMessage;
    }
  };
  const slow = await RawClient.open(server.port);
  try {
    slow.socket.write(`a LOGIN "${ALICE.username}" "${ALICE.password}"\r\nb SELECT INBOX\r\n`);
    await slow.waitFor(/\r\nb OK/);
    slow.socket.pause();
    yielded = 0;
    // more than the kernel's buffers on both sides hold, asked for again and again
    for (let round = 0; round < 4; round++) slow.socket.write(`f${round} FETCH 1:* BODY.PEEK[]\r\n`);
    // the server lets go of it; the client, paused, notices once it reads again
    await connectionsSettleAt(server, 0, 15_000);
    slow.socket.resume();
    await slow.closedByServer();
    const pulled = yielded;
    assert.ok(
      pulled < MESSAGE_COUNT * 4,
      `the store was read ${pulled} times for a client that reads nothing`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(yielded, pulled, 'the FETCH stopped pulling messages once the client was dropped');

    // a client that reads is served as before, large bodies included
    const reader = await server.login();
    reader.send('s1 SELECT INBOX');
    assert.match((await reader.until('s1')).tagged, /^s1 OK/);
    reader.send('f1 FETCH 1:3 BODY.PEEK[]');
    assert.match((await reader.until('f1', 10_000)).tagged, /^f1 OK FETCH completed$/);
  } finally {
    slow.close();
    await server.close();
  }
});

test('slow reader under COMPRESS=DEFLATE: a client that reads nothing is dropped too', async () => {
  const server = await startTestServer({ outputStallTimeoutMs: 1000 });
  // random text, so that compression leaves enough to fill the kernel's buffers
  for (let index = 0; index < 24; index++)
    await server.backend.deliver(
      ALICE.username,
      'INBOX',
      `Subject: big ${index}\r\n\r\n${randomBytes(768 * 1024).toString('base64')}\r\n`,
    );
  const slow = await RawClient.open(server.port);
  try {
    slow.socket.write(
      `a LOGIN "${ALICE.username}" "${ALICE.password}"\r\nb SELECT INBOX\r\nc COMPRESS DEFLATE\r\n`,
    );
    await slow.waitFor(/\r\nc OK/);
    const deflate = zlib.createDeflateRaw();
    deflate.on('data', (chunk: Buffer) => slow.socket.write(chunk));
    slow.socket.pause();
    for (let round = 0; round < 4; round++) deflate.write(`f${round} FETCH 1:* BODY.PEEK[]\r\n`);
    deflate.flush(zlib.constants.Z_SYNC_FLUSH);
    await connectionsSettleAt(server, 0, 15_000);
    slow.socket.resume();
    await slow.closedByServer();
  } finally {
    slow.close();
    await server.close();
  }
});

test('slow reader: output piling up beyond maxPending on a socket that takes it without waiting drops the connection', async () => {
  // a socket with a huge high-water mark accepts every write at once: only the pending count stops it
  let serverSide: net.Socket | undefined;
  const listener = net.createServer({ highWaterMark: 256 * 1024 * 1024 }, (socket) => (serverSide = socket));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
  const client = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1');
  client.on('error', () => undefined);
  try {
    await once(client, 'connect');
    client.pause();
    for (let attempt = 0; attempt < 300 && !serverSide; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const socket = serverSide!;
    socket.on('error', () => undefined);
    const reasons: string[] = [];
    const writer = new ResponseWriter(socket, {
      stall: {
        timeoutMs: 60_000,
        maxPending: 2 * 1024 * 1024,
        onStall: (reason) => {
          reasons.push(reason);
          socket.destroy();
        },
      },
    });
    const line = 'y'.repeat(64 * 1024);
    for (let index = 0; index < 2000 && reasons.length === 0; index++) await writer.untagged(index, line);
    assert.deepEqual(reasons, [`more than ${2 * 1024 * 1024} bytes of output are waiting for the client`]);
    assert.equal(writer.closed, true);
    // nothing more is gathered or written once the client is given up
    await writer.untagged('after', line);
    await writer.flushed();
    assert.equal(socket.destroyed, true);
  } finally {
    client.destroy();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  }
});
