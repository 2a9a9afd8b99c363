import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectId } from 'mongodb';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  appendMessage,
  copyMessages,
  moveMessages,
  expungeDeleted,
  updateFlags,
  createMailbox,
  findMailbox,
  findMailboxById,
  mailboxCounters,
  storeContext,
  toNumber,
  type StoreContext,
} from '@wildduck/store';
import { openStore, newUser, streamOf, simpleMessage } from './support.js';

let store: TestDatabase;
let ctx: StoreContext;
before(async () => {
  store = await openStore('counters');
  ctx = storeContext(store.db);
});
after(async () => {
  await store.drop();
});

/** The counters as stored in the mailbox document. */
async function stored(user: ObjectId, mailbox: ObjectId) {
  const box = (await findMailboxById(store.db, user, mailbox))!;
  return { messages: toNumber(box.messages), unseen: toNumber(box.unseen), size: toNumber(box.size) };
}

/** The counters recounted from the messages themselves. */
async function recount(mailbox: ObjectId) {
  const documents = await store.db.collection('messages').find({ mailbox }).toArray();
  return {
    messages: documents.length,
    unseen: documents.filter((document) => !(document.flags as string[]).includes('\\Seen')).length,
    size: documents.reduce((sum, document) => sum + toNumber(document.size), 0),
  };
}

test('the counters in the mailbox document equal a recount after appends, copies, moves, flag changes and expunges', async () => {
  const { user, inbox } = await newUser(store.db, 'counting@example.com');
  assert.ok((await createMailbox(store.db, user, 'Work')).ok);
  const work = (await findMailbox(store.db, user, 'Work'))!._id!;
  const archive = (await findMailbox(store.db, user, 'Archive'))!._id!;
  const boxes = [inbox._id!, work, archive];
  const check = async (step: string) => {
    for (const box of boxes) assert.deepEqual(await stored(user, box), await recount(box), `${step}: ${box}`);
  };
  await check('new mailboxes');

  for (let index = 0; index < 8; index++) {
    const flags = index % 3 === 0 ? ['\\Seen'] : index % 3 === 1 ? ['\\Flagged'] : [];
    const outcome = await appendMessage(
      ctx,
      user,
      inbox._id!,
      streamOf(simpleMessage(`message ${index}`, 'x'.repeat(100 * index))),
      { flags },
    );
    assert.ok(outcome.ok);
  }
  await check('appends');

  await updateFlags(ctx, user, inbox._id!, [1, 2, 3], { action: 'add', flags: ['\\Seen'] });
  await updateFlags(ctx, user, inbox._id!, [4], { action: 'remove', flags: ['\\SEEN'] });
  await updateFlags(ctx, user, inbox._id!, [5, 6], { action: 'replace', flags: ['\\Answered'] });
  await updateFlags(ctx, user, inbox._id!, [7, 8], { action: 'add', flags: ['\\Deleted'] });
  await check('flag changes');

  assert.ok((await copyMessages(ctx, user, inbox._id!, [1, 2, 4, 5, 99], work)).ok);
  await check('copy');
  assert.ok((await moveMessages(ctx, user, inbox._id!, [3, 4, 7], archive)).ok);
  await check('move');
  // the moved \Deleted message is expunged in Archive, the other one in INBOX
  assert.deepEqual(await expungeDeleted(ctx, user, inbox._id!), [8]);
  assert.equal((await expungeDeleted(ctx, user, archive)).length, 1);
  await check('expunge');
  await updateFlags(ctx, user, work, [1, 2, 3, 4], { action: 'add', flags: ['\\Seen'] });
  assert.ok((await moveMessages(ctx, user, work, [1, 2, 3, 4], inbox._id!)).ok);
  await check('move back');

  const counters = await mailboxCounters(store.db, (await findMailboxById(store.db, user, inbox._id!))!);
  assert.deepEqual(
    { messages: counters.messages, unseen: counters.unseen, size: counters.size },
    await recount(inbox._id!),
  );
});

test('a mailbox stored before the counters existed gets them computed once, and then kept', async () => {
  const { user, inbox } = await newUser(store.db, 'old-counters@example.com');
  for (let index = 0; index < 4; index++)
    await appendMessage(ctx, user, inbox._id!, streamOf(simpleMessage(`old ${index}`)), {
      flags: index < 2 ? ['\\Seen'] : [],
    });
  const forget = () =>
    store.db
      .collection('mailboxes')
      .updateOne({ _id: inbox._id! }, { $unset: { messages: '', unseen: '', size: '' } });

  // read without locks: counted, not stored
  await forget();
  const counted = await mailboxCounters(store.db, (await findMailboxById(store.db, user, inbox._id!))!);
  assert.deepEqual(
    { messages: counted.messages, unseen: counted.unseen, size: counted.size },
    await recount(inbox._id!),
  );
  // read with locks: computed and stored
  const locked = await mailboxCounters(
    store.db,
    (await findMailboxById(store.db, user, inbox._id!))!,
    ctx.locks,
  );
  assert.equal(locked.messages, 4);
  assert.deepEqual(await stored(user, inbox._id!), await recount(inbox._id!));

  // each kind of write on a mailbox without counters computes them first, then applies its change
  await forget();
  await appendMessage(ctx, user, inbox._id!, streamOf(simpleMessage('new one')));
  assert.deepEqual(await stored(user, inbox._id!), await recount(inbox._id!), 'append');
  await forget();
  await updateFlags(ctx, user, inbox._id!, [1], { action: 'remove', flags: ['\\Seen'] });
  assert.deepEqual(await stored(user, inbox._id!), await recount(inbox._id!), 'flags');
  await forget();
  await updateFlags(ctx, user, inbox._id!, [2, 3], { action: 'add', flags: ['\\Deleted'] });
  await forget();
  assert.deepEqual(await expungeDeleted(ctx, user, inbox._id!), [2, 3]);
  assert.deepEqual(await stored(user, inbox._id!), await recount(inbox._id!), 'expunge');
  const trash = (await findMailbox(store.db, user, 'Trash'))!._id!;
  await forget();
  assert.ok((await moveMessages(ctx, user, inbox._id!, [1], trash)).ok);
  assert.deepEqual(await stored(user, inbox._id!), await recount(inbox._id!), 'move source');
  assert.deepEqual(await stored(user, trash), await recount(trash), 'move destination');
});
