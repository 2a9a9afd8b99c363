import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import type { TestDatabase } from '@wildduck/embedded-store';
import { JOURNAL_GAP_TIMEOUT_MS, JOURNAL_PAGE_SIZE, readChanges, recordChanges } from '@wildduck/store';
import { openStore } from './support.js';

// The journal is read a page of MODSEQs at a time (journal.ts); these tests pin that paging never
// costs a reader a change, an order, or its way past a hole that will never fill.

let store: TestDatabase;
before(async () => {
  store = await openStore('journalpages');
});
after(async () => {
  await store.drop();
});

async function journal(mailbox: ObjectId, user: ObjectId, modseqs: readonly number[]): Promise<void> {
  await recordChanges(
    store.db,
    modseqs.map((modseq) => ({ mailbox, user, modseq, kind: 'EXISTS' as const, uid: modseq, flags: [] })),
  );
}

test('a reader gets every change after its position, in order, across page boundaries', async () => {
  const mailbox = new ObjectId();
  const user = new ObjectId();
  const last = JOURNAL_PAGE_SIZE * 2 + 40;
  await journal(
    mailbox,
    user,
    Array.from({ length: last }, (_, index) => index + 1),
  );
  for (const after of [0, JOURNAL_PAGE_SIZE - 2, JOURNAL_PAGE_SIZE - 1, JOURNAL_PAGE_SIZE, last - 1]) {
    const read = await readChanges(store.db, mailbox, after);
    assert.ok(read);
    assert.deepEqual(
      read.entries.map((entry) => entry.modseq),
      Array.from({ length: last - after }, (_, index) => after + index + 1),
      `after ${after}`,
    );
    assert.equal(read.position, last);
    assert.equal(read.waiting, false);
  }
  const upToDate = await readChanges(store.db, mailbox, last);
  assert.deepEqual(upToDate?.entries, []);
  assert.equal(upToDate?.position, last);
});

test('another mailbox on the same pages is never read', async () => {
  const user = new ObjectId();
  const [mine, other] = [new ObjectId(), new ObjectId()];
  await journal(mine, user, [1, 2, 3]);
  await journal(other, user, [1, 2, 3, 4, 5]);
  const read = await readChanges(store.db, mine, 0);
  assert.deepEqual(
    read?.entries.map((entry) => entry.mailbox.toHexString()),
    [mine, mine, mine].map((id) => id.toHexString()),
  );
});

test('a young hole at the end of a page stops the reader; an old one is stepped over into the next page', async () => {
  const mailbox = new ObjectId();
  const user = new ObjectId();
  const hole = JOURNAL_PAGE_SIZE - 1;
  const before = Array.from({ length: hole - 1 }, (_, index) => index + 1);
  const afterHole = [hole + 1, hole + 2];
  await journal(mailbox, user, [...before, ...afterHole]);
  const young = await readChanges(store.db, mailbox, 0);
  assert.equal(young?.position, hole - 1);
  // told that the journal reaches further (an announcement), the reader knows to come back
  const announced = await readChanges(store.db, mailbox, 0, { until: hole + 2 });
  assert.equal(announced?.position, hole - 1);
  assert.equal(announced?.waiting, true);
  // once the entries around the hole are older than the gap timeout, the writer is taken as dead
  const later = new Date(Date.now() + JOURNAL_GAP_TIMEOUT_MS + 1_000);
  const old = await readChanges(store.db, mailbox, 0, { now: later });
  assert.deepEqual(
    old?.entries.map((entry) => entry.modseq),
    [...before, ...afterHole],
  );
  assert.equal(old?.position, hole + 2);
});
