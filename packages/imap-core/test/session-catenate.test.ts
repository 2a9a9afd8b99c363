// CATENATE (RFC 4469): APPEND of a message made of TEXT literals and IMAP URLs (RFC 5092) of the
// user's own messages and parts; NO [BADURL url] for a URL that names nothing, NO [TOOBIG] when
// the result passes APPENDLIMIT; with MULTIAPPEND, all or nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, startTestServer, type TestServer } from './support/test-server.js';
import type { Transcript } from './support/transcript.js';

const ORIGINAL = [
  'From: a@example.org',
  'Subject: original',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain',
  '',
  'first part',
  '--b1',
  'Content-Type: application/octet-stream',
  'Content-Transfer-Encoding: base64',
  '',
  'AAECAw==',
  '--b1--',
  '',
].join('\r\n');

async function withOriginal(
  run: (client: Transcript, uidValidity: number, server: TestServer) => Promise<void>,
  options: { appendLimit?: number } = {},
): Promise<void> {
  const server = await startTestServer(options);
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', ORIGINAL);
    const client = await server.login();
    const { untagged } = await client.command('s0', 'STATUS INBOX (UIDVALIDITY)');
    const uidValidity = Number(/UIDVALIDITY (\d+)/.exec(untagged[0] ?? '')?.[1]);
    await run(client, uidValidity, server);
  } finally {
    await server.close();
  }
}

/** Reads back message `uid` of Drafts. */
async function draft(client: Transcript, uid: number): Promise<string> {
  await client.command('sd', 'SELECT Drafts');
  const { untagged } = await client.command('fd', `UID FETCH ${uid} BODY.PEEK[]`);
  const match = /BODY\[\] \{(\d+)\}\r\n([\s\S]*)\)$/.exec(untagged[0] ?? '');
  assert.ok(match, untagged.join('\n'));
  assert.equal(match[2]?.length, Number(match[1]));
  return match[2] ?? '';
}

test('CATENATE is advertised', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    const { untagged } = await client.command('c1', 'CAPABILITY');
    assert.ok(untagged[0]?.split(' ').includes('CATENATE'), untagged[0]);
  } finally {
    await server.close();
  }
});

test('APPEND CATENATE joins TEXT literals and URL parts (RFC 4469 3, the forwarding example)', async () => {
  await withOriginal(async (client, v) => {
    const header =
      'From: me@example.com\r\nSubject: Fwd: original\r\nContent-Type: multipart/mixed; boundary="n"\r\n\r\n--n\r\n';
    const middle = '\r\n--n\r\n';
    const end = '\r\n--n--\r\n';
    client.write(`a1 APPEND Drafts (\\Seen \\Draft) CATENATE (TEXT {${header.length}}\r\n`);
    assert.match(await client.readLine(), /^\+ /);
    client.write(
      `${header} URL "/INBOX;UIDVALIDITY=${v}/;UID=1/;SECTION=1.MIME" URL "/INBOX;UIDVALIDITY=${v}/;UID=1/;SECTION=1"` +
        ` TEXT {${middle.length}+}\r\n${middle} URL "/INBOX;UIDVALIDITY=${v}/;UID=1/;SECTION=2.MIME"` +
        ` URL "/INBOX;UIDVALIDITY=${v}/;UID=1/;SECTION=2" TEXT {${end.length}+}\r\n${end})\r\n`,
    );
    const { tagged } = await client.until('a1');
    assert.match(tagged, /^a1 OK \[APPENDUID \d+ 1\]/);
    const expected =
      header +
      'Content-Type: text/plain\r\n\r\n' +
      'first part' +
      middle +
      'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
      'AAECAw==' +
      end;
    assert.equal(await draft(client, 1), expected);
    await client.expect('f2', 'UID FETCH 1 FLAGS', [
      /^\* 1 FETCH \(UID 1 FLAGS \(\\Seen \\Draft\)\)$/,
      /^f2 OK/,
    ]);
  });
});

test('a whole message, a partial range, and an absolute imap:// URL of the same user', async () => {
  await withOriginal(async (client, v) => {
    await client.expect('a1', `APPEND Drafts CATENATE (URL "/INBOX;UIDVALIDITY=${v}/;UID=1")`, [
      /^a1 OK \[APPENDUID \d+ 1\]/,
    ]);
    assert.equal(await draft(client, 1), ORIGINAL);
    // Drafts is selected now: its EXISTS comes first
    const second = await client.command(
      'a2',
      `APPEND Drafts CATENATE (URL "imap://alice%40example.com@localhost/INBOX;UIDVALIDITY=${v}/;UID=1/;SECTION=HEADER/;PARTIAL=0.19" TEXT {6+}\r\n\r\nbody)`,
    );
    assert.match(second.tagged, /^a2 OK \[APPENDUID \d+ 2\]/);
    assert.equal(await draft(client, 2), 'From: a@example.org\r\nbody');
    // from the selected mailbox too
    await client.command('si', 'SELECT INBOX');
    const third = await client.command('a3', `APPEND Drafts CATENATE (URL "/INBOX/;UID=1/;SECTION=1")`);
    assert.match(third.tagged, /^a3 OK \[APPENDUID \d+ 3\]/);
    assert.equal(await draft(client, 3), 'first part');
  });
});

test('NO [BADURL url] for a URL naming nothing; nothing is stored', async () => {
  await withOriginal(async (client, v) => {
    const bad = [
      `/INBOX;UIDVALIDITY=${v + 1}/;UID=1`,
      `/INBOX;UIDVALIDITY=${v}/;UID=9`,
      `/Nowhere;UIDVALIDITY=${v}/;UID=1`,
      `/INBOX;UIDVALIDITY=${v}/;UID=1/;SECTION=7`,
      `/INBOX;UIDVALIDITY=${v}/;UID=1/;SECTION=1.XYZ`,
      `imap://bob%40example.com@localhost/INBOX;UIDVALIDITY=${v}/;UID=1`,
      'not a url',
    ];
    for (const [index, url] of bad.entries()) {
      const { tagged } = await client.command(
        `b${index}`,
        `APPEND Drafts CATENATE (TEXT {2+}\r\nhi URL "${url}")`,
      );
      assert.equal(tagged.slice(0, tagged.indexOf(']') + 1), `b${index} NO [BADURL ${url}]`);
    }
    const { untagged } = await client.command('st', 'STATUS Drafts (MESSAGES)');
    assert.match(untagged[0] ?? '', /MESSAGES 0/);
  });
});

test('NO [TOOBIG] when the composed message passes APPENDLIMIT', async () => {
  await withOriginal(
    async (client, v) => {
      const url = `URL "/INBOX;UIDVALIDITY=${v}/;UID=1"`;
      await client.expect('t1', `APPEND Drafts CATENATE (${url} ${url})`, [/^t1 NO \[TOOBIG\] /]);
      await client.expect('t2', `APPEND Drafts CATENATE (${url})`, [/^t2 OK /]);
    },
    { appendLimit: ORIGINAL.length + 10 },
  );
});

test('CATENATE with MULTIAPPEND: all messages or none, also after a streamed one', async () => {
  await withOriginal(async (client, v) => {
    const plain = 'Subject: plain\r\n\r\nplain\r\n';
    // a streamed message, then a CATENATE whose TEXT literal is synchronising, then a bad URL
    client.write(`m1 APPEND Drafts {${plain.length}+}\r\n${plain} CATENATE (TEXT {4}\r\n`);
    assert.match(await client.readLine(), /^\+ /);
    client.write(`text) CATENATE (URL "/INBOX;UIDVALIDITY=${v}/;UID=5")\r\n`);
    assert.match((await client.until('m1')).tagged, /^m1 NO \[BADURL /);
    const { untagged } = await client.command('st', 'STATUS Drafts (MESSAGES)');
    assert.match(untagged[0] ?? '', /MESSAGES 0/);
    client.write(
      `m2 APPEND Drafts {${plain.length}+}\r\n${plain} CATENATE (TEXT {4+}\r\ntext URL "/INBOX;UIDVALIDITY=${v}/;UID=1/;SECTION=1")\r\n`,
    );
    assert.match((await client.until('m2')).tagged, /^m2 OK \[APPENDUID \d+ \d+:\d+\]/);
    const { untagged: after } = await client.command('s2', 'STATUS Drafts (MESSAGES)');
    assert.match(after[0] ?? '', /MESSAGES 2/);
  });
});
