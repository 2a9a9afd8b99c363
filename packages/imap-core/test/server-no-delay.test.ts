// Every IMAP socket, plain, implicit TLS and after STARTTLS, has Nagle's algorithm off: a
// response is written in one go (write-coalescing.test.ts), and holding its tail back until the
// client's delayed ACK would only add 40 ms to it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { createSelfSignedCertificate } from './support/certificate.js';
import { Transcript } from './support/transcript.js';
import { startTestServer } from './support/test-server.js';

const certificate = createSelfSignedCertificate();

/** Every setNoDelay call in this process: on which socket, with what. */
const calls: { socket: net.Socket; enabled: boolean }[] = [];
const original = net.Socket.prototype.setNoDelay;
net.Socket.prototype.setNoDelay = function (this: net.Socket, enabled?: boolean) {
  calls.push({ socket: this, enabled: enabled ?? true });
  return original.call(this, enabled);
};
after(() => {
  net.Socket.prototype.setNoDelay = original;
});

/** True when a server-side socket on `port` (a TLS one if `tlsSocket`) was given no-delay. */
function noDelayOn(port: number, tlsSocket = false): boolean {
  return calls.some(
    (call) =>
      call.enabled && call.socket.localPort === port && (!tlsSocket || call.socket instanceof tls.TLSSocket),
  );
}

test('plain and STARTTLS sockets have no-delay', async () => {
  const server = await startTestServer({ tls: certificate });
  try {
    const client = await server.connect();
    assert.ok(noDelayOn(server.port), 'the plain socket');
    await client.expect('t1', 'STARTTLS', [/^t1 OK /]);
    await client.upgradeToTls();
    await client.expect('t2', 'NOOP', [/^t2 OK /]);
    assert.ok(noDelayOn(server.port, true), 'the TLS socket of STARTTLS');
  } finally {
    await server.close();
  }
});

test('implicit TLS sockets have no-delay', async () => {
  const server = await startTestServer({ tls: certificate, secure: true });
  try {
    const { client } = await Transcript.connect(server.port, { tls: true });
    assert.ok(noDelayOn(server.port, true));
    client.close();
  } finally {
    await server.close();
  }
});
