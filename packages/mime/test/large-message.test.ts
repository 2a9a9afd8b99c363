// A message with a 25 MiB attachment, generated while it streams: indexing never holds it whole,
// the sink sees bounded chunks, and BODY[1] never opens the attachment.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { indexMessage, openSection, reassembleMessage } from '../src/index.js';
import { CountingSink, MemorySink, readAll } from './helpers.js';
import type { OpenBodyCall } from './helpers.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const ATTACHMENT_SIZE = 25 * 1024 * 1024;
const RAW_CHUNK = 57 * 1024; // a multiple of 57 bytes, so each chunk is whole 76-character base64 lines

const HEAD = [
  'From: big@example.com',
  'To: rcpt@example.com',
  'Subject: a 25 MiB attachment',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="big-boundary"',
  '',
  '--big-boundary',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'The attachment is part 2.',
  '--big-boundary',
  'Content-Type: application/octet-stream; name="big.bin"',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename="big.bin"',
  '',
  '',
].join('\r\n');
const TAIL = '\r\n--big-boundary--\r\n';

/** Streams the message, computing the SHA-256 of the attachment's encoded body on the way. */
function bigMessage(): { stream: Readable; attachmentSha256: () => string; size: () => number } {
  const hash = createHash('sha256');
  let size = 0;
  let first = true;
  async function* generate(): AsyncGenerator<Buffer> {
    yield Buffer.from(HEAD);
    size += HEAD.length;
    for (let done = 0; done < ATTACHMENT_SIZE; done += RAW_CHUNK) {
      const raw = Buffer.alloc(Math.min(RAW_CHUNK, ATTACHMENT_SIZE - done), done / RAW_CHUNK);
      for (let i = 0; i < raw.length; i += 97) raw[i] = (i * 31 + done) & 0xff;
      const lines = raw.toString('base64').match(/.{1,76}/g) ?? [];
      const text = Buffer.from((first ? '' : '\r\n') + lines.join('\r\n'));
      first = false;
      hash.update(text);
      size += text.length;
      yield text;
    }
    yield Buffer.from(TAIL);
    size += TAIL.length;
  }
  return {
    stream: Readable.from(generate(), { objectMode: false }),
    attachmentSha256: () => hash.digest('hex'),
    size: () => size,
  };
}

const memoryInUse = (): number => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

test('indexing a 25 MiB attachment never holds the message: bounded sink chunks and heap growth', async () => {
  collectGarbage();
  const baseline = memoryInUse();
  let peak = 0;
  const sink = new CountingSink();
  const source = bigMessage();
  let chunks = 0;
  // Sample retained memory (after a collection) as the message streams through.
  source.stream.on('data', () => {
    if (++chunks % 64 === 0) {
      collectGarbage();
      peak = Math.max(peak, memoryInUse() - baseline);
    }
  });
  const message = await indexMessage(source.stream, { sink });
  collectGarbage();
  const growth = Math.max(peak, memoryInUse() - baseline);
  console.log(
    `25 MiB attachment (${message.size} bytes): peak retained growth ${(growth / 1048576).toFixed(2)} MiB, largest sink chunk ${sink.maxChunk} bytes`,
  );

  assert.equal(message.size, source.size());
  assert.ok(message.size > 34_000_000);
  assert.ok(sink.maxChunk <= 256 * 1024, `sink chunks stay small (${sink.maxChunk})`);
  assert.ok(growth < 8 * 1024 * 1024, `retained memory grew by ${growth} bytes`);
  const attachment = message.root.children?.[1];
  assert.equal(attachment?.decodedSize, ATTACHMENT_SIZE);
  assert.equal(attachment?.bodySha256, source.attachmentSha256());
  assert.equal(sink.bodies, 1, 'only the attachment is large');
  const segment = message.segments.find((s) => s.kind === 'body' && s.part === '2');
  assert.ok(segment?.kind === 'body' && segment.ref === attachment?.bodySha256);
});

test('BODY[1] of a message with a 25 MiB part 2 never opens part 2; BODY[] is byte-exact', async () => {
  const sink = new MemorySink();
  const source = bigMessage();
  const message = await indexMessage(source.stream, { sink, largeBodyThreshold: 16 });
  const calls: OpenBodyCall[] = [];
  const part1 = openSection(message, { part: [1] }, sink.opener(calls));
  assert.ok(part1);
  assert.equal((await readAll(part1.stream)).toString(), 'The attachment is part 2.');
  assert.deepEqual(
    calls.map((c) => c.part),
    ['1'],
  );

  const whole = reassembleMessage(message, sink.opener());
  const hash = createHash('sha256');
  let length = 0;
  for await (const chunk of whole.stream) {
    hash.update(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  assert.equal(length, message.size);
  const expected = createHash('sha256');
  for await (const chunk of bigMessage().stream) expected.update(chunk as Buffer);
  assert.equal(hash.digest('hex'), expected.digest('hex'));
});
