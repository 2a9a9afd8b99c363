// One incoming message is copied to every recipient's store write while it streams (fan-out.ts):
// the source goes as fast as the slowest reader still reading, a reader that gives up no longer
// holds the others back, each reader sees its own prefix first, and a broken source breaks every copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fanOut } from '../src/fan-out.js';
import { collect, countingSource, settle } from './support/streams.js';

const CHUNK = 64 * 1024;
/** 4 MiB: far more than a branch buffers (256 KiB each side of its PassThrough) before the source waits. */
const CHUNKS = 64;
/**
 * What a stalled source may have made: the slow branch's buffers (2 x 256 KiB), the source's own
 * buffer and a chunk in hand, with room to spare; without back-pressure it makes all 64.
 */
const STALLED_AT_MOST = 16;

test(
  'a slow branch pauses the source, and the source resumes when it drains',
  { timeout: 20_000 },
  async () => {
    const source = countingSource(CHUNKS, CHUNK);
    const [fast, slow] = fanOut(source.stream, [Buffer.from('X-Fast: 1\r\n'), Buffer.from('X-Slow: 1\r\n')]);
    const fastRead = collect(fast!.stream);

    await settle();
    const stalledAt = source.produced();
    assert.ok(
      stalledAt <= STALLED_AT_MOST,
      `the source made ${stalledAt} of ${CHUNKS} chunks while a branch was not read`,
    );
    assert.equal(source.stream.readableFlowing, false, 'the source is paused');
    assert.ok(
      fast!.stream.readableLength === 0 && slow!.stream.writableLength > 0,
      'the fast branch waits for bytes the slow one holds',
    );
    await settle();
    assert.equal(source.produced(), stalledAt, 'and stays paused while the slow branch is full');

    const [fastBytes, slowBytes] = await Promise.all([fastRead, collect(slow!.stream)]);
    assert.equal(source.produced(), CHUNKS);
    assert.ok(
      fastBytes.equals(Buffer.concat([Buffer.from('X-Fast: 1\r\n'), source.bytes])),
      'fast copy complete',
    );
    assert.ok(
      slowBytes.equals(Buffer.concat([Buffer.from('X-Slow: 1\r\n'), source.bytes])),
      'slow copy complete',
    );
  },
);

test('a released branch (a refused copy) no longer stalls the others', { timeout: 20_000 }, async () => {
  const source = countingSource(CHUNKS, CHUNK);
  const [first, refused, last] = fanOut(source.stream, [Buffer.alloc(0), Buffer.alloc(0), Buffer.alloc(0)]);
  const reads = Promise.all([collect(first!.stream), collect(last!.stream)]);

  await settle();
  assert.ok(source.produced() <= STALLED_AT_MOST, 'the unread branch holds the source back');
  // the copy is refused while the source waits for it: releasing it must let the source go
  refused!.release();
  const [firstBytes, lastBytes] = await reads;
  assert.ok(firstBytes.equals(source.bytes));
  assert.ok(lastBytes.equals(source.bytes));
  assert.equal(refused!.stream.readableLength, 0, 'the released branch keeps nothing buffered');
});

test(
  'a branch whose stream is destroyed (a copy abandoned mid-way) is released as well',
  { timeout: 20_000 },
  async () => {
    const source = countingSource(CHUNKS, CHUNK);
    const [kept, abandoned] = fanOut(source.stream, [Buffer.alloc(0), Buffer.alloc(0)]);
    const keptRead = collect(kept!.stream);

    await settle();
    assert.ok(source.produced() <= STALLED_AT_MOST);
    // what appendMessage's size limit does to its input when the copy grows too big
    abandoned!.stream.destroy();
    assert.ok((await keptRead).equals(source.bytes));
  },
);

test('each branch gets its own prefix, then the shared bytes', { timeout: 20_000 }, async () => {
  const source = countingSource(9, 10_000);
  const prefixes = [
    Buffer.from('Delivered-To: a@example.com\r\n'),
    Buffer.alloc(0),
    // a whole rewritten header block larger than a branch buffers
    Buffer.alloc(300 * 1024, 'h'),
  ];
  const copies = await Promise.all(fanOut(source.stream, prefixes).map((branch) => collect(branch.stream)));
  copies.forEach((copy, index) =>
    assert.ok(copy.equals(Buffer.concat([prefixes[index]!, source.bytes])), `copy ${index}`),
  );
});

test('a source error reaches every branch, the waiting ones included', { timeout: 20_000 }, async () => {
  const failure = new Error('connection reset in the middle of DATA');
  // fails once a branch is full, so one branch is behind and the source is paused when it breaks
  const source = countingSource(CHUNKS, CHUNK, { after: 20, failure });
  const branches = fanOut(source.stream, [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]);
  const [first, third] = [collect(branches[0]!.stream), collect(branches[2]!.stream)];
  await settle();
  // the middle branch starts reading late: the source resumes, then fails
  const second = collect(branches[1]!.stream);
  const outcomes = await Promise.allSettled([first, second, third]);
  for (const [index, outcome] of outcomes.entries()) {
    assert.equal(outcome.status, 'rejected', `branch ${index} saw the end of a broken message as an end`);
    assert.equal(
      (outcome as PromiseRejectedResult).reason,
      failure,
      `branch ${index} gets the source's error`,
    );
  }
});

test(
  'a source error after a branch was released leaves that branch closed quietly',
  { timeout: 20_000 },
  async () => {
    const failure = new Error('connection reset after a copy was refused');
    const source = countingSource(CHUNKS, CHUNK, { after: 8, failure });
    const [refused, kept] = fanOut(source.stream, [Buffer.from('a'), Buffer.from('b')]);
    // a copy refused before it read anything: released, never read, never destroyed by its reader
    refused!.release();
    const unhandled: unknown[] = [];
    const onUncaught = (error: unknown) => unhandled.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await assert.rejects(collect(kept!.stream), (error) => error === failure);
      await settle();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    assert.deepEqual(unhandled, [], 'no error escaped from the released branch');
    assert.ok(refused!.stream.destroyed, 'the released branch is closed');
  },
);
