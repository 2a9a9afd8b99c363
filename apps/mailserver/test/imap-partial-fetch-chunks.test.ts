// A partial FETCH of a large message reads only the GridFS chunks its range touches. imapflow's
// download() asks for a message 64 KiB at a time; when each of those FETCHes read every chunk of
// the part (the driver's ranged download queries `{files_id, n: {$gte}}`, which FerretDB 1.24
// cannot push down), an 8 MB download took 43 s. Counted with the driver's command monitoring,
// as imap-sort-after-select.test.ts counts SORT; bytes are checked across chunk edges.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { PARTS_BUCKET } from '@wildduck/schema';
import { RawImapClient } from './raw-client.js';
import { startCountedImap, type CountedImap } from './counted-imap.js';

let imap: CountedImap;
let port: number;
/** `<command> <collection>` of every store command sent since the last reset. */
const commands: string[] = [];
/** Chunk documents the store was sent back since the last reset. */
let chunksReturned = 0;

const CHUNKS = `${PARTS_BUCKET}.chunks`;
/** The store's GridFS chunk size (parts.ts). */
const CHUNK = 255 * 1024;

before(async () => {
  imap = await startCountedImap('partialfetch', 'partial@example.com', commands);
  port = imap.port;
  const { client } = imap;
  const chunkRequests = new Set<number>();
  client.on('commandStarted', (event) => {
    const collection = String(event.command[event.commandName]);
    if (collection === CHUNKS || event.command.collection === CHUNKS) chunkRequests.add(event.requestId);
  });
  client.on('commandSucceeded', (event) => {
    if (!chunkRequests.delete(event.requestId)) return;
    const cursor = (event.reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } }).cursor;
    chunksReturned += (cursor?.firstBatch ?? cursor?.nextBatch ?? []).length;
  });
});
after(() => imap.close());

/** 6 MB of bytes no two chunks share, so a chunk read from the wrong place shows. */
function attachmentBytes(): Buffer {
  const bytes = Buffer.alloc(6 * 1024 * 1024);
  for (let offset = 0; offset < bytes.length; offset += 32)
    createHash('sha256').update(String(offset)).digest().copy(bytes, offset);
  return bytes;
}

const attachment = attachmentBytes();
const base64 = attachment.toString('base64').replace(/.{76}/g, '$&\r\n');
const message = Buffer.from(
  'From: a@example.org\r\nTo: partial@example.com\r\nSubject: eight megabytes\r\n' +
    'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n' +
    '--b1\r\nContent-Type: text/plain\r\n\r\nSee the attachment.\r\n' +
    '--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
    `${base64}\r\n--b1--\r\n`,
);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let uid = 0;

async function loggedIn(): Promise<RawImapClient> {
  const raw = await RawImapClient.open(port);
  assert.match(await raw.command('LOGIN partial@example.com secretpass'), /^T1 OK/m);
  assert.match(await raw.command('SELECT INBOX'), /OK/);
  return raw;
}

/** Fetches `section` of the message; returns its bytes and the chunk reads it cost. */
async function counted(raw: RawImapClient, section: string) {
  commands.length = 0;
  chunksReturned = 0;
  const bytes = await raw.fetchLiteral(`UID FETCH ${uid} ${section}`);
  const chunkFinds = commands.filter((call) => call === `find ${CHUNKS}` || call === `getMore ${CHUNKS}`);
  return { bytes, chunkFinds: chunkFinds.length, chunksReturned, calls: [...commands] };
}

test('an 8 MB message is appended', { timeout: 120_000 }, async () => {
  assert.ok(message.length > 8 * 1024 * 1024);
  const raw = await RawImapClient.open(port);
  assert.match(await raw.command('LOGIN partial@example.com secretpass'), /OK/);
  const answer = await raw.command(
    Buffer.concat([Buffer.from(`APPEND INBOX {${message.length}+}\r\n`), message]),
  );
  uid = Number(/APPENDUID \d+ (\d+)/.exec(answer)?.[1]);
  assert.ok(uid > 0, answer);
  raw.close();
});

test('a 64 KiB partial FETCH reads only the chunks its range touches', { timeout: 120_000 }, async () => {
  const raw = await loggedIn();
  try {
    // in the middle of one chunk of the attachment's body: one chunk read, one chunk returned
    const inside = await counted(raw, `BODY.PEEK[]<${3 * CHUNK + 1000}.65536>`);
    assert.deepEqual(inside.bytes, message.subarray(3 * CHUNK + 1000, 3 * CHUNK + 1000 + 65536));
    assert.ok(inside.chunksReturned <= 1, `returned ${inside.chunksReturned} chunks: ${inside.calls}`);
    assert.ok(inside.chunkFinds <= 1, `${inside.calls}`);
    // across a chunk edge: the two chunks on either side, no more
    const across = await counted(raw, `BODY.PEEK[]<${5 * CHUNK - 30000}.65536>`);
    assert.deepEqual(across.bytes, message.subarray(5 * CHUNK - 30000, 5 * CHUNK - 30000 + 65536));
    assert.ok(across.chunksReturned <= 2, `returned ${across.chunksReturned} chunks: ${across.calls}`);
    assert.ok(across.chunkFinds <= 2, `${across.calls}`);
    // the decoded attachment: BINARY of part 2, straddling chunk edges. Base64 is decoded from
    // the start of the body (a decoded offset has no fixed place in the encoded lines), but no
    // further than the window: the chunks up to its encoded end (76 characters and CRLF a line),
    // and the few the streams read ahead (the next chunk, and those in the streams' buffers)
    for (const start of [0, CHUNK - 7, 4 * CHUNK - 65536 + 3, attachment.length - 1000]) {
      const binary = await counted(raw, `BINARY.PEEK[2]<${start}.65536>`);
      assert.deepEqual(binary.bytes, attachment.subarray(start, start + 65536), `BINARY at ${start}`);
      const encodedEnd = (((start + 65536) * 4) / 3) * (78 / 76);
      const needed = Math.ceil(encodedEnd / CHUNK) + 5;
      assert.ok(binary.chunksReturned <= needed, `BINARY at ${start}: ${binary.chunksReturned} chunks`);
    }
    // a whole series as imapflow asks for it, timed
    const started = Date.now();
    const rounds = 16;
    let returned = 0;
    for (let index = 0; index < rounds; index++) {
      const start = index * 65536 * 7;
      const step = await counted(raw, `BODY.PEEK[]<${start}.65536>`);
      assert.deepEqual(step.bytes, message.subarray(start, start + 65536), `range at ${start}`);
      returned += step.chunksReturned;
      if (index === 0) console.log(`store calls of one partial FETCH: ${step.calls.join(', ')}`);
    }
    console.log(
      `partial FETCH of 64 KiB: ${((Date.now() - started) / rounds).toFixed(0)} ms each, ` +
        `${(returned / rounds).toFixed(1)} chunks returned each`,
    );
    assert.ok(returned <= rounds * 2, `returned ${returned} chunks over ${rounds} FETCHes`);
  } finally {
    raw.close();
  }
});

test('imapflow downloads the whole 8 MB message byte for byte', { timeout: 300_000 }, async () => {
  const flow = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user: 'partial@example.com', pass: 'secretpass' },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await flow.connect();
  try {
    const lock = await flow.getMailboxLock('INBOX');
    try {
      const started = Date.now();
      const { content } = await flow.download(String(uid), undefined, { uid: true });
      const parts: Buffer[] = [];
      for await (const chunk of content) parts.push(chunk as Buffer);
      const whole = Buffer.concat(parts);
      console.log(`imapflow download() of ${whole.length} bytes: ${Date.now() - started} ms`);
      assert.equal(sha256(whole), sha256(message));
      const attachmentStarted = Date.now();
      const part = await flow.download(String(uid), '2', { uid: true });
      const decoded: Buffer[] = [];
      for await (const chunk of part.content) decoded.push(chunk as Buffer);
      console.log(`imapflow download() of part 2: ${Date.now() - attachmentStarted} ms`);
      assert.equal(sha256(Buffer.concat(decoded)), sha256(attachment));
    } finally {
      lock.release();
    }
  } finally {
    await flow.logout();
  }
});
