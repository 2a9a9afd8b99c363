// BINARY (RFC 3516, RFC 9051 6.4.5): FETCH BINARY[part]<partial>, BINARY.PEEK and BINARY.SIZE
// answer a leaf part's content with its Content-Transfer-Encoding removed, as a literal8 when it
// holds NUL; an encoding the server cannot decode answers NO [UNKNOWN-CTE]; APPEND takes literal8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, startTestServer, type TestServer } from './support/test-server.js';
import type { Transcript } from './support/transcript.js';

const MESSAGE = [
  'From: a@example.com',
  'To: b@example.com',
  'Subject: binary parts',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="XX"',
  '',
  '--XX',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'caf=C3=A9 =3D ok=',
  '',
  '--XX',
  'Content-Type: application/octet-stream',
  'Content-Transfer-Encoding: base64',
  '',
  'AAECAwQ=',
  '--XX',
  'Content-Type: application/x-foo',
  'Content-Transfer-Encoding: x-unknown',
  '',
  'zzz',
  '--XX',
  'Content-Type: message/rfc822',
  '',
  'Subject: inner',
  'Content-Transfer-Encoding: base64',
  '',
  'aGVsbG8=',
  '--XX',
  'Content-Type: text/plain',
  'Content-Transfer-Encoding: 8bit',
  '',
  'plain 8bit text',
  '--XX--',
  '',
].join('\r\n');

async function withMessage(run: (client: Transcript, server: TestServer) => Promise<void>): Promise<void> {
  const server = await startTestServer();
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', MESSAGE);
    const client = await server.login();
    await client.command('s0', 'SELECT INBOX');
    await run(client, server);
  } finally {
    await server.close();
  }
}

test('BINARY is advertised', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    const { untagged } = await client.command('c1', 'CAPABILITY');
    assert.ok(untagged[0]?.split(' ').includes('BINARY'), untagged[0]);
  } finally {
    await server.close();
  }
});

test('BINARY.PEEK[n] decodes quoted-printable and base64; NUL content comes as literal8', async () => {
  await withMessage(async (client) => {
    await client.expect('b1', 'FETCH 1 BINARY.PEEK[1]', [
      /^\* 1 FETCH \(BINARY\[1\] \{10\}\r\ncafé = ok\)$/,
      /^b1 OK/,
    ]);
    const lines = await client.expect('b2', 'FETCH 1 BINARY.PEEK[2]', [/^\* 1 FETCH/, /^b2 OK/]);
    assert.equal(lines[0], '* 1 FETCH (BINARY[2] ~{5}\r\n\x00\x01\x02\x03\x04)');
    await client.expect('b3', 'FETCH 1 BINARY.PEEK[5]', [
      /^\* 1 FETCH \(BINARY\[5\] \{15\}\r\nplain 8bit text\)$/,
      /^b3 OK/,
    ]);
    // a nested leaf: part 1 of the message/rfc822 part
    await client.expect('b4', 'FETCH 1 BINARY.PEEK[4.1]', [
      /^\* 1 FETCH \(BINARY\[4\.1\] \{5\}\r\nhello\)$/,
      /^b4 OK/,
    ]);
  });
});

test('BINARY.SIZE[n] is the decoded size, the length BINARY[n] then sends', async () => {
  await withMessage(async (client) => {
    await client.expect('z1', 'FETCH 1 (BINARY.SIZE[1] BINARY.SIZE[2] BINARY.SIZE[4.1])', [
      /^\* 1 FETCH \(BINARY\.SIZE\[1\] 10 BINARY\.SIZE\[2\] 5 BINARY\.SIZE\[4\.1\] 5\)$/,
      /^z1 OK/,
    ]);
  });
});

test('BINARY partial counts decoded bytes and is answered under its origin', async () => {
  await withMessage(async (client) => {
    // the window holds no NUL: a plain literal
    const lines = await client.expect('p1', 'FETCH 1 BINARY.PEEK[2]<1.2>', [/^\* 1 FETCH/, /^p1 OK/]);
    assert.equal(lines[0], '* 1 FETCH (BINARY[2]<1> {2}\r\n\x01\x02)');
    const nul = await client.expect('p0', 'FETCH 1 BINARY.PEEK[2]<0.2>', [/^\* 1 FETCH/, /^p0 OK/]);
    assert.equal(nul[0], '* 1 FETCH (BINARY[2]<0> ~{2}\r\n\x00\x01)');
    await client.expect('p2', 'FETCH 1 BINARY.PEEK[1]<0.3>', [
      /^\* 1 FETCH \(BINARY\[1\]<0> \{3\}\r\ncaf\)$/,
      /^p2 OK/,
    ]);
    // past the end: an empty string
    await client.expect('p3', 'FETCH 1 BINARY.PEEK[2]<50.5>', [
      /^\* 1 FETCH \(BINARY\[2\]<50> ""\)$|^\* 1 FETCH \(BINARY\[2\]<50> \{0\}\r\n\)$/,
      /^p3 OK/,
    ]);
  });
});

test('an unknown Content-Transfer-Encoding answers NO [UNKNOWN-CTE]', async () => {
  await withMessage(async (client) => {
    await client.expect('u1', 'FETCH 1 BINARY.PEEK[3]', [/^u1 NO \[UNKNOWN-CTE\] /]);
    await client.expect('u2', 'FETCH 1 BINARY.SIZE[3]', [/^u2 NO \[UNKNOWN-CTE\] /]);
    // the other messages of the set are still sent
    await client.command('a1', 'APPEND INBOX {16+}\r\nSubject: x\r\n\r\nhi');
    await client.command('n0', 'NOOP');
    await client.expect('u3', 'FETCH 1:2 BINARY.PEEK[3]', [
      /^\* 2 FETCH \(BINARY\[3\] NIL\)$/,
      /^u3 NO \[UNKNOWN-CTE\] /,
    ]);
  });
});

test('BINARY of a multipart, a message/rfc822 part or the whole message is refused: only leaf parts decode (RFC 9051 6.4.5)', async () => {
  await withMessage(async (client) => {
    await client.expect('n1', 'FETCH 1 BINARY.PEEK[4]', [/^n1 NO /]);
    await client.expect('n2', 'FETCH 1 BINARY.PEEK[]', [/^n2 NO /]);
    await client.expect('n3', 'FETCH 1 BINARY.SIZE[4]', [/^n3 NO /]);
    // a part that does not exist is NIL, as for BODY[]
    await client.expect('n4', 'FETCH 1 BINARY.PEEK[9]', [/^\* 1 FETCH \(BINARY\[9\] NIL\)$/, /^n4 OK/]);
  });
});

test('BINARY[n] sets \\Seen like BODY[n]; BINARY.PEEK and BINARY.SIZE do not', async () => {
  await withMessage(async (client) => {
    await client.expect('s1', 'FETCH 1 BINARY.SIZE[1]', [/^\* 1 FETCH \(BINARY\.SIZE\[1\] 10\)$/, /^s1 OK/]);
    await client.expect('s2', 'FETCH 1 FLAGS', [/^\* 1 FETCH \(FLAGS \(\)\)$/, /^s2 OK/]);
    await client.expect('s3', 'FETCH 1 BINARY[5]', [
      /^\* 1 FETCH \(BINARY\[5\] \{15\}\r\nplain 8bit text FLAGS \(\\Seen\)\)$/,
      /^s3 OK/,
    ]);
  });
});

test('APPEND takes a literal8 message (RFC 3516 4.4) and BINARY gives its NUL bytes back', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    const message =
      'Subject: nul\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\na\0b';
    client.write(`a1 APPEND INBOX ~{${message.length}}\r\n`);
    assert.match(await client.readLine(), /^\+ /);
    client.write(message + '\r\n');
    const { tagged } = await client.until('a1');
    assert.match(tagged, /^a1 OK \[APPENDUID \d+ 1\]/);
    await client.command('s0', 'SELECT INBOX');
    const lines = await client.expect('f1', 'FETCH 1 (BINARY.SIZE[1] BINARY.PEEK[1])', [
      /^\* 1 FETCH/,
      /^f1 OK/,
    ]);
    assert.equal(lines[0], '* 1 FETCH (BINARY.SIZE[1] 3 BINARY[1] ~{3}\r\na\0b)');
  } finally {
    await server.close();
  }
});
