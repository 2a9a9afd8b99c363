// Every corpus message is stored as skeleton and bodies, and comes back byte for byte,
// whatever the chunking of the input and wherever the large-body threshold lies.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexMessage, openSection, reassembleMessage } from '../src/index.js';
import type { IndexedMessage, MimePart } from '../src/index.js';
import { chunked, loadCorpus, MemorySink, noOpen, readAll } from './helpers.js';

const corpus = loadCorpus();

test('the corpus has at least 30 messages', () => {
  assert.ok(corpus.length >= 30, `only ${corpus.length} messages`);
});

function assertSegmentsCover(message: IndexedMessage): void {
  let offset = 0;
  for (const segment of message.segments) {
    assert.equal(segment.offset, offset, 'segments are contiguous');
    assert.ok(segment.length > 0, 'no empty segments');
    if (segment.kind === 'skeleton' || segment.data) assert.equal(segment.data?.length, segment.length);
    offset += segment.length;
  }
  assert.equal(offset, message.size, 'segments cover the message');
}

function* walk(part: MimePart): Generator<MimePart> {
  yield part;
  for (const child of part.children ?? []) yield* walk(child);
  if (part.message) yield* walk(part.message);
}

for (const { name, raw } of corpus) {
  test(`${name}: reassembles byte for byte with every body inline`, async () => {
    for (const chunkSize of [1, 7, 64, 65536]) {
      const message = await indexMessage(chunked(raw, chunkSize));
      assert.equal(message.size, raw.length);
      assertSegmentsCover(message);
      assert.ok(
        message.segments.every((s) => s.kind === 'skeleton' || s.data),
        'no sink, so nothing external',
      );
      const { length, stream } = reassembleMessage(message, noOpen);
      assert.equal(length, raw.length);
      assert.ok((await readAll(stream)).equals(raw), `chunk size ${chunkSize}`);
    }
  });

  test(`${name}: reassembles byte for byte with bodies in the sink`, async () => {
    for (const threshold of [0, 16]) {
      const sink = new MemorySink();
      const message = await indexMessage(chunked(raw, 13), { sink, largeBodyThreshold: threshold });
      assertSegmentsCover(message);
      for (const segment of message.segments) {
        if (segment.kind === 'body')
          assert.equal(
            segment.ref !== undefined,
            segment.length > threshold,
            'threshold decides where a body goes',
          );
      }
      const { stream } = reassembleMessage(message, sink.opener());
      assert.ok((await readAll(stream)).equals(raw), `threshold ${threshold}`);
    }
  });

  test(`${name}: every part's header and body ranges are what BODY[n.MIME] and BODY[n] return`, async () => {
    const sink = new MemorySink();
    const message = await indexMessage(chunked(raw, 4096), { sink, largeBodyThreshold: 32 });
    for (const part of walk(message.root)) {
      assert.ok(
        part.header.offset + part.header.length <= part.body.offset ||
          part.body.length === 0 ||
          part.kind === 'message',
      );
      assert.ok(part.body.offset + part.body.length <= raw.length);
      if (!part.path) continue;
      const numbers = part.path.split('.').map(Number);
      const isEmbedded = [...walk(message.root)].some((p) => p.message === part);
      if (isEmbedded) continue;
      const body = openSection(message, { part: numbers }, sink.opener());
      assert.ok(body);
      assert.ok(
        (await readAll(body.stream)).equals(
          raw.subarray(part.body.offset, part.body.offset + part.body.length),
        ),
        `BODY[${part.path}]`,
      );
      const mime = openSection(message, { part: numbers, specifier: 'MIME' }, sink.opener());
      assert.ok(mime);
      assert.ok(
        (await readAll(mime.stream)).equals(
          raw.subarray(part.header.offset, part.header.offset + part.header.length),
        ),
        `BODY[${part.path}.MIME]`,
      );
    }
  });
}
