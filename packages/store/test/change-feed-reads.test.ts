import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  appendMessage,
  createMailbox,
  expungeDeleted,
  findMailbox,
  findMessageSummaries,
  listMailboxPositions,
  mailboxPath,
  mailboxPaths,
  messageIdsByUid,
  readAccountLog,
  recordChanges,
  renameMailbox,
  storeContext,
  updateFlags,
  type StoreContext,
} from '@wildduck/store';
import { openStore, newUser, simpleMessage, streamOf } from './support.js';

let store: TestDatabase;
let ctx: StoreContext;
before(async () => {
  store = await openStore('change-feed-reads');
  ctx = storeContext(store.db);
});
after(async () => {
  await store.drop();
});

async function append(
  user: ObjectId,
  mailbox: ObjectId,
  subject: string,
): Promise<{ id: ObjectId; uid: number }> {
  const outcome = await appendMessage(ctx, user, mailbox, streamOf(simpleMessage(subject)));
  assert.ok(outcome.ok);
  return { id: outcome.id, uid: outcome.uid };
}

test("mailbox paths and positions are the user's only", async () => {
  const { user, inbox } = await newUser(store.db, 'paths@example.com');
  const { user: other, inbox: othersInbox } = await newUser(store.db, 'other-paths@example.com');
  assert.ok((await createMailbox(store.db, user, 'Work')).ok);
  const work = (await findMailbox(store.db, user, 'Work'))!;
  await append(user, work._id!, 'one');

  assert.equal(await mailboxPath(store.db, user, work._id!), 'Work');
  assert.equal(await mailboxPath(store.db, other, work._id!), null, "another user's mailbox");
  const paths = await mailboxPaths(store.db, user, [inbox._id!, work._id!, othersInbox._id!, inbox._id!]);
  assert.deepEqual(
    [...paths].sort(),
    [
      [inbox._id!.toHexString(), 'INBOX'],
      [work._id!.toHexString(), 'Work'],
    ].sort(),
  );

  const positions = await listMailboxPositions(store.db, user);
  const listedWork = positions.find((each) => each.id.equals(work._id!));
  assert.equal(positions.length, 7, 'the six default mailboxes and Work');
  assert.equal(listedWork?.path, 'Work');
  assert.ok(listedWork!.highestModseq >= 2, 'created and one message');
  assert.ok(listedWork!.created instanceof Date);
  assert.ok(!positions.some((each) => each.id.equals(othersInbox._id!)));
});

test('message ids by UID leave out expunged messages and UIDs never used', async () => {
  const { user, inbox } = await newUser(store.db, 'ids@example.com');
  const first = await append(user, inbox._id!, 'first');
  const second = await append(user, inbox._id!, 'second');
  await updateFlags(ctx, user, inbox._id!, [first.uid], { action: 'add', flags: ['\\Deleted'] });
  await expungeDeleted(ctx, user, inbox._id!);

  const ids = await messageIdsByUid(store.db, inbox._id!, [first.uid, second.uid, 99]);
  assert.deepEqual([...ids], [[second.uid, second.id.toHexString()]]);
  assert.equal((await messageIdsByUid(store.db, inbox._id!, [])).size, 0);
});

test('the account log: entries with MODSEQ 0 from a time on, oldest first, at most the limit', async () => {
  const { user, inbox } = await newUser(store.db, 'account-log@example.com');
  const start = new Date(Date.now() - 1000);
  await append(user, inbox._id!, 'not in the account log');
  assert.ok((await createMailbox(store.db, user, 'Old')).ok);
  assert.ok((await renameMailbox(ctx, user, 'Old', 'New')).ok);
  await recordChanges(store.db, [
    { mailbox: inbox._id!, user, modseq: 0, kind: 'SPAM', uid: 1, flags: null },
    { mailbox: inbox._id!, user, modseq: 0, kind: 'NOT_SPAM', uid: 1, flags: null },
  ]);

  const log = await readAccountLog(store.db, user, start, 10);
  assert.deepEqual(
    log.map((entry) => entry.kind),
    ['MAILBOX_RENAMED', 'SPAM', 'NOT_SPAM'],
  );
  assert.ok(log.every((entry) => entry.user.equals(user) && entry.created instanceof Date));
  assert.deepEqual(
    (await readAccountLog(store.db, user, start, 2)).map((entry) => entry.kind),
    ['MAILBOX_RENAMED', 'SPAM'],
  );
  assert.equal((await readAccountLog(store.db, user, new Date(Date.now() + 60_000), 10)).length, 0);
  assert.equal((await readAccountLog(store.db, new ObjectId(), start, 10)).length, 0);
});

test("message summaries: the user's messages with the list fields only", async () => {
  const { user, inbox } = await newUser(store.db, 'summaries@example.com');
  const { user: other, inbox: othersInbox } = await newUser(store.db, 'other-summaries@example.com');
  const mine = await append(user, inbox._id!, 'mine');
  const theirs = await append(other, othersInbox._id!, 'theirs');

  const summaries = await findMessageSummaries(store.db, user, [mine.id, theirs.id, new ObjectId()]);
  assert.equal(summaries.length, 1);
  const [summary] = summaries;
  assert.equal(String(summary!._id), mine.id.toHexString());
  assert.equal(summary!.hdr.subject, 'mine');
  assert.equal(summary!.mime, undefined, 'no MIME tree');
  assert.equal(summary!.hdr.search, undefined, 'no search texts');
  assert.deepEqual(await findMessageSummaries(store.db, user, []), []);
});
