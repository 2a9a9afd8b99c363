// IMAP and IMAPS of the mail server behind a load balancer that sends the PROXY protocol (a fake
// proxy: a raw socket that writes a v2 header, then speaks IMAP): the per-address sign-in limit of
// the real store backend counts each client by itself, not the proxy for all of them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { ImapServer } from '@wildduck/imap-core';
import { loadConfig } from '@wildduck/config';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { StoreImapBackend } from '../src/imap/store-backend.js';
import { proxyProtocolFor } from '../src/proxy-protocol.js';
import { LOGIN_LIMITS } from '../src/runtime.js';
import { startImap, type ImapHarness } from './harness.js';

/** Failed sign-ins allowed per client address in this test (the product's limit is 100). */
const ADDRESS_ATTEMPTS = 2;

let harness: ImapHarness;
let servers: { plain: ImapServer; secure: ImapServer; port: number; tlsPort: number };
before(async () => {
  harness = await startImap('imapproxy');
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const config = loadConfig({
    cwd: mkdtempSync(join(tmpdir(), 'wd-proxy-')),
    env: { PROXY_PROTOCOL_FROM: '127.0.0.1' },
  });
  const backend = new StoreImapBackend({
    ctx: harness.ctx,
    bus: harness.bus,
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter({ attempts: ADDRESS_ATTEMPTS, windowSeconds: 300 }),
  });
  const common = {
    backend,
    tls: harness.tls,
    allowPlaintextLogin: true,
    proxyProtocol: proxyProtocolFor(config, logger),
  };
  const plain = new ImapServer(common);
  const secure = new ImapServer({ ...common, secure: true });
  servers = { plain, secure, port: (await plain.listen(0)).port, tlsPort: (await secure.listen(0)).port };
});
after(async () => {
  await servers.plain.close();
  await servers.secure.close();
  await harness.close();
});

/** A v2 PROXY header for a TCP4 client. */
function v2Header(client: string): Buffer {
  const payload = Buffer.alloc(12);
  client.split('.').forEach((octet, index) => (payload[index] = Number(octet)));
  payload.set([127, 0, 0, 1], 4);
  payload.writeUInt16BE(41000, 8);
  payload.writeUInt16BE(993, 10);
  const signature = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
  return Buffer.concat([signature, Buffer.from([0x21, 0x11, 0x00, 0x0c]), payload]);
}

/** Signs in through the fake proxy as `client`; the tagged response's text after the tag. */
async function login(client: string, address: string, password: string, secure = false): Promise<string> {
  const raw = connect(secure ? servers.tlsPort : servers.port, '127.0.0.1');
  await once(raw, 'connect');
  raw.write(v2Header(client));
  const stream = secure ? tlsConnect({ socket: raw, rejectUnauthorized: false }) : raw;
  stream.write(`a1 LOGIN "${address}" "${password}"\r\n`);
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    text += chunk.toString('latin1');
    const tagged = /^a1 (.*)\r\n/m.exec(text);
    if (tagged) {
      stream.end();
      return tagged[1]!;
    }
  }
  throw new Error(`closed without a tagged response: ${text}`);
}

test('the per-address sign-in limit counts each client behind the proxy by itself', async () => {
  const address = `proxied-${randomBytes(3).toString('hex')}@example.com`;
  await harness.createUser(address);
  for (let attempt = 0; attempt < ADDRESS_ATTEMPTS; attempt++)
    assert.match(await login('198.51.100.1', address, 'wrong'), /^NO \[AUTHENTICATIONFAILED\]/);
  // that client is refused even with the right password, on IMAPS as well...
  assert.match(await login('198.51.100.1', address, 'secretpass'), /^NO \[UNAVAILABLE\]/);
  assert.match(await login('198.51.100.1', address, 'secretpass', true), /^NO \[UNAVAILABLE\]/);
  // ...while another client behind the same proxy signs in, in clear and over TLS
  assert.match(await login('198.51.100.2', address, 'secretpass'), /^OK/);
  assert.match(await login('198.51.100.2', address, 'secretpass', true), /^OK/);
});
