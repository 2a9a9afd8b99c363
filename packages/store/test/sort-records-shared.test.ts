/**
 * Sort records read together share what repeats (one record per distinct address, one empty
 * References list), since a mailbox's records stay in the IMAP server's cache; and a view load asked
 * for them reads the same records SORT's own read gives, in the same query.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  appendMessage,
  loadMailboxView,
  readSortRecords,
  storeContext,
  type MessageSortRecord,
  type StoreContext,
} from '@wildduck/store';
import { openStore, newUser, streamOf } from './support.js';

let store: TestDatabase;
let ctx: StoreContext;
before(async () => {
  store = await openStore('sortshared');
  ctx = storeContext(store.db);
});
after(async () => {
  await store.drop();
});

const byUid = (records: readonly MessageSortRecord[]) => [...records].sort((a, b) => a.uid - b.uid);

test('sort records share equal addresses and the empty References, and the view load gives the same', async () => {
  const { user, inbox } = await newUser(store.db, 'sortshared@example.com');
  const messages = [
    'From: Ann <ann@x.org>\r\nTo: Me <me@example.com>\r\nSubject: one\r\n\r\n1\r\n',
    'From: Ann <ann@x.org>\r\nTo: Me <me@example.com>\r\nSubject: two\r\nReferences: <a@x>\r\n\r\n2\r\n',
    'From: Other Ann <ann@x.org>\r\nTo: me@example.com\r\nSubject: three\r\n\r\n3\r\n',
  ];
  for (const message of messages) {
    const outcome = await appendMessage(ctx, user, inbox._id!, streamOf(Buffer.from(message)), {});
    assert.ok(outcome.ok);
  }
  const [one, two, three] = byUid(await readSortRecords(store.db, inbox._id!));
  assert.equal(one!.from, two!.from);
  assert.equal(one!.to, two!.to);
  assert.deepEqual(one!.from, { name: 'Ann', mailbox: 'ann', host: 'x.org' });
  // a different name is a different address to DISPLAYFROM, so not shared
  assert.notEqual(one!.from, three!.from);
  assert.deepEqual(three!.from, { name: 'Other Ann', mailbox: 'ann', host: 'x.org' });
  assert.deepEqual(three!.to, { name: '', mailbox: 'me', host: 'example.com' });
  assert.equal(one!.references, three!.references);
  assert.deepEqual(one!.references, []);
  assert.deepEqual(two!.references, ['<a@x>']);

  const loaded = await loadMailboxView(ctx, user, inbox._id!, { sortRecords: true });
  assert.deepEqual(byUid(loaded!.sortRecords!), [one, two, three]);
  assert.deepEqual(loaded!.messages.map((message) => message.uid).sort(), [1, 2, 3]);
  assert.equal((await loadMailboxView(ctx, user, inbox._id!))!.sortRecords, undefined);
});
