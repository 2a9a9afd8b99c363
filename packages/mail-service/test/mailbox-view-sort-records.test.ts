/**
 * A view load hands the sort records it read along with its messages (the same search documents)
 * to the sink the IMAP server gives, so the first SORT after SELECT need not read them again; the
 * view keeps none of them itself.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { ObjectId } from 'mongodb';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { MemoryChangeBus } from '@wildduck/change-bus';
import {
  appendMessage,
  createUser,
  findMailbox,
  readSortRecords,
  storeContext,
  type MessageSortRecord,
  type StoreContext,
} from '@wildduck/store';
import { ChangeHub, MailboxViews } from '../src/index.js';

let store: TestDatabase;
let ctx: StoreContext;
before(async () => {
  store = await openTestDatabase('viewsort');
  await applySchema(store.db);
  ctx = storeContext(store.db);
});
after(async () => {
  await store.drop();
});

async function userWithMessages(address: string): Promise<{ user: ObjectId; inbox: ObjectId }> {
  const created = await createUser(store.db, { address, password: 'secretpass', quota: null });
  const inbox = (await findMailbox(store.db, created._id, 'INBOX'))!._id!;
  const messages = [
    'From: Carol <carol@x.org>\r\nTo: d@x.org\r\nSubject: Lunch\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <m1@x>\r\n\r\nhi\r\n',
    'From: bob@x.org\r\nCc: Eve <eve@y.org>\r\nSubject: Re: Lunch\r\nMessage-ID: <m2@x>\r\nIn-Reply-To: <m1@x>\r\nReferences: <m1@x>\r\n\r\nyes\r\n',
  ];
  for (const message of messages) {
    const outcome = await appendMessage(ctx, created._id, inbox, Readable.from([Buffer.from(message)]), {});
    assert.ok(outcome.ok);
  }
  return { user: created._id, inbox };
}

const byUid = (records: readonly MessageSortRecord[]) => [...records].sort((a, b) => a.uid - b.uid);

test('a view load gives its sink the sort records SORT would read, once per load', async () => {
  const { user, inbox } = await userWithMessages('viewsort@example.com');
  const handed: { mailbox: ObjectId; records: readonly MessageSortRecord[] }[] = [];
  const views = new MailboxViews(ctx, new ChangeHub(new MemoryChangeBus()));
  views.handSortRecordsTo((mailbox, records) => handed.push({ mailbox, records }));
  const held = await views.hold(user, inbox);
  assert.ok(held);
  assert.equal(handed.length, 1);
  assert.ok(handed[0]!.mailbox.equals(inbox));
  // exactly what SORT's own read of the search documents gives
  assert.deepEqual(byUid(handed[0]!.records), byUid(await readSortRecords(store.db, inbox)));
  assert.equal(handed[0]!.records.length, 2);
  assert.equal(handed[0]!.records.find((record) => record.uid === 2)!.cc!.host, 'y.org');
  // a second session shares the loaded view: no second load, nothing handed again
  const again = await views.hold(user, inbox);
  assert.equal(handed.length, 1);
  again!.release();
  held.release();
});

test('without a sink, or from an older search layout, a view load reads no sort records', async () => {
  const { user, inbox } = await userWithMessages('viewsort-old@example.com');
  const plain = new MailboxViews(ctx, new ChangeHub(new MemoryChangeBus()), { lingerMs: 0 });
  const held = await plain.hold(user, inbox);
  assert.equal(held!.view.count, 2);
  held!.release();
  // search documents of an older layout: the view reads the message documents, which it does not sort from
  await store.db.collection('mailboxes').updateOne({ _id: inbox }, { $set: { searchVersion: 1 } });
  const handed: unknown[] = [];
  const views = new MailboxViews(ctx, new ChangeHub(new MemoryChangeBus()));
  views.handSortRecordsTo((_mailbox, records) => handed.push(records));
  const old = await views.hold(user, inbox);
  assert.equal(old!.view.count, 2);
  assert.equal(handed.length, 0);
  old!.release();
});
