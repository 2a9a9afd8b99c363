// The PROXY protocol on the IMAP listener, through a fake proxy: a raw socket that writes the
// header, then speaks IMAP (in clear or TLS). The address the backend is given at LOGIN, which is
// what sign-in limits count by, and the session's log line must be the client's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { once } from 'node:events';
import { trustedPeers, type ConnectionMeta, type ImapLogger } from '@wildduck/imap-core';
import { MemoryBackend } from './support/memory-backend.js';
import { ALICE, BOB, startTestServer } from './support/test-server.js';
import { createSelfSignedCertificate } from './support/certificate.js';

const SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

/** A v2 PROXY header for a TCP4 client. */
function v2Header(client: string, port: number): Buffer {
  const payload = Buffer.alloc(12);
  client.split('.').forEach((octet, index) => (payload[index] = Number(octet)));
  payload.set([127, 0, 0, 1], 4);
  payload.writeUInt16BE(port, 8);
  payload.writeUInt16BE(143, 10);
  return Buffer.concat([SIGNATURE, Buffer.from([0x21, 0x11, 0x00, 0x0c]), payload]);
}

/** Remembers the connection facts of every authentication. */
class RecordingBackend extends MemoryBackend {
  readonly signIns: ConnectionMeta[] = [];
  // the meta is optional only because MemoryBackend's own authenticate takes none
  override async authenticate(username: string, password: string, meta?: ConnectionMeta) {
    if (meta) this.signIns.push(meta);
    return super.authenticate(username, password);
  }
}

/** A logger that keeps the data of every line. */
function recordingLogger(lines: object[]): ImapLogger {
  const keep = (data: object) => void lines.push(data);
  return { debug: keep, info: keep, warn: keep, error: keep };
}

/** Reads from a stream until `pattern` has been seen (or the stream closes: then null). */
async function readUntil(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string | null> {
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    text += chunk.toString('latin1');
    if (pattern.test(text)) return text;
  }
  return null;
}

/** Connects as the fake proxy; resolves when the server has closed the connection, with what it sent. */
async function connectAndCollect(port: number, first: Buffer | string | null): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  if (first !== null) socket.write(first);
  socket.on('error', () => undefined);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  await once(socket, 'close');
  return received;
}

test('a listed proxy: v2 header in the same write as LOGIN, the backend sees the client address', async () => {
  const backend = new RecordingBackend({ users: [ALICE, BOB] });
  const lines: object[] = [];
  const server = await startTestServer({
    backend,
    logger: recordingLogger(lines),
    proxyProtocol: { trusted: trustedPeers(['127.0.0.1']) },
  });
  try {
    const socket = net.connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      Buffer.concat([
        v2Header('203.0.113.7', 50000),
        Buffer.from(`a1 LOGIN "${ALICE.username}" "${ALICE.password}"\r\n`),
      ]),
    );
    assert.match((await readUntil(socket, /a1 (OK|NO|BAD)/)) ?? '', /^\* OK[^]*a1 OK/);
    socket.end();
    assert.equal(backend.signIns[0]?.remoteAddress, '203.0.113.7');
    assert.ok(lines.some((data) => (data as { remoteAddress?: string }).remoteAddress === '203.0.113.7'));
  } finally {
    await server.close();
  }
});

test('a listed proxy: v1 header split over several writes, then IMAP', async () => {
  const backend = new RecordingBackend({ users: [ALICE, BOB] });
  const server = await startTestServer({
    backend,
    proxyProtocol: { trusted: trustedPeers(['127.0.0.0/8']) },
  });
  try {
    const socket = net.connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    for (const piece of ['PRO', 'XY TCP6 2001:db8::9 ::1 4', '0000 143\r', '\n']) {
      socket.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    socket.write(`a1 LOGIN "${ALICE.username}" "${ALICE.password}"\r\n`);
    assert.match((await readUntil(socket, /a1 (OK|NO|BAD)/)) ?? '', /a1 OK/);
    socket.end();
    assert.equal(backend.signIns[0]?.remoteAddress, '2001:db8::9');
  } finally {
    await server.close();
  }
});

test('implicit TLS: the header comes before the handshake', async () => {
  const backend = new RecordingBackend({ users: [ALICE, BOB] });
  const server = await startTestServer({
    backend,
    secure: true,
    tls: createSelfSignedCertificate(),
    proxyProtocol: { trusted: trustedPeers(['127.0.0.1']) },
  });
  try {
    const raw = net.connect(server.port, '127.0.0.1');
    await once(raw, 'connect');
    raw.write(v2Header('198.51.100.4', 40000));
    const secure = tls.connect({ socket: raw, rejectUnauthorized: false });
    await once(secure, 'secureConnect');
    secure.write(`a1 LOGIN "${ALICE.username}" "${ALICE.password}"\r\n`);
    assert.match((await readUntil(secure, /a1 (OK|NO|BAD)/)) ?? '', /^\* OK[^]*a1 OK/);
    secure.end();
    assert.equal(backend.signIns[0]?.remoteAddress, '198.51.100.4');
    assert.equal(backend.signIns[0]?.secure, true);
  } finally {
    await server.close();
  }
});

test('a listed proxy without a valid header is closed before any greeting', async () => {
  const refused: string[] = [];
  const server = await startTestServer({
    proxyProtocol: {
      trusted: trustedPeers(['127.0.0.1']),
      headerTimeoutMs: 200,
      onRefused: (_peer, reason) => refused.push(reason),
    },
  });
  try {
    assert.equal(await connectAndCollect(server.port, `a1 LOGIN "${ALICE.username}" "x"\r\n`), '');
    assert.equal(await connectAndCollect(server.port, 'PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n'), '');
    // nothing at all: closed when the header's time is up
    assert.equal(await connectAndCollect(server.port, null), '');
    assert.deepEqual(
      refused.map((reason) => reason.replace(/:.*/, '')),
      ['invalid PROXY header', 'invalid PROXY header', 'no PROXY header in time'],
    );
  } finally {
    await server.close();
  }
});

test('a peer that is not listed is served as before, and closed when it sends a header', async () => {
  const backend = new RecordingBackend({ users: [ALICE, BOB] });
  const refused: string[] = [];
  const server = await startTestServer({
    backend,
    proxyProtocol: {
      trusted: trustedPeers(['10.0.0.1']),
      onRefused: (peer, reason) => refused.push(`${peer}: ${reason}`),
    },
  });
  try {
    // a client: greeted at once, without writing first, and signed in under its own address
    const client = net.connect(server.port, '127.0.0.1');
    let received = '';
    client.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const waitFor = async (pattern: RegExp) => {
      while (!pattern.test(received)) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await waitFor(/^\* OK.*\r\n/);
    client.write(`a1 LOGIN "${ALICE.username}" "${ALICE.password}"\r\n`);
    await waitFor(/a1 (OK|NO|BAD)/);
    assert.match(received, /a1 OK/);
    client.end();
    assert.equal(backend.signIns[0]?.remoteAddress, '127.0.0.1');

    // a header from it (v1 or v2) is not taken as a command: the connection ends after the greeting
    for (const header of ['PROXY TCP4 203.0.113.7 10.0.0.1 1 143\r\n', v2Header('203.0.113.7', 1)]) {
      const sent = await connectAndCollect(
        server.port,
        Buffer.concat([
          Buffer.from(header),
          Buffer.from(`a2 LOGIN "${ALICE.username}" "${ALICE.password}"\r\n`),
        ]),
      );
      assert.match(sent, /^\* OK[^\r\n]*\r\n$/);
    }
    assert.equal(backend.signIns.length, 1);
    assert.deepEqual(
      refused,
      Array(2).fill('127.0.0.1: PROXY header from a peer that is not a listed proxy'),
    );
  } finally {
    await server.close();
  }
});
