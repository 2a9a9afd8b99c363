// BINARY (RFC 3516) on the real store: decoded leaf parts, inline and in GridFS, through a raw
// socket and through imapflow (which downloads with BINARY.PEEK once the server offers BINARY).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
before(async () => {
  imap = await startImap('imapbinary');
  await imap.createUser('bin@example.com');
});
after(async () => {
  await imap.close();
});

/** base64 in 76-character lines, as MIME writes it. */
const base64Lines = (bytes: Buffer) => (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');

// 300 KiB: past the store's 128 KiB threshold, so this body lives in GridFS
const attachment = Buffer.concat([Buffer.from([0, 1, 2, 0xff]), randomBytes(300 * 1024)]);
const MESSAGE = Buffer.from(
  [
    'From: a@example.org',
    'To: bin@example.com',
    'Subject: attachments',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'caf=C3=A9',
    '--b1',
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(attachment),
    '--b1',
    'Content-Type: application/x-odd',
    'Content-Transfer-Encoding: x-uuencode',
    '',
    'begin 644 x',
    '--b1--',
    '',
  ].join('\r\n'),
);

test('FETCH BINARY decodes leaf parts of a stored message, including a body kept in GridFS', async () => {
  const raw = await RawImapClient.open(imap.port);
  try {
    assert.match(await raw.command('LOGIN bin@example.com secretpass'), /OK/);
    assert.match(await raw.command('CAPABILITY'), /^\* CAPABILITY .* BINARY( |\r)/m);
    raw.write(`A1 APPEND INBOX {${MESSAGE.length}}\r\n`);
    await raw.waitFor(/^\+ /m);
    raw.write(Buffer.concat([MESSAGE, Buffer.from('\r\n')]));
    await raw.waitFor(/^A1 OK/m);
    assert.match(await raw.command('SELECT INBOX'), /OK/);
    assert.match(
      await raw.command('FETCH 1 (BINARY.SIZE[1] BINARY.SIZE[2])'),
      new RegExp(`\\* 1 FETCH \\(BINARY\\.SIZE\\[1\\] 5 BINARY\\.SIZE\\[2\\] ${attachment.length}\\)`),
    );
    assert.match(
      await raw.command('FETCH 1 BINARY.PEEK[1]'),
      /\* 1 FETCH \(BINARY\[1\] \{5\}\r\ncaf\xc3\xa9\)/,
    );
    const decoded = await raw.fetchLiteral('FETCH 1 BINARY.PEEK[2]');
    assert.ok(decoded.equals(attachment), 'the attachment comes back decoded, byte for byte');
    const window = await raw.fetchLiteral('FETCH 1 BINARY.PEEK[2]<1.3>');
    assert.deepEqual([...window], [1, 2, 0xff]);
    assert.match(await raw.command('FETCH 1 BINARY.PEEK[3]'), /^T\d+ NO \[UNKNOWN-CTE\]/m);
    assert.match(await raw.command('FETCH 1 BINARY.PEEK[]'), /^T\d+ NO /m);
    assert.match(await raw.command('FETCH 1 FLAGS'), /FLAGS \(\)/);
    assert.match(await raw.command('FETCH 1 BINARY[1]'), /BINARY\[1\] \{5\}\r\ncaf\xc3\xa9 FLAGS \(\\Seen\)/);
  } finally {
    raw.close();
  }
});

test('imapflow downloads an attachment with BINARY and gets the decoded bytes', async () => {
  const flow = new ImapFlow({
    host: '127.0.0.1',
    port: imap.port,
    secure: false,
    auth: { user: 'bin@example.com', pass: 'secretpass' },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await flow.connect();
  try {
    assert.ok(flow.capabilities.has('BINARY'));
    const appended = await flow.append('INBOX', MESSAGE);
    assert.ok(appended && appended.uid);
    await flow.mailboxOpen('INBOX');
    const { content } = await flow.download(String(appended.uid), '2', { uid: true });
    const chunks: Buffer[] = [];
    for await (const chunk of content) chunks.push(chunk as Buffer);
    assert.ok(Buffer.concat(chunks).equals(attachment));
  } finally {
    await flow.logout();
  }
});
