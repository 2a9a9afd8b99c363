// COMPRESS=DEFLATE (RFC 4978): after the tagged OK both directions are raw DEFLATE; a second
// COMPRESS is NO [COMPRESSIONACTIVE]; it works after STARTTLS and on the implicit TLS port, and
// large responses pass with back-pressure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, sampleMessage, startTestServer } from './support/test-server.js';
import { createSelfSignedCertificate } from './support/certificate.js';
import { CompressingClient } from './support/compressing-client.js';

const certificate = createSelfSignedCertificate();

async function login(client: CompressingClient): Promise<void> {
  const { tagged } = await client.command('L1', `LOGIN "${ALICE.username}" "${ALICE.password}"`);
  assert.match(tagged, /^L1 OK/);
}

async function compress(client: CompressingClient): Promise<void> {
  const { untagged, tagged } = await client.command('Z1', 'COMPRESS DEFLATE');
  assert.deepEqual(untagged, []);
  assert.equal(tagged, 'Z1 OK DEFLATE active');
  client.startCompression();
}

test('COMPRESS DEFLATE: advertised after login, then every command and response is deflated', async () => {
  const server = await startTestServer();
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('one'));
    const client = await CompressingClient.connect(server.port);
    const before = await client.command('C0', 'CAPABILITY');
    assert.doesNotMatch(before.untagged[0]!, /COMPRESS=DEFLATE/);
    assert.match((await client.command('C1', 'COMPRESS DEFLATE')).tagged, /^C1 BAD /);
    await login(client);
    const after = await client.command('C2', 'CAPABILITY');
    assert.match(after.untagged[0]!, / COMPRESS=DEFLATE( |$)/);
    assert.match((await client.command('C3', 'COMPRESS GZIP')).tagged, /^C3 BAD /);
    await compress(client);
    const selected = await client.command('a1', 'SELECT INBOX');
    assert.equal(selected.tagged, 'a1 OK [READ-WRITE] SELECT completed');
    assert.ok(selected.untagged.includes('* 1 EXISTS'));
    const fetched = await client.command('a2', 'FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]');
    assert.equal(
      fetched.untagged[0],
      '* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {16}\r\nSubject: one\r\n\r\n)',
    );
    assert.equal(
      (await client.command('a3', 'COMPRESS DEFLATE')).tagged,
      'a3 NO [COMPRESSIONACTIVE] DEFLATE is already active',
    );
    // a literal sent compressed
    const message = sampleMessage('two');
    client.write(`a4 APPEND INBOX {${message.length}}\r\n`);
    assert.match(await client.readLine(), /^\+ /);
    client.write(message + '\r\n');
    assert.equal(await client.readLine(), '* 2 EXISTS');
    assert.match(await client.readLine(), /^a4 OK \[APPENDUID/);
    const logout = await client.command('a5', 'LOGOUT');
    assert.match(logout.untagged[0]!, /^\* BYE /);
    assert.equal(logout.tagged, 'a5 OK LOGOUT completed');
    await client.closedByServer();
  } finally {
    await server.close();
  }
});

test('COMPRESS after STARTTLS and on the implicit TLS port', async () => {
  const plain = await startTestServer({ tls: certificate });
  const implicit = await startTestServer({ tls: certificate, secure: true });
  try {
    const upgraded = await CompressingClient.connect(plain.port);
    assert.match((await upgraded.command('S1', 'STARTTLS')).tagged, /^S1 OK/);
    await upgraded.upgradeToTls();
    await login(upgraded);
    await compress(upgraded);
    assert.match((await upgraded.command('a1', 'NOOP')).tagged, /^a1 OK/);
    upgraded.close();
    const secure = await CompressingClient.connect(implicit.port, { tls: true });
    await login(secure);
    await compress(secure);
    const listed = await secure.command('a1', 'LIST "" INBOX');
    assert.deepEqual(listed.untagged, ['* LIST (\\HasNoChildren) "/" "INBOX"']);
    secure.close();
  } finally {
    await plain.close();
    await implicit.close();
  }
});

test('a large FETCH under COMPRESS arrives whole and smaller on the wire', async () => {
  const server = await startTestServer();
  try {
    const body = 'All work and no play makes Jack a dull boy.\r\n'.repeat(40_000);
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('big', body));
    const client = await CompressingClient.connect(server.port);
    await login(client);
    await compress(client);
    await client.command('a1', 'SELECT INBOX');
    const wireBefore = client.wireBytes;
    const fetched = await client.command('a2', 'FETCH 1 BODY.PEEK[TEXT]', 20_000);
    assert.equal(fetched.tagged, 'a2 OK FETCH completed');
    assert.equal(fetched.untagged.length, 1);
    assert.ok(fetched.untagged[0]!.includes(`{${body.length}}\r\n${body}`), 'the body arrives whole');
    assert.ok(
      client.wireBytes - wireBefore < body.length / 10,
      `${client.wireBytes - wireBefore} bytes on the wire`,
    );
    client.close();
  } finally {
    await server.close();
  }
});
