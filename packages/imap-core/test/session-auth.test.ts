// Authentication and encryption: LOGIN, AUTHENTICATE PLAIN with and without SASL-IR
// (RFC 4959), LOGINDISABLED on plaintext, STARTTLS (RFC 3501 6.2.1) and implicit TLS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSelfSignedCertificate } from './support/certificate.js';
import { Transcript } from './support/transcript.js';
import { ALICE, startTestServer } from './support/test-server.js';

const certificate = createSelfSignedCertificate();
const plain = (user: string, password: string, authorizationId = '') =>
  Buffer.from(`${authorizationId}\0${user}\0${password}`).toString('base64');

test('LOGIN with the right password succeeds, with a wrong one fails with AUTHENTICATIONFAILED', async () => {
  const server = await startTestServer();
  try {
    const client = await server.connect();
    await client.expect('a1', `LOGIN "${ALICE.username}" wrong`, [/^a1 NO \[AUTHENTICATIONFAILED\] /]);
    await client.expect('a2', `LOGIN "${ALICE.username}" "${ALICE.password}"`, [
      /^a2 OK \[CAPABILITY IMAP4rev1 /,
    ]);
  } finally {
    await server.close();
  }
});

test('repeated failures are answered with UNAVAILABLE once the backend rate-limits', async () => {
  const server = await startTestServer();
  try {
    const client = await server.connect();
    for (let attempt = 0; attempt < 10; attempt++)
      await client.command(`f${attempt}`, `LOGIN "${ALICE.username}" nope`);
    await client.expect('f10', `LOGIN "${ALICE.username}" "${ALICE.password}"`, [/^f10 NO \[UNAVAILABLE\] /]);
  } finally {
    await server.close();
  }
});

test('AUTHENTICATE PLAIN with an initial response (SASL-IR)', async () => {
  const server = await startTestServer();
  try {
    const client = await server.connect();
    await client.expect('a1', `AUTHENTICATE PLAIN ${plain(ALICE.username, ALICE.password)}`, [
      /^a1 OK \[CAPABILITY /,
    ]);
    await client.expect('a2', 'SELECT INBOX', [
      /FLAGS/,
      /EXISTS/,
      /RECENT/,
      /PERMANENTFLAGS/,
      /UIDVALIDITY/,
      /UIDNEXT/,
      /HIGHESTMODSEQ/,
      /MAILBOXID/,
      /^a2 OK/,
    ]);
  } finally {
    await server.close();
  }
});

test('AUTHENTICATE PLAIN without an initial response, after the + continuation', async () => {
  const server = await startTestServer();
  try {
    const client = await server.connect();
    client.send('a1 AUTHENTICATE PLAIN');
    assert.equal(await client.readLine(), '+ ');
    client.send(plain(ALICE.username, ALICE.password));
    assert.match(await client.readLine(), /^a1 OK /);
  } finally {
    await server.close();
  }
});

test('AUTHENTICATE can be cancelled with *, and bad credentials or base64 are refused', async () => {
  const server = await startTestServer();
  try {
    const client = await server.connect();
    client.send('a1 AUTHENTICATE PLAIN');
    await client.readLine();
    client.send('*');
    assert.match(await client.readLine(), /^a1 BAD Authentication cancelled$/);
    client.send('a2 AUTHENTICATE PLAIN');
    await client.readLine();
    client.send('not base64!');
    assert.match(await client.readLine(), /^a2 BAD /);
    await client.expect('a3', `AUTHENTICATE PLAIN ${plain(ALICE.username, 'wrong')}`, [
      /^a3 NO \[AUTHENTICATIONFAILED\]/,
    ]);
    await client.expect(
      'a4',
      `AUTHENTICATE PLAIN ${plain(ALICE.username, ALICE.password, 'bob@example.com')}`,
      [/^a4 NO \[AUTHORIZATIONFAILED\]/],
    );
    await client.expect('a5', 'AUTHENTICATE CRAM-MD5', [/^a5 NO /]);
  } finally {
    await server.close();
  }
});

test('without TLS, LOGINDISABLED is advertised and LOGIN/AUTHENTICATE are refused', async () => {
  const server = await startTestServer({ allowPlaintextLogin: false, tls: certificate });
  try {
    const { client, greeting } = await Transcript.connect(server.port);
    assert.match(greeting, /LOGINDISABLED/);
    assert.match(greeting, /STARTTLS/);
    assert.doesNotMatch(greeting, /AUTH=PLAIN/);
    await client.expect('a1', `LOGIN "${ALICE.username}" "${ALICE.password}"`, [
      /^a1 NO \[PRIVACYREQUIRED\] /,
    ]);
    await client.expect('a2', `AUTHENTICATE PLAIN ${plain(ALICE.username, ALICE.password)}`, [
      /^a2 NO \[PRIVACYREQUIRED\]/,
    ]);
    client.close();
  } finally {
    await server.close();
  }
});

test('STARTTLS upgrades the connection; then LOGIN is allowed and capabilities change', async () => {
  const server = await startTestServer({ allowPlaintextLogin: false, tls: certificate });
  try {
    const { client } = await Transcript.connect(server.port);
    await client.expect('t1', 'STARTTLS', [/^t1 OK Begin TLS negotiation now$/]);
    await client.upgradeToTls();
    assert.ok(client.encrypted);
    const [capabilities] = await client.expect('t2', 'CAPABILITY', [/^\* CAPABILITY /, /^t2 OK/]);
    assert.doesNotMatch(capabilities ?? '', /STARTTLS|LOGINDISABLED/);
    assert.match(capabilities ?? '', /AUTH=PLAIN/);
    await client.expect('t3', 'STARTTLS', [/^t3 BAD /]);
    await client.expect('t4', `LOGIN "${ALICE.username}" "${ALICE.password}"`, [/^t4 OK /]);
    client.close();
  } finally {
    await server.close();
  }
});

test('commands pipelined after STARTTLS in clear text are discarded', async () => {
  const server = await startTestServer({ allowPlaintextLogin: false, tls: certificate });
  try {
    const { client } = await Transcript.connect(server.port);
    client.write(`t1 STARTTLS\r\nt2 LOGIN "${ALICE.username}" "${ALICE.password}"\r\n`);
    assert.match(await client.readLine(), /^t1 OK/);
    await client.upgradeToTls();
    await client.expect('t3', 'NOOP', [/^t3 OK/]);
    await client.expect('t4', 'SELECT INBOX', [/^t4 BAD .*before login/]);
    client.close();
  } finally {
    await server.close();
  }
});

test('STARTTLS is not offered without a certificate', async () => {
  const server = await startTestServer();
  try {
    const { client, greeting } = await Transcript.connect(server.port);
    assert.doesNotMatch(greeting, /STARTTLS/);
    await client.expect('t1', 'STARTTLS', [/^t1 BAD /]);
    client.close();
  } finally {
    await server.close();
  }
});

test('implicit TLS: the handshake comes first, login works without STARTTLS', async () => {
  const server = await startTestServer({ allowPlaintextLogin: false, tls: certificate, secure: true });
  try {
    const { client, greeting } = await Transcript.connect(server.port, { tls: true });
    assert.match(greeting, /^\* OK \[CAPABILITY .*AUTH=PLAIN/);
    assert.doesNotMatch(greeting, /STARTTLS|LOGINDISABLED/);
    await client.expect('s1', `LOGIN "${ALICE.username}" "${ALICE.password}"`, [/^s1 OK /]);
    client.close();
  } finally {
    await server.close();
  }
});

test('secure: true without a certificate is refused with a clear message', async () => {
  await assert.rejects(startTestServer({ secure: true }), /secure: true` needs `tls: \{ key, cert \}`/);
});
