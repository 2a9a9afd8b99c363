// SessionListener with real sockets: limits in all and per address, counts that go down when a
// session closes, and a close() that waits for each session's goodbye but not for ever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import net from 'node:net';
import { SessionListener, clientAddress, type ListenerSession } from '@wildduck/tcp-listener';

/** A session that says BYE on shutdown; `deaf` ones never finish theirs. */
class LineSession extends EventEmitter implements ListenerSession {
  constructor(
    readonly socket: net.Socket,
    private readonly deaf = false,
  ) {
    super();
    socket.on('error', () => undefined);
    socket.on('close', () => this.emit('close'));
  }

  shutdown(reason: string): Promise<void> {
    if (this.deaf) return new Promise(() => undefined);
    return new Promise((resolve) => this.socket.end(`BYE ${reason}\r\n`, () => resolve()));
  }

  terminate(): void {
    this.socket.destroy();
  }
}

/** A listener whose accepted connections are sessions (or refused with the reason). */
async function start(limits: { maxConnections: number; maxConnectionsPerAddress: number }, deaf = false) {
  const sessions: LineSession[] = [];
  const server = net.createServer((socket) => {
    const address = clientAddress(socket.remoteAddress);
    const refusal = listener.refusalFor(address);
    if (refusal) {
      socket.end(`NO ${refusal}\r\n`);
      return;
    }
    const session = new LineSession(socket, deaf);
    sessions.push(session);
    listener.track(session, address);
    socket.write('HELLO\r\n');
  });
  const listener = new SessionListener(server, limits);
  const { port } = await listener.listen(0);
  return { listener, port, sessions };
}

/** Connects and resolves the first line the server sends, with the socket. */
async function connect(port: number): Promise<{ socket: net.Socket; line: string; received: () => string }> {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  while (!text.includes('\r\n')) await once(socket, 'data');
  return { socket, line: text.split('\r\n')[0]!, received: () => text };
}

/** Waits for `done` (a session's close reaches the listener a moment after the socket's). */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('clientAddress counts an IPv4 client of a dual-stack listener as its IPv4 address', () => {
  assert.equal(clientAddress('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(clientAddress('::FFFF:192.0.2.7'), '192.0.2.7');
  assert.equal(clientAddress('2001:db8::1'), '2001:db8::1');
  assert.equal(clientAddress(undefined), 'unknown');
});

test('the per-address and the total limit refuse new connections until a session closes', async () => {
  const { listener, port } = await start({ maxConnections: 3, maxConnectionsPerAddress: 2 });
  const first = await connect(port);
  const second = await connect(port);
  assert.equal(first.line, 'HELLO');
  assert.equal(listener.connectionCount, 2);
  const third = await connect(port);
  assert.equal(third.line, 'NO Too many connections from your address; try again later');
  assert.equal(listener.connectionCount, 2);

  first.socket.destroy();
  await until(() => listener.connectionCount === 1);
  const again = await connect(port);
  assert.equal(again.line, 'HELLO', 'a closed session frees its place');
  await listener.close();
  for (const client of [second, third, again]) client.socket.destroy();
});

test('the total limit counts every address', async () => {
  const { listener, port } = await start({ maxConnections: 1, maxConnectionsPerAddress: 10 });
  const first = await connect(port);
  const second = await connect(port);
  assert.equal(second.line, 'NO Too many connections to this server; try again later');
  await listener.close();
  first.socket.destroy();
  second.socket.destroy();
});

test('close() sends each session its goodbye and resolves when the listener is closed', async () => {
  const { listener, port } = await start({ maxConnections: 10, maxConnectionsPerAddress: 10 });
  const client = await connect(port);
  const ended = once(client.socket, 'end');
  await listener.close({ reason: 'Going away' });
  await ended;
  assert.equal(client.received(), 'HELLO\r\nBYE Going away\r\n');
  await assert.rejects(connect(port), /ECONNREFUSED/);
  client.socket.destroy();
});

test('close() drops a session whose shutdown does not finish within the timeout', async () => {
  const { listener, port } = await start({ maxConnections: 10, maxConnectionsPerAddress: 10 }, true);
  const client = await connect(port);
  const closed = once(client.socket, 'close');
  const started = Date.now();
  await listener.close({ timeoutMs: 200 });
  assert.ok(Date.now() - started >= 150, 'waited for the goodbye first');
  await closed;
  await until(() => listener.connectionCount === 0);
});

test('listen() rejects when the port is taken', async () => {
  const { listener, port } = await start({ maxConnections: 1, maxConnectionsPerAddress: 1 });
  const other = new SessionListener(net.createServer(), { maxConnections: 1, maxConnectionsPerAddress: 1 });
  await assert.rejects(other.listen(port), /EADDRINUSE/);
  await listener.close();
});
