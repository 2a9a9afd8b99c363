// Streamed APPEND: a message literal reaches the store while it arrives, not after the whole
// command was buffered; the socket is paused while the store reads slower than the client sends;
// APPENDLIMIT is checked before a byte is read (RFC 7889); an empty message answers NO; MULTIAPPEND
// stays all or nothing when a later message is refused (RFC 3502).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Transform, type Readable } from 'node:stream';
import type { AppendMessages, AppendResult, ImapUser } from '../src/backend.js';
import { MemoryBackend } from './support/memory-backend.js';
import { ALICE, BOB, sampleMessage, startTestServer, type TestServer } from './support/test-server.js';

/** A memory backend that records each chunk the store receives, and can hold the store back. */
class ObservedBackend extends MemoryBackend {
  received = 0;
  /** While set, the store reads nothing more (a slow store). */
  gate: Promise<void> | null = null;

  override async append(user: ImapUser, path: string, messages: AppendMessages): Promise<AppendResult> {
    const watch = (message: Readable): Readable => {
      const observer = new Transform({
        transform: async (chunk: Buffer, _encoding, callback) => {
          this.received += chunk.length;
          if (this.gate) await this.gate;
          callback(null, chunk);
        },
      });
      // the store's read fails when the client's stream does (a dropped connection)
      message.on('error', (error) => observer.destroy(error));
      return message.pipe(observer);
    };
    const observed = async function* () {
      for await (const request of messages) yield { ...request, message: watch(request.message) };
    };
    return super.append(user, path, observed());
  }
}

async function withServer(
  run: (server: TestServer, backend: ObservedBackend) => Promise<void>,
  options: { appendLimit?: number } = {},
): Promise<void> {
  const backend = new ObservedBackend({ users: [ALICE, BOB] });
  const server = await startTestServer({ backend, ...options });
  try {
    await run(server, backend);
  } finally {
    await server.close();
  }
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const messageCount = async (server: TestServer) =>
  (await server.backend.status(server.backend.requireUser(ALICE.username), 'INBOX')) as { messages: number };

test('the store receives the first bytes of an APPEND literal before the literal is complete', async () => {
  await withServer(async (server, backend) => {
    const client = await server.login();
    const body = 'x'.repeat(200_000);
    const message = sampleMessage('Streamed', body);
    const half = Math.floor(message.length / 2);
    client.write(`a1 APPEND INBOX {${message.length}}\r\n`);
    assert.match(await client.readLine(), /^\+ /);
    client.write(message.slice(0, half));
    await waitUntil(() => backend.received > 0, 'the store to receive a chunk');
    assert.ok(backend.received <= half, 'the store has only what was sent so far');
    client.write(message.slice(half) + '\r\n');
    const { tagged } = await client.until('a1');
    assert.match(tagged, /^a1 OK \[APPENDUID \d+ 1\]/);
    assert.equal(backend.received, message.length);
    await client.command('s1', 'SELECT INBOX');
    const { untagged } = await client.command('f1', 'FETCH 1 BODY.PEEK[]', 10_000);
    assert.equal(untagged[0], `* 1 FETCH (BODY[] {${message.length}}\r\n${message})`);
  });
});

test('the socket is paused while the store is slower than the client (back-pressure)', async () => {
  await withServer(async (server, backend) => {
    const client = await server.login();
    let release!: () => void;
    backend.gate = new Promise((resolve) => (release = resolve));
    const size = 20 * 1024 * 1024;
    const raw = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => raw.once('connect', resolve));
    let answer = '';
    raw.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    raw.write(`l LOGIN "${ALICE.username}" "${ALICE.password}"\r\n`);
    await waitUntil(() => /l OK/.test(answer), 'login');
    const header = Buffer.from('Subject: big\r\n\r\n');
    const payload = Buffer.alloc(size - header.length, 0x61);
    raw.write(`a1 APPEND INBOX {${size}+}\r\n`);
    raw.write(header);
    raw.write(payload);
    raw.write('\r\n');
    await waitUntil(() => backend.received > 0, 'the first chunk');
    await new Promise((resolve) => setTimeout(resolve, 400));
    // the stalled store holds one chunk; the server stopped reading; what the client could write
    // is bounded by the parser's buffer and the kernel's socket buffers, far from the 20 MB
    const unsent = raw.writableLength;
    assert.ok(unsent > size / 2, `the client still holds ${unsent} bytes it could not send`);
    release();
    backend.gate = null;
    await waitUntil(() => /a1 (OK|NO|BAD)/.test(answer), 'the APPEND to complete', 30_000);
    assert.match(answer, /a1 OK \[APPENDUID \d+ 1\]/);
    assert.equal(backend.received, size);
    raw.destroy();
    await client.command('n1', 'NOOP');
  });
});

test('an empty APPEND answers NO and stores nothing; the session goes on', async () => {
  await withServer(async (server) => {
    const client = await server.login();
    // synchronising: refused before the client sends anything
    await client.expect('e1', 'APPEND INBOX {0}', [/^e1 NO /]);
    client.write('e2 APPEND INBOX {0+}\r\n\r\n');
    const second = await client.until('e2');
    assert.match(second.tagged, /^e2 NO /);
    await client.expect('e3', 'APPEND INBOX ~{0+}\r\n', [/^e3 NO /]);
    assert.equal((await messageCount(server)).messages, 0);
    await client.expect('n1', 'NOOP', [/^n1 OK/]);
  });
});

test('APPENDLIMIT: a larger literal is refused with NO [TOOBIG] before it is read (RFC 7889)', async () => {
  await withServer(
    async (server, backend) => {
      const client = await server.login();
      await client.expect('t1', 'APPEND INBOX {101}', [/^t1 NO \[TOOBIG\] /]);
      // non-synchronising: the bytes are read and thrown away, the store sees none of them
      client.write(`t2 APPEND INBOX {101+}\r\n${'y'.repeat(101)}\r\n`);
      assert.match((await client.until('t2')).tagged, /^t2 NO \[TOOBIG\] /);
      assert.equal(backend.received, 0);
      await client.expect('n1', 'NOOP', [/^n1 OK/]);
    },
    { appendLimit: 100 },
  );
});

test('MULTIAPPEND stays all or nothing when a later message is refused after the first was streamed', async () => {
  await withServer(
    async (server, backend) => {
      const client = await server.login();
      const first = sampleMessage('one', 'first');
      // the second message is over APPENDLIMIT: refused before "+", the first is not kept
      client.write(`m1 APPEND INBOX {${first.length}}\r\n`);
      assert.match(await client.readLine(), /^\+ /);
      client.write(`${first} {500}\r\n`);
      assert.match((await client.until('m1')).tagged, /^m1 NO \[TOOBIG\] /);
      assert.ok(backend.received >= first.length, 'the first message went to the store');
      assert.equal((await messageCount(server)).messages, 0);
      // a syntax error after the first message: BAD, nothing kept
      client.write(`m2 APPEND INBOX {${first.length}+}\r\n${first} "not a date" {3+}\r\nabc\r\n`);
      assert.match((await client.until('m2')).tagged, /^m2 BAD /);
      assert.equal((await messageCount(server)).messages, 0);
      // two synchronising literals, each with its own "+"
      const second = sampleMessage('two', 'second');
      client.write(`m3 APPEND INBOX (\\Seen) {${first.length}}\r\n`);
      assert.match(await client.readLine(), /^\+ /);
      client.write(`${first} (\\Flagged) {${second.length}}\r\n`);
      assert.match(await client.readLine(), /^\+ /);
      client.write(`${second}\r\n`);
      assert.match((await client.until('m3')).tagged, /^m3 OK \[APPENDUID \d+ 1:2\]/);
      await client.command('s1', 'SELECT INBOX');
      await client.expect('f1', 'FETCH 1:2 FLAGS', [
        /^\* 1 FETCH \(FLAGS \(\\Seen\)\)$/,
        /^\* 2 FETCH \(FLAGS \(\\Flagged\)\)$/,
        /^f1 OK/,
      ]);
    },
    { appendLimit: 400 },
  );
});

test('an APPEND to a missing mailbox answers NO [TRYCREATE] and its literal is skipped', async () => {
  await withServer(async (server) => {
    const client = await server.login();
    const message = sampleMessage('lost');
    client.write(
      `c1 APPEND Nowhere {${message.length}+}\r\n${message} {${message.length}+}\r\n${message}\r\n`,
    );
    assert.match((await client.until('c1')).tagged, /^c1 NO \[TRYCREATE\] /);
    await client.expect('n1', 'NOOP', [/^n1 OK/]);
  });
});

test('APPEND before login is BAD without reading its literal; a connection dropped mid-literal stores nothing', async () => {
  await withServer(async (server, backend) => {
    const anonymous = await server.connect();
    await anonymous.expect('p1', 'APPEND INBOX {5}', [/^p1 BAD /]);
    anonymous.write('p2 APPEND INBOX {5+}\r\nhello\r\n');
    assert.match((await anonymous.until('p2')).tagged, /^p2 BAD /);
    await anonymous.expect('p3', 'NOOP', [/^p3 OK/]);
    const client = await server.login();
    client.write('d1 APPEND INBOX {100+}\r\nSubject: cut\r\n\r\npart');
    await waitUntil(() => backend.received > 0, 'the first chunk');
    client.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await messageCount(server)).messages, 0);
    const other = await server.login();
    await other.expect('n1', 'NOOP', [/^n1 OK/]);
  });
});
