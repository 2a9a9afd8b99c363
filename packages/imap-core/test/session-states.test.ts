// The session state machine: greeting, commands only in their states, tags, pipelining,
// malformed input, limits, autologout and LOGOUT (RFC 3501 sections 3, 5.4, 6.1.3, 7.1.5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Transcript } from './support/transcript.js';
import { ALICE, BOB, startTestServer } from './support/test-server.js';
import { MemoryBackend } from './support/memory-backend.js';

test('the greeting is an untagged OK with the capability list', async () => {
  const server = await startTestServer();
  try {
    const { client, greeting } = await Transcript.connect(server.port);
    assert.match(greeting, /^\* OK \[CAPABILITY IMAP4rev1 .*AUTH=PLAIN.*\] WildDuck ready$/);
    client.close();
  } finally {
    await server.close();
  }
});

test('commands outside their states get a tagged BAD and the session goes on', async () => {
  const server = await startTestServer();
  try {
    const client = await server.connect();
    await client.expect('a1', 'SELECT INBOX', [/^a1 BAD SELECT is not allowed before login$/]);
    await client.expect('a2', 'FETCH 1 FLAGS', [/^a2 BAD FETCH is not allowed before login$/]);
    await client.expect('a3', `LOGIN "${ALICE.username}" "${ALICE.password}"`, [
      /^a3 OK \[CAPABILITY .*\] Logged in$/,
    ]);
    await client.expect('a4', `LOGIN "${ALICE.username}" "${ALICE.password}"`, [
      /^a4 BAD LOGIN is not allowed/,
    ]);
    await client.expect('a5', 'FETCH 1 FLAGS', [/^a5 BAD FETCH is not allowed without a selected mailbox$/]);
    await client.expect('a6', 'CLOSE', [/^a6 BAD/]);
    await client.expect('a7', 'ENABLE CONDSTORE', [/^\* ENABLED CONDSTORE$/, /^a7 OK/]);
    await client.expect('a8', 'SELECT INBOX', [
      /FLAGS/,
      /EXISTS/,
      /RECENT/,
      /PERMANENTFLAGS/,
      /UIDVALIDITY/,
      /UIDNEXT/,
      /HIGHESTMODSEQ/,
      /MAILBOXID/,
      /^a8 OK \[READ-WRITE\]/,
    ]);
    await client.expect('a9', 'ENABLE QRESYNC', [/^a9 BAD ENABLE is not allowed/]);
    await client.expect('a10', 'NOOP', [/^a10 OK NOOP completed$/]);
  } finally {
    await server.close();
  }
});

test('pipelined commands are answered in order with their own tags', async () => {
  const server = await startTestServer();
  try {
    const client = await server.connect();
    client.write(
      `p1 CAPABILITY\r\np2 LOGIN "${ALICE.username}" "${ALICE.password}"\r\np3 SELECT INBOX\r\np4 NOOP\r\n`,
    );
    const first = await client.until('p1');
    assert.match(first.tagged, /^p1 OK/);
    assert.match((await client.until('p2')).tagged, /^p2 OK/);
    assert.match((await client.until('p3')).tagged, /^p3 OK \[READ-WRITE\]/);
    assert.match((await client.until('p4')).tagged, /^p4 OK/);
  } finally {
    await server.close();
  }
});

test('malformed lines get BAD (tagged when a tag can be read) and the session goes on', async () => {
  const server = await startTestServer();
  try {
    const client = await server.connect();
    client.send('b1 FROBNICATE');
    assert.match(await client.readLine(), /^b1 BAD /);
    client.send('b2 LOGIN onlyone');
    assert.match(await client.readLine(), /^b2 BAD /);
    client.send('(((');
    assert.match(await client.readLine(), /^\* BAD /);
    client.send('b3 SELECT "unterminated');
    assert.match(await client.readLine(), /^b3 BAD /);
    await client.expect('b4', 'NOOP', [/^b4 OK/]);
  } finally {
    await server.close();
  }
});

test('a line longer than the limit gets BAD, a literal over the limit gets NO [TOOBIG]', async () => {
  const server = await startTestServer({ maxLineLength: 200, maxLiteralSize: 100, appendLimit: 1000 });
  try {
    const client = await server.login();
    client.send(`c1 LIST "" "${'x'.repeat(300)}"`);
    assert.match(await client.readLine(), /^c1 BAD .*too long/);
    client.send('c2 LOGIN {500}');
    assert.match(await client.readLine(), /^c2 (NO \[TOOBIG\]|BAD)/);
    client.send('c3 APPEND INBOX {5000}');
    assert.match(await client.readLine(), /^c3 NO \[TOOBIG\]/);
    client.send('c4 APPEND INBOX {5000+}');
    client.write('y'.repeat(5000) + '\r\n');
    assert.match(await client.readLine(), /^c4 NO \[TOOBIG\]/);
    await client.expect('c5', 'NOOP', [/^c5 OK/]);
  } finally {
    await server.close();
  }
});

test('LOGOUT answers BYE then OK and the server closes the connection', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.expect('d1', 'LOGOUT', [/^\* BYE /, /^d1 OK LOGOUT completed$/]);
    await client.closedByServer();
  } finally {
    await server.close();
  }
});

test('an idle connection is logged out with BYE after idleTimeoutMs', async () => {
  const server = await startTestServer({ idleTimeoutMs: 200 });
  try {
    const client = await server.connect();
    assert.match(await client.readLine(2000), /^\* BYE Autologout/);
    await client.closedByServer();
  } finally {
    await server.close();
  }
});

test('the default autologout is at least 30 minutes (RFC 3501 5.4)', async () => {
  const { resolveOptions } = await import('../src/options.js');
  const { MemoryBackend } = await import('./support/memory-backend.js');
  const options = resolveOptions({ backend: new MemoryBackend({ users: [] }) });
  assert.ok(options.idleTimeoutMs >= 30 * 60 * 1000);
});

test('server shutdown says BYE to connected clients', async () => {
  const server = await startTestServer();
  const client = await server.login();
  await server.server.close();
  assert.match(await client.readLine(), /^\* BYE Server shutting down$/);
  client.close();
});

test('a flood of garbage after a literal is refused as one over-long line, in bounded memory', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    client.send('e1 APPEND INBOX {10}');
    assert.match(await client.readLine(), /^\+ /);
    const chunk = 'z'.repeat(64 * 1024);
    for (let index = 0; index < 60; index++) client.write(chunk);
    client.write('\r\n');
    assert.match(await client.readLine(), /^e1 BAD .*too long/);
    await client.expect('e2', 'NOOP', [/^e2 OK/]);
  } finally {
    await server.close();
  }
});

test('a non-synchronising literal whose size cannot be read ends the session with BYE', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    client.send('f1 APPEND INBOX {99999999999+}');
    assert.match(await client.readLine(), /^\* BYE /);
    await client.closedByServer();
  } finally {
    await server.close();
  }
});

test('non-synchronising literals (LITERAL+, RFC 7888 example) need no continuation', async () => {
  const server = await startTestServer();
  try {
    const client = await server.connect();
    client.write(
      `A001 LOGIN {${ALICE.username.length}+}\r\n${ALICE.username} {${ALICE.password.length}+}\r\n${ALICE.password}\r\n`,
    );
    assert.match(await client.readLine(), /^A001 OK /);
  } finally {
    await server.close();
  }
});

test('synchronising literals get a + continuation for each literal', async () => {
  const server = await startTestServer();
  try {
    const client = await server.connect();
    client.send(`A001 LOGIN {${ALICE.username.length}}`);
    assert.match(await client.readLine(), /^\+ /);
    client.send(`${ALICE.username} {${ALICE.password.length}}`);
    assert.match(await client.readLine(), /^\+ /);
    client.send(ALICE.password);
    assert.match(await client.readLine(), /^A001 OK /);
  } finally {
    await server.close();
  }
});

test('a synchronising literal for a command not allowed in this state is refused before it is sent', async () => {
  const server = await startTestServer();
  try {
    const client = await server.connect();
    client.send('A001 APPEND INBOX {20}');
    assert.match(await client.readLine(), /^A001 BAD APPEND is not allowed before login$/);
    await client.expect('A002', 'NOOP', [/^A002 OK/]);
  } finally {
    await server.close();
  }
});

test('a command failing because a backend service is away gets NO [UNAVAILABLE]; any other failure NO [SERVERBUG]; the session goes on', async () => {
  class StoreAway extends Error {}
  const backend = new MemoryBackend({ users: [ALICE, BOB] });
  let failure: Error | null = null;
  const failing = new Proxy(backend, {
    get(target, property, receiver) {
      if (property === 'status' && failure) {
        const error = failure;
        return async () => {
          throw error;
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const server = await startTestServer({
    backend: failing,
    isUnavailable: (error) => error instanceof StoreAway,
  });
  try {
    const client = await server.login();
    failure = new StoreAway('no server answers');
    await client.expect('s1', 'STATUS INBOX (MESSAGES)', [/^s1 NO \[UNAVAILABLE\] /]);
    failure = new Error('a bug');
    await client.expect('s2', 'STATUS INBOX (MESSAGES)', [/^s2 NO \[SERVERBUG\] /]);
    failure = null;
    await client.expect('s3', 'STATUS INBOX (MESSAGES)', [/^\* STATUS "INBOX" \(MESSAGES \d+\)$/, /^s3 OK/]);
  } finally {
    await server.close();
  }
});
