/**
 * Mailbox views on the real store: they answer what the store answers (SEARCH parity, flags and
 * UIDs after writes), follow the journal when told, and are shared and dropped as sessions come
 * and go.
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
  expungeDeleted,
  findMailbox,
  loadViewMessages,
  searchMessages,
  storeContext,
  updateFlags,
  type MessageQuery,
  type StoreContext,
} from '@wildduck/store';
import { ChangeHub, MailboxViews, searchView, viewCanSearch } from '../src/index.js';

let store: TestDatabase;
let ctx: StoreContext;
before(async () => {
  store = await openTestDatabase('mailviews');
  await applySchema(store.db);
  ctx = storeContext(store.db);
});
after(async () => {
  await store.drop();
});

async function newUser(address: string): Promise<{ user: ObjectId; inbox: ObjectId }> {
  const created = await createUser(store.db, { address, password: 'secretpass', quota: null });
  return { user: created._id, inbox: (await findMailbox(store.db, created._id, 'INBOX'))!._id! };
}

async function append(user: ObjectId, inbox: ObjectId, body: string, flags: string[] = [], date?: Date) {
  const message = Buffer.from(`Subject: ${body}\r\nFrom: a@example.org\r\n\r\n${body}\r\n`);
  const outcome = await appendMessage(ctx, user, inbox, Readable.from([message]), {
    flags,
    ...(date ? { internalDate: date } : {}),
  });
  assert.ok(outcome.ok);
  return outcome.uid;
}

/** UID -> flags as the store holds them. */
async function stored(inbox: ObjectId): Promise<Map<number, string[]>> {
  const records = await loadViewMessages(store.db, inbox);
  return new Map(records.sort((x, y) => x.uid - y.uid).map((record) => [record.uid, [...record.flags]]));
}

test('a view answers every non-text SEARCH as the store does', async () => {
  const { user, inbox } = await newUser('parity@example.com');
  const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
  await append(user, inbox, 'one', ['\\Seen'], day('2024-01-01'));
  await append(user, inbox, 'two two two two two two two two', ['\\Flagged', '$Work'], day('2024-02-01'));
  await append(user, inbox, 'three', [], day('2024-03-01'));
  await append(user, inbox, 'four', ['\\Seen', '\\Deleted'], day('2024-03-01'));
  const views = new MailboxViews(ctx, new ChangeHub(new MemoryChangeBus()));
  const held = await views.hold(user, inbox);
  assert.ok(held);
  const queries: MessageQuery[] = [
    { type: 'all' },
    { type: 'flag', flag: '\\Seen', set: false },
    { type: 'flag', flag: '$Work', set: true },
    { type: 'uid', uids: [2, 3, 9] },
    { type: 'size', op: 'larger', value: 60 },
    { type: 'size', op: 'smaller', value: 60 },
    { type: 'internalDate', op: 'on', date: new Date('2024-03-01T00:00:00Z') },
    { type: 'internalDate', op: 'before', date: new Date('2024-02-01T00:00:00Z') },
    { type: 'internalDate', op: 'since', date: new Date('2024-02-01T00:00:00Z') },
    { type: 'modseq', modseq: 4 },
    { type: 'not', key: { type: 'flag', flag: '\\Deleted', set: true } },
    {
      type: 'or',
      left: { type: 'flag', flag: '\\Flagged', set: true },
      right: {
        type: 'and',
        keys: [
          { type: 'flag', flag: '\\Seen', set: true },
          { type: 'uid', uids: [1] },
        ],
      },
    },
  ];
  for (const query of queries) {
    assert.ok(viewCanSearch(query));
    assert.deepEqual(
      searchView(held.view, query),
      await searchMessages(store.db, inbox, query),
      JSON.stringify(query),
    );
  }
  assert.equal(searchView(held.view, { type: 'header', field: 'subject', value: 'two' }), null);
  held.release();
});

test('a view told of writes shows the UIDs and flags the store holds', async () => {
  const { user, inbox } = await newUser('follow@example.com');
  await append(user, inbox, 'first');
  const views = new MailboxViews(ctx, new ChangeHub(new MemoryChangeBus()));
  const held = await views.hold(user, inbox);
  assert.ok(held);
  const view = held.view;
  const second = await append(user, inbox, 'second', ['\\Seen']);
  await append(user, inbox, 'third');
  await updateFlags(ctx, user, inbox, [1, second], { action: 'add', flags: ['\\Deleted', '$x'] });
  await expungeDeleted(ctx, user, inbox, [second]);
  await view.catchUp();
  const truth = await stored(inbox);
  assert.deepEqual(new Map([...view.all()].map((message) => [message.uid, [...message.flags]])), truth);
  assert.deepEqual(view.uids(), [...truth.keys()]);
  assert.equal(view.unseen(), 2);
  // the changes since the load, in order, for a session that selected before them
  assert.deepEqual(
    view.changesSince(view.position - 5)?.map((change) => `${change.kind} ${change.uid}`),
    ['EXISTS 2', 'EXISTS 3', 'FLAGS 1', 'FLAGS 2', 'EXPUNGE 2'],
  );
  held.release();
});

test("a process's own flag change shows at once; the position moves only over changes without a gap", async () => {
  const { user, inbox } = await newUser('own@example.com');
  await append(user, inbox, 'a');
  await append(user, inbox, 'b');
  const views = new MailboxViews(ctx, new ChangeHub(new MemoryChangeBus()));
  const held = await views.hold(user, inbox);
  assert.ok(held);
  const view = held.view;
  const start = view.position;
  // a change two ahead (one before it not yet read): shown, but the position waits for the journal
  view.applyOwnFlagChanges([{ uid: 2, flags: ['\\Seen'], modseq: start + 2 }]);
  assert.deepEqual(view.get(2)?.flags, ['\\Seen']);
  assert.equal(view.position, start);
  view.applyOwnFlagChanges([{ uid: 1, flags: ['\\Answered'], modseq: start + 1 }]);
  assert.equal(view.position, start + 1);
  // an older change never overwrites a newer one
  view.applyOwnFlagChanges([{ uid: 2, flags: [], modseq: start + 1 }]);
  assert.deepEqual(view.get(2)?.flags, ['\\Seen']);
  held.release();
});

test('views are shared while held, dropped once let go, and never open another user’s mailbox', async () => {
  const owner = await newUser('owner@example.com');
  const stranger = await newUser('stranger@example.com');
  const hub = new ChangeHub(new MemoryChangeBus());
  const views = new MailboxViews(ctx, hub, { lingerMs: 0 });
  const [first, second] = await Promise.all([
    views.hold(owner.user, owner.inbox),
    views.hold(owner.user, owner.inbox),
  ]);
  assert.ok(first && second);
  assert.equal(first.view, second.view);
  assert.equal(views.peek(owner.user.toHexString(), owner.inbox.toHexString()), first.view);
  assert.equal(hub.stats().users, 1);
  first.release();
  assert.ok(views.peek(owner.user.toHexString(), owner.inbox.toHexString()));
  second.release();
  assert.equal(views.peek(owner.user.toHexString(), owner.inbox.toHexString()), undefined);
  assert.deepEqual(views.stats(), { views: 0, messages: 0 });
  assert.equal(hub.stats().users, 0);
  assert.equal(await views.hold(stranger.user, owner.inbox), null);
});
