import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  appendMessage,
  copyMessages,
  moveMessages,
  expungeDeleted,
  updateFlags,
  findMailbox,
  listMessagePage,
  searchFilter,
  searchMessages,
  storeContext,
  type MessageQuery,
  type StoreContext,
} from '@wildduck/store';
import { SEARCH_VERSION } from '../src/search-index.js';
import { openStore, newUser, streamOf, simpleMessage } from './support.js';

let store: TestDatabase;
let ctx: StoreContext;
before(async () => {
  store = await openStore('searchscope');
  ctx = storeContext(store.db);
});
after(async () => {
  await store.drop();
});

const from = (value: string): MessageQuery => ({ type: 'header', field: 'from', value });
const body = (value: string): MessageQuery => ({ type: 'body', value });
const unseen: MessageQuery = { type: 'flag', flag: '\\Seen', set: false };
const flagged: MessageQuery = { type: 'flag', flag: '\\Flagged', set: true };

test('search filters keep mailbox as a top-level equality and wrap nothing in a top-level $and', () => {
  const id = new ObjectId();
  const cases: MessageQuery[] = [
    { type: 'all' },
    { type: 'uid', uids: [7] },
    { type: 'and', keys: [unseen, from('a'), { type: 'uid', uids: [1, 2, 3, 9] }] },
    {
      type: 'and',
      keys: [
        { type: 'uid', uids: [1, 2] },
        { type: 'uid', uids: [2, 3] },
      ],
    },
    { type: 'or', left: from('a'), right: flagged },
    { type: 'not', key: body('x') },
  ];
  for (const query of cases) {
    const filter = searchFilter(id, query);
    assert.equal(filter.mailbox, id, JSON.stringify(query));
    assert.ok(!('$and' in filter) || Object.keys(filter).length > 2, 'an $and only beside other keys');
  }
  // a single UID is a plain equality, and criteria on distinct fields sit side by side
  assert.deepEqual(searchFilter(id, { type: 'uid', uids: [7] }), { mailbox: id, uid: 7 });
  assert.deepEqual(searchFilter(id, { type: 'and', keys: [unseen, flagged] }), {
    mailbox: id,
    flags: { $ne: '\\Seen' },
    $and: [{ flags: '\\Flagged' }],
  });
});

test('a SEARCH in a small mailbox finds only its own messages while another user holds many matching ones', async () => {
  const big = await newUser(store.db, 'big-searcher@example.com');
  for (let index = 0; index < 150; index++) {
    const outcome = await appendMessage(
      ctx,
      big.user,
      big.inbox._id!,
      streamOf(simpleMessage(`bulk ${index}`, `needle haystack ${index}`, 'sender@shared.example')),
    );
    assert.ok(outcome.ok);
  }
  const small = await newUser(store.db, 'small-searcher@example.com');
  const messages = [
    simpleMessage('One', 'a needle in here', 'sender@shared.example'),
    simpleMessage('Two', 'nothing', 'other@elsewhere.example'),
    simpleMessage('Three', 'another NEEDLE', 'other@elsewhere.example'),
    simpleMessage('Four', 'plain', 'sender@shared.example'),
  ];
  for (const [index, bytes] of messages.entries())
    await appendMessage(ctx, small.user, small.inbox._id!, streamOf(bytes), {
      flags: index === 0 ? ['\\Seen'] : index === 3 ? ['\\Flagged'] : [],
    });
  const search = (query: MessageQuery) => searchMessages(store.db, small.inbox._id!, query);

  assert.deepEqual(await search(from('shared.example')), [1, 4]);
  assert.deepEqual(await search(body('needle')), [1, 3]);
  assert.deepEqual(await search({ type: 'text', value: 'needle' }), [1, 3]);
  assert.deepEqual(await search({ type: 'header', field: 'subject', value: 'thr' }), [3]);
  assert.deepEqual(
    await search({ type: 'header', field: 'content-type', value: 'text/plain' }),
    [1, 2, 3, 4],
  );
  // text and flags together: the text part narrows, the flags are checked on the messages
  assert.deepEqual(await search({ type: 'and', keys: [from('shared.example'), unseen] }), [4]);
  assert.deepEqual(
    await search({ type: 'and', keys: [body('needle'), unseen, { type: 'uid', uids: [1, 2, 3] }] }),
    [3],
  );
  // text inside OR and NOT
  assert.deepEqual(await search({ type: 'or', left: body('needle'), right: flagged }), [1, 3, 4]);
  assert.deepEqual(await search({ type: 'not', key: from('shared.example') }), [2, 3]);
  assert.deepEqual(
    await search({ type: 'and', keys: [{ type: 'not', key: body('needle') }, unseen] }),
    [2, 4],
  );
  assert.deepEqual(await search({ type: 'and', keys: [body('nowhere'), unseen] }), []);
  // the webmail page of the same search
  const page = await listMessagePage(store.db, small.inbox._id!, body('needle'), { first: 1 });
  assert.deepEqual(
    page.messages.map((message) => message.uid),
    [3],
  );
  assert.equal(page.totalCount, 2);
  assert.equal(page.hasNextPage, true);
  const next = await listMessagePage(store.db, small.inbox._id!, body('needle'), { first: 1, beforeUid: 3 });
  assert.deepEqual(
    next.messages.map((message) => message.uid),
    [1],
  );
  assert.equal(next.hasNextPage, false);
  // and the big mailbox still finds its own
  assert.equal((await searchMessages(store.db, big.inbox._id!, from('shared.example'))).length, 150);
});

test('text search follows copies, moves and expunges', async () => {
  const { user, inbox } = await newUser(store.db, 'search-follows@example.com');
  for (const word of ['apple', 'banana', 'cherry'])
    await appendMessage(ctx, user, inbox._id!, streamOf(simpleMessage(word, `fruit ${word}`)));
  const archive = (await findMailbox(store.db, user, 'Archive'))!._id!;
  const trash = (await findMailbox(store.db, user, 'Trash'))!._id!;
  assert.ok((await copyMessages(ctx, user, inbox._id!, [1, 2], archive)).ok);
  assert.ok((await moveMessages(ctx, user, inbox._id!, [2], trash)).ok);
  await updateFlags(ctx, user, archive, [1], { action: 'add', flags: ['\\Deleted'] });
  assert.deepEqual(await expungeDeleted(ctx, user, archive), [1]);

  assert.deepEqual(await searchMessages(store.db, inbox._id!, body('fruit')), [1, 3]);
  assert.deepEqual(await searchMessages(store.db, archive, body('fruit')), [2]);
  assert.deepEqual(await searchMessages(store.db, archive, body('banana')), [2]);
  assert.deepEqual(await searchMessages(store.db, trash, body('banana')), [1]);
  assert.deepEqual(await searchMessages(store.db, inbox._id!, body('banana')), []);
  const left = await store.db.collection('messageSearch').countDocuments({ user });
  assert.equal(left, 4, 'one search document per stored message');
});

test('a mailbox from before the search collection is searched in the messages, and filled in once locks are given', async () => {
  const { user, inbox } = await newUser(store.db, 'search-old@example.com');
  for (const word of ['kiwi', 'lemon'])
    await appendMessage(ctx, user, inbox._id!, streamOf(simpleMessage(word, `citrus ${word}`)));
  // as stored before: no search documents and no mark
  await store.db.collection('messageSearch').deleteMany({ mailbox: inbox._id! });
  await store.db.collection('mailboxes').updateOne({ _id: inbox._id! }, { $unset: { searchVersion: '' } });

  assert.deepEqual(await searchMessages(store.db, inbox._id!, body('lemon')), [2]);
  assert.equal(await store.db.collection('messageSearch').countDocuments({ mailbox: inbox._id! }), 0);
  assert.deepEqual(await searchMessages(store.db, inbox._id!, body('citrus'), ctx.locks), [1, 2]);
  assert.equal(await store.db.collection('messageSearch').countDocuments({ mailbox: inbox._id! }), 2);
  const box = await store.db.collection('mailboxes').findOne({ _id: inbox._id! });
  assert.equal(box?.searchVersion, SEARCH_VERSION);
  await appendMessage(ctx, user, inbox._id!, streamOf(simpleMessage('lime', 'citrus lime')));
  assert.deepEqual(await searchMessages(store.db, inbox._id!, body('citrus')), [1, 2, 3]);

  // an older layout (here: a stale document and another version mark) is rebuilt before use
  await store.db
    .collection('messageSearch')
    .updateOne({ mailbox: inbox._id!, uid: 1 }, { $set: { flags: ['\\Seen'] } });
  await store.db.collection('mailboxes').updateOne({ _id: inbox._id! }, { $set: { searchVersion: 0 } });
  assert.deepEqual(
    await searchMessages(store.db, inbox._id!, { type: 'and', keys: [body('citrus'), unseen] }),
    [1, 2, 3],
  );
  assert.deepEqual(
    await searchMessages(store.db, inbox._id!, { type: 'and', keys: [body('citrus'), unseen] }, ctx.locks),
    [1, 2, 3],
  );
  assert.equal(await store.db.collection('messageSearch').countDocuments({ mailbox: inbox._id! }), 3);
});

test('the search documents follow flag changes, so text and flags are answered together', async () => {
  const { user, inbox } = await newUser(store.db, 'search-flags@example.com');
  for (const word of ['red', 'green', 'blue'])
    await appendMessage(ctx, user, inbox._id!, streamOf(simpleMessage(word, `colour ${word}`)));
  await updateFlags(ctx, user, inbox._id!, [2], { action: 'add', flags: ['\\Seen', '\\Deleted'] });
  await updateFlags(ctx, user, inbox._id!, [3], { action: 'add', flags: ['\\Flagged'] });
  const undeleted: MessageQuery = { type: 'flag', flag: '\\Deleted', set: false };
  assert.deepEqual(
    await searchMessages(store.db, inbox._id!, { type: 'and', keys: [undeleted, body('colour')] }),
    [1, 3],
  );
  assert.deepEqual(
    await searchMessages(store.db, inbox._id!, { type: 'and', keys: [unseen, body('colour')] }),
    [1, 3],
  );
  assert.deepEqual(
    await searchMessages(store.db, inbox._id!, { type: 'or', left: flagged, right: body('green') }),
    [2, 3],
  );
  const changed = await searchMessages(store.db, inbox._id!, { type: 'modseq', modseq: 5 });
  assert.deepEqual(changed, [2, 3]);
  const search = await store.db.collection('messageSearch').findOne({ mailbox: inbox._id!, uid: 3 });
  const message = await store.db.collection('messages').findOne({ mailbox: inbox._id!, uid: 3 });
  assert.deepEqual(search?.flags, message?.flags);
  assert.equal(Number(search?.modseq), Number(message?.modseq));
});
