import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  appendMessage,
  appendMessageBatch,
  compileMatcher,
  findMailbox,
  loadListRecords,
  mailboxCounters,
  probeNewestMessages,
  readChanges,
  readListRecords,
  searchMessages,
  storeContext,
  type MessageQuery,
  type StoreContext,
} from '@wildduck/store';
import { openStore, newUser, streamOf, simpleMessage } from './support.js';

let store: TestDatabase;
let ctx: StoreContext;
before(async () => {
  store = await openStore('listrecords');
  ctx = storeContext(store.db);
});
after(async () => {
  await store.drop();
});

const withAttachment = (subject: string) =>
  Buffer.from(
    `From: Carol <carol@example.org>\r\nTo: bob@example.com\r\nSubject: ${subject}\r\nDate: Tue, 3 Nov 2026 09:00:00 +0000\r\n` +
      'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n' +
      'See the heron report.\r\n--b\r\nContent-Type: application/pdf; name="r.pdf"\r\n' +
      'Content-Disposition: attachment; filename="r.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n',
  );

test('a batch append stores every message with its search document, counters and journal entries', async () => {
  const { user, inbox } = await newUser(store.db, 'batch@example.com');
  const outcome = await appendMessageBatch(ctx, user, inbox._id!, [
    { message: streamOf(simpleMessage('One', 'first body')), flags: ['\\Seen'] },
    { message: streamOf(simpleMessage('Two', 'second body')), flags: [] },
    { message: streamOf(withAttachment('Three')), flags: ['\\Flagged'] },
  ]);
  assert.ok(outcome.ok);
  assert.equal(outcome.firstUid, 1);
  const counters = await mailboxCounters(store.db, (await findMailbox(store.db, user, 'INBOX'))!);
  assert.equal(counters.messages, 3);
  assert.equal(counters.unseen, 2);
  const messages = await store.db.collection('messages').find({ mailbox: inbox._id }).toArray();
  assert.deepEqual(messages.map((message) => message.uid).sort(), [1, 2, 3]);
  assert.equal(
    counters.size,
    messages.reduce((sum, message) => sum + (message.size as number), 0),
  );
  const userDocument = await store.db.collection('users').findOne({ _id: user });
  assert.equal(Number(userDocument?.storageUsed), counters.size);
  assert.equal(await store.db.collection('messageSearch').countDocuments({ mailbox: inbox._id }), 3);
  const journal = await readChanges(store.db, inbox._id!, 0);
  assert.deepEqual(
    journal?.entries.filter((entry) => entry.uid !== null).map((entry) => [entry.kind, entry.uid]),
    [
      ['EXISTS', 1],
      ['EXISTS', 2],
      ['EXISTS', 3],
    ],
  );
  // and appendMessage goes on from there
  const next = await appendMessage(ctx, user, inbox._id!, streamOf(simpleMessage('Four')));
  assert.ok(next.ok && next.uid === 4);
});

test('a batch that does not fit the quota stores nothing', async () => {
  const { user, inbox } = await newUser(store.db, 'batchquota@example.com', 600);
  const outcome = await appendMessageBatch(ctx, user, inbox._id!, [
    { message: streamOf(simpleMessage('A', 'x'.repeat(200))) },
    { message: streamOf(simpleMessage('B', 'y'.repeat(200))) },
    { message: streamOf(simpleMessage('C', 'z'.repeat(200))) },
  ]);
  assert.deepEqual(outcome, { ok: false, code: 'OVERQUOTA' });
  assert.equal(await store.db.collection('messages').countDocuments({ mailbox: inbox._id }), 0);
  assert.equal((await mailboxCounters(store.db, (await findMailbox(store.db, user, 'INBOX'))!)).messages, 0);
});

test('list records carry the list fields, and searching them in memory answers as the store does', async () => {
  const { user, inbox } = await newUser(store.db, 'records@example.com');
  const mailbox = inbox._id!;
  const outcome = await appendMessageBatch(ctx, user, mailbox, [
    {
      message: streamOf(simpleMessage('Quarterly report', 'The kingfisher flew.', 'ann@example.org')),
      flags: ['\\Seen'],
      internalDate: new Date('2026-01-05T10:00:00Z'),
    },
    {
      message: streamOf(simpleMessage('Lunch', 'Soup today.', 'ben@example.net')),
      internalDate: new Date('2026-02-07T10:00:00Z'),
    },
    {
      message: streamOf(withAttachment('Heron')),
      flags: ['\\Flagged'],
      internalDate: new Date('2026-03-01T10:00:00Z'),
    },
  ]);
  assert.ok(outcome.ok);
  const records = await loadListRecords(store.db, mailbox, ctx.locks);
  assert.ok(records);
  const byUid = new Map(records.map((record) => [record.view.uid, record]));
  assert.equal(byUid.get(1)?.view.hdr.subject, 'Quarterly report');
  assert.deepEqual(byUid.get(1)?.view.hdr.from, [{ name: 'Alice', address: 'ann@example.org' }]);
  assert.match(byUid.get(1)?.view.snippet ?? '', /The kingfisher flew/);
  assert.equal(byUid.get(3)?.view.hasAttachments, true);
  assert.deepEqual(
    (await readListRecords(store.db, mailbox, [2, 9])).map((record) => record.view.hdr.subject),
    ['Lunch'],
  );

  const queries: MessageQuery[] = [
    { type: 'all' },
    { type: 'text', value: 'KINGFISHER' },
    { type: 'text', value: 'ben@example' },
    { type: 'body', value: 'heron' },
    { type: 'header', field: 'from', value: 'carol' },
    { type: 'header', field: 'subject', value: 'report' },
    { type: 'header', field: 'content-type', value: 'multipart' },
    { type: 'header', field: 'x-missing', value: '' },
    { type: 'flag', flag: '\\Seen', set: false },
    {
      type: 'and',
      keys: [
        { type: 'flag', flag: '\\Flagged', set: true },
        { type: 'hasAttachment', set: true },
      ],
    },
    { type: 'or', left: { type: 'uid', uids: [1] }, right: { type: 'size', op: 'larger', value: 400 } },
    { type: 'not', key: { type: 'text', value: 'soup' } },
    { type: 'internalDate', op: 'since', date: new Date('2026-02-07T00:00:00Z') },
    { type: 'internalDate', op: 'on', date: new Date('2026-01-05T00:00:00Z') },
    { type: 'sentDate', op: 'before', date: new Date('2026-11-03T00:00:00Z') },
  ];
  for (const query of queries) {
    const matches = compileMatcher(query);
    const inMemory = records
      .filter((record) => matches(record.match))
      .map((record) => record.view.uid)
      .sort((a, b) => a - b);
    assert.deepEqual(inMemory, await searchMessages(store.db, mailbox, query), JSON.stringify(query));
  }
});

test('the newest messages are found by point reads from the top, and not in a mailbox of gaps', async () => {
  const { user, inbox } = await newUser(store.db, 'probe@example.com');
  const mailbox = inbox._id!;
  const batch = Array.from({ length: 6 }, (_, index) => ({
    message: streamOf(simpleMessage(`P${index + 1}`)),
  }));
  assert.ok((await appendMessageBatch(ctx, user, mailbox, batch)).ok);
  const top = await probeNewestMessages(store.db, mailbox, 7, 4, 20);
  assert.deepEqual(
    top?.messages.map((message) => message.hdr.subject),
    ['P6', 'P5', 'P4', 'P3'],
  );
  assert.equal(top?.reachedStart, false);
  const rest = await probeNewestMessages(store.db, mailbox, 3, 4, 20);
  assert.deepEqual(
    rest?.messages.map((message) => message.uid),
    [2, 1],
  );
  assert.equal(rest?.reachedStart, true);
  // more reads than allowed: the caller lists the mailbox another way
  assert.equal(await probeNewestMessages(store.db, mailbox, 1_000, 4, 20), null);
});
