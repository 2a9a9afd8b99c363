import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ImapFlow } from 'imapflow';
import { indexMessage, formatBodyStructure, formatEnvelope } from '@wildduck/mime';
import { storageUsage, findUserByAddress } from '@wildduck/store';
import { corpus as fullCorpus } from '../../../packages/store/test/support.js';

/** The corpus minus the 0-byte message: IMAP APPEND refuses an empty message (the store test keeps it). */
const corpus = () => fullCorpus().filter(({ bytes }) => bytes.length > 0);
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
let flow: ImapFlow;
before(async () => {
  imap = await startImap('roundtrip');
  await imap.createUser('corpus@example.com');
  flow = new ImapFlow({
    host: '127.0.0.1',
    port: imap.port,
    secure: false,
    auth: { user: 'corpus@example.com', pass: 'secretpass' },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await flow.connect();
});
after(async () => {
  await flow.logout();
  await imap.close();
});

async function download(uid: number): Promise<Buffer> {
  const { content } = await flow.download(String(uid), undefined, { uid: true });
  const chunks: Buffer[] = [];
  for await (const chunk of content) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A 25 MB message: text, then a base64 attachment of random bytes. */
function largeMessage(): Buffer {
  const attachment = randomBytes(18 * 1024 * 1024)
    .toString('base64')
    .replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    'From: big@example.com\r\nTo: corpus@example.com\r\nSubject: 25 MB\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="xyz"\r\n\r\n' +
      '--xyz\r\nContent-Type: text/plain\r\n\r\nThe attachment follows.\r\n' +
      `--xyz\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="random.bin"\r\n\r\n${attachment}\r\n--xyz--\r\n`,
  );
}

test('APPEND then FETCH BODY[] returns every corpus message byte for byte', async () => {
  const messages = corpus();
  assert.ok(messages.length >= 30, `corpus has ${messages.length} messages`);
  await flow.mailboxCreate('Corpus');
  for (const { name, bytes } of messages) {
    const appended = await flow.append('Corpus', bytes);
    assert.ok(appended.uid, name);
  }
  const lock = await flow.getMailboxLock('Corpus');
  try {
    for (const [index, { name, bytes }] of messages.entries()) {
      const back = await download(index + 1);
      assert.ok(back.equals(bytes), `${name}: ${back.length} bytes back for ${bytes.length}`);
    }
  } finally {
    lock.release();
  }
});

test('BODYSTRUCTURE and ENVELOPE on the wire equal the MIME indexer\u2019s for every corpus message', async () => {
  const raw = await RawImapClient.open(imap.port);
  await raw.command('LOGIN corpus@example.com secretpass');
  await raw.command('SELECT Corpus');
  for (const [index, { name, bytes }] of corpus().entries()) {
    const indexed = await indexMessage(Readable.from([bytes]));
    const response = await raw.command(`UID FETCH ${index + 1} (BODYSTRUCTURE ENVELOPE)`);
    const expectedStructure = formatBodyStructure(indexed.bodyStructure, true).toString('latin1');
    const expectedEnvelope = formatEnvelope(indexed.envelope).toString('latin1');
    assert.ok(
      response.includes(`BODYSTRUCTURE ${expectedStructure}`),
      `${name} BODYSTRUCTURE\n got: ${response}\nwant: ${expectedStructure}`,
    );
    assert.ok(
      response.includes(`ENVELOPE ${expectedEnvelope}`),
      `${name} ENVELOPE\n got: ${response}\nwant: ${expectedEnvelope}`,
    );
  }
  raw.close();
});

test('a 25 MB attachment goes to GridFS, comes back exactly, and BODY[1] reads only the text part', async () => {
  const bytes = largeMessage();
  assert.ok(bytes.length > 24 * 1024 * 1024);
  const appended = await flow.append('INBOX', bytes);
  const document = await imap.store.db.collection('messages').findOne({
    uid: appended.uid,
    user: (await findUserByAddress(imap.store.db, 'corpus@example.com'))!._id,
    size: bytes.length,
  });
  assert.ok(document, 'stored');
  assert.ok(document.parts.length >= 1, 'the attachment is a GridFS part');
  assert.ok(JSON.stringify(document).length < 64 * 1024, 'the message document stays small');
  // a raw client: imapflow's own parser needs minutes for a 25 MB literal
  const raw = await RawImapClient.open(imap.port);
  await raw.command('LOGIN corpus@example.com secretpass');
  await raw.command('SELECT INBOX');
  const back = await raw.fetchLiteral(`UID FETCH ${appended.uid} BODY.PEEK[]`);
  assert.ok(back.equals(bytes), `byte for byte (${back.length} of ${bytes.length})`);
  assert.match(
    await raw.command(`UID FETCH ${appended.uid} BODY.PEEK[1]`),
    /BODY\[1\] "The attachment follows\."|BODY\[1\] \{23\}\r\nThe attachment follows\./,
  );
  raw.close();
  const user = await findUserByAddress(imap.store.db, 'corpus@example.com');
  const [sum] = await imap.store.db
    .collection('messages')
    .aggregate([{ $match: { user: user!._id } }, { $group: { _id: null, size: { $sum: '$size' } } }])
    .toArray();
  assert.equal(
    (await storageUsage(imap.store.db, user!._id))?.storageUsed,
    sum?.size,
    'storage counter equals the sum of sizes',
  );
});
