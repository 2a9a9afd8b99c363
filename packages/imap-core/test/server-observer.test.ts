// The observer hooks (metrics without imap-core knowing of any) and close(): BYE to every session,
// and a client that does not read its BYE dropped after the timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { ALICE, startTestServer } from './support/test-server.js';

test('the observer sees connections open and close and every command with its status', async () => {
  let open = 0;
  const commands: { name: string; ms: number; status: string }[] = [];
  const server = await startTestServer({
    observer: {
      connection: (delta) => (open += delta),
      command: (name, ms, status) => commands.push({ name, ms, status }),
    },
  });
  try {
    const client = await server.connect();
    assert.equal(open, 1);
    await client.expect('a1', 'NOOP', [/^a1 OK/]);
    await client.expect('a2', 'SELECT INBOX', [/^a2 BAD/]);
    await client.expect('a3', `LOGIN "${ALICE.username}" "wrong"`, [/^a3 NO/]);
    await client.expect('a4', `LOGIN "${ALICE.username}" "${ALICE.password}"`, [/^a4 OK/]);
    assert.match((await client.command('a5', 'SELECT INBOX')).tagged, /^a5 OK/);
    assert.match((await client.command('a6', 'UID FETCH 1:* FLAGS')).tagged, /^a6 OK/);
    assert.deepEqual(
      commands.map(({ name, status }) => `${name} ${status}`),
      ['NOOP OK', 'SELECT BAD', 'LOGIN NO', 'LOGIN OK', 'SELECT OK', 'UID FETCH OK'],
    );
    assert.ok(commands.every(({ ms }) => ms >= 0 && ms < 5000));
    client.close();
    for (let i = 0; i < 50 && (open as number) !== 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(open, 0);
  } finally {
    await server.close();
  }
});

test('close() says BYE to idle sessions and drops one that does not read within the timeout', async () => {
  const server = await startTestServer();
  const body = 'x'.repeat(1024 * 1024) + '\r\n';
  for (let index = 0; index < 20; index++)
    await server.backend.deliver(ALICE.username, 'INBOX', `Subject: big ${index}\r\n\r\n${body}`);
  const idle = await server.login();
  // a client that never reads: the server's FETCH output backs up until the socket is full, and
  // a BYE queued behind it can never be written
  const stuck = net.connect(server.port, '127.0.0.1');
  await new Promise((resolve) => stuck.once('connect', resolve));
  stuck.pause();
  stuck.write(`x1 LOGIN "${ALICE.username}" "${ALICE.password}"\r\nx2 SELECT INBOX\r\n`);
  stuck.write('x3 FETCH 1:* BODY.PEEK[]\r\n');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const stuckClosed = new Promise((resolve) => stuck.once('close', resolve));
  stuck.on('error', () => {});

  const started = Date.now();
  await server.server.close({ timeoutMs: 500 });
  const took = Date.now() - started;
  assert.ok(took >= 450 && took < 3000, `close took ${took} ms`);
  assert.match(await idle.readLine(), /^\* BYE Server shutting down$/);
  await idle.closedByServer();
  stuck.resume();
  await stuckClosed;
  assert.equal(server.server.connectionCount, 0);
});
