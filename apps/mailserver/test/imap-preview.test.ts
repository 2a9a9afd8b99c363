// PREVIEW (RFC 8970) through the real server: FETCH PREVIEW and PREVIEW (LAZY) send the text the
// webmail message list shows (the message document's snippet, made one line), and CAPABILITY lists it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
let client: RawImapClient;
before(async () => {
  imap = await startImap('preview');
  await imap.createUser('preview@example.com');
  client = await RawImapClient.open(imap.port);
  assert.match(await client.command('LOGIN preview@example.com secretpass'), /OK/);
});
after(async () => {
  await client.command('LOGOUT').catch(() => {});
  await imap.close();
});

const messages = [
  [
    'From: a@example.com',
    'Subject: html',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    '--b',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    '<html><head><style>p{color:red}</style></head><body><p>Gr=C3=BC=C3=9Fe,</p>',
    '<p>the &quot;report&quot; is ready.</p></body></html>',
    '--b--',
    '',
  ].join('\r\n'),
  ['From: a@example.com', 'Subject: attachment only', 'Content-Type: image/png', '', 'iVBORw0KGgo=', ''].join(
    '\r\n',
  ),
  ['From: a@example.com', 'Subject: long', '', 'word '.repeat(100), ''].join('\r\n'),
];

test('FETCH PREVIEW and PREVIEW (LAZY) send the webmail snippet as one line; PREVIEW is advertised', async () => {
  assert.match(await client.command('CAPABILITY'), /^\* CAPABILITY .* PREVIEW[ \r]/m);
  for (const message of messages) {
    const bytes = Buffer.from(message);
    assert.match(
      await client.command(Buffer.concat([Buffer.from(`APPEND INBOX {${bytes.length}+}\r\n`), bytes])),
      /OK/,
    );
  }
  assert.match(await client.command('SELECT INBOX'), /OK/);
  const response = await client.command('FETCH 1:3 (PREVIEW)');
  const documents = await imap.store.db.collection('messages').find({}).sort({ uid: 1 }).toArray();
  const snippets = documents.map((document) => String(document.snippet));
  assert.equal(snippets[0], 'Grüße, the "report" is ready.', 'what the webmail list shows');
  const lines = response.split('\r\n').filter((line) => line.startsWith('* '));
  assert.deepEqual(lines, [
    // UTF-8 text in a literal (the session has not enabled UTF8=ACCEPT); the response is read as latin1
    `* 1 FETCH (PREVIEW {${Buffer.byteLength('Grüße, the "report" is ready.')}}`,
    '* 2 FETCH (PREVIEW "")',
    `* 3 FETCH (PREVIEW "${'word '.repeat(40).trim()}")`,
  ]);
  assert.ok(
    response.includes(`${Buffer.from('Grüße, the "report" is ready.').toString('latin1')})\r\n`),
    response,
  );
  const lazy = await client.command('UID FETCH 3 (PREVIEW (LAZY) FLAGS)');
  assert.match(lazy, /^\* 3 FETCH \(UID 3 PREVIEW "word word[ a-z]*" FLAGS \(\)\)\r$/m);
  assert.match(await client.command('FETCH 1 (PREVIEW (FUZZY))'), /BAD/);
  assert.match(await client.command('NOOP'), /OK/);
});
