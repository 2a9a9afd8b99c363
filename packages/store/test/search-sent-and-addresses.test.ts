// SENTBEFORE / SENTON / SENTSINCE compare the date of the Date header as written, disregarding its
// time and zone (RFC 3501 6.4.4), and FROM / TO / CC / BCC match the display name, mailbox and
// domain of every address line, group names and decoded encoded-words included. Also for messages
// stored before (their search documents are rebuilt once, from the stored envelope).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectId } from 'mongodb';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  appendMessage,
  createMailbox,
  searchMessages,
  storeContext,
  type MessageQuery,
  type StoreContext,
} from '@wildduck/store';
import { openStore, newUser, streamOf } from './support.js';

let store: TestDatabase;
let ctx: StoreContext;
let user: ObjectId;
let inbox: ObjectId;
before(async () => {
  store = await openStore('searchsent');
  ctx = storeContext(store.db);
  const created = await newUser(store.db, 'sent@example.com');
  user = created.user;
  inbox = created.inbox._id!;
});
after(async () => {
  await store.drop();
});

const day = (text: string): Date => new Date(`${text}T00:00:00Z`);
const sent = (op: 'before' | 'on' | 'since', date: string): MessageQuery => ({
  type: 'sentDate',
  op,
  date: day(date),
});
const header = (field: string, value: string): MessageQuery => ({ type: 'header', field, value });

/** Dates whose zone puts the instant on another UTC day than the one written. */
const dated = [
  'Mon, 1 Jan 2024 23:30:00 -0800', // 2 Jan in UTC
  'Tue, 2 Jan 2024 00:15:00 +0100', // 1 Jan in UTC
  'Wed, 3 Jan 2024 12:00:00 +0000',
  '4 Jan 24 23:59:59 -1200 (two-digit year, no weekday)', // 5 Jan in UTC
];

async function mailbox(path: string): Promise<ObjectId> {
  const outcome = await createMailbox(store.db, user, path);
  assert.ok(outcome.ok && outcome.mailbox);
  return outcome.mailbox;
}

async function append(mailbox: ObjectId, raw: string): Promise<number> {
  const outcome = await appendMessage(ctx, user, mailbox, streamOf(Buffer.from(raw)));
  assert.ok(outcome.ok);
  return outcome.uid;
}

async function fillDates(mailbox: ObjectId): Promise<void> {
  for (const [index, date] of dated.entries())
    await append(mailbox, `From: a@example.com\r\nSubject: date ${index}\r\nDate: ${date}\r\n\r\nbody\r\n`);
}

async function assertSentDays(mailbox: ObjectId): Promise<void> {
  const search = (query: MessageQuery) => searchMessages(store.db, mailbox, query, ctx.locks);
  assert.deepEqual(await search(sent('on', '2024-01-01')), [1]);
  assert.deepEqual(await search(sent('on', '2024-01-02')), [2]);
  assert.deepEqual(await search(sent('on', '2024-01-04')), [4]);
  assert.deepEqual(await search(sent('before', '2024-01-02')), [1]);
  assert.deepEqual(await search(sent('before', '2024-01-03')), [1, 2]);
  assert.deepEqual(await search(sent('since', '2024-01-02')), [2, 3, 4]);
  assert.deepEqual(await search(sent('since', '2024-01-05')), []);
}

test('SENTON / SENTBEFORE / SENTSINCE use the day written in the Date header, not its UTC day', async () => {
  await fillDates(inbox);
  await assertSentDays(inbox);
});

test('address keys match every line, group names, names, mailboxes and domains', async () => {
  const box = await mailbox('Addresses');
  await append(
    box,
    [
      'From: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <juergen@example.de>',
      'To: first@example.com',
      'To: Project Team: alice@team.example, "Bob B." <bob@team.example>;',
      'Cc: undisclosed-recipients:;',
      'Cc: "Zoë" <zoe@example.org>',
      'Bcc: =?UTF-8?Q?Gr=C3=BCppe?=: dave@hidden.example;',
      'Subject: addresses',
      '',
      'body',
      '',
    ].join('\r\n'),
  );
  const matches = async (field: string, value: string) =>
    (await searchMessages(store.db, box, header(field, value), ctx.locks)).length === 1;
  for (const [field, value] of [
    ['from', 'jürgen müller'],
    ['from', 'JUERGEN@example'],
    ['from', 'example.de'],
    ['to', 'first@example.com'],
    ['to', 'project team'],
    ['to', 'bob b.'],
    ['to', 'alice@team'],
    ['cc', 'undisclosed-recipients'],
    ['cc', 'zoë'],
    ['cc', 'example.org'],
    ['bcc', 'grüppe'],
    ['bcc', 'dave@hidden.example'],
  ])
    assert.ok(await matches(field!, value!), `${field} ${value}`);
  for (const [field, value] of [
    ['from', 'first'],
    ['to', 'zoe'],
    ['cc', 'alice'],
  ])
    assert.ok(!(await matches(field!, value!)), `not ${field} ${value}`);
});

test('messages stored before the sent day existed answer the same once their search documents are rebuilt', async () => {
  const box = await mailbox('Older');
  await fillDates(box);
  // what an older store kept: no sent day, and a mailbox marked with the first search layout
  await store.db.collection('messages').updateMany({ mailbox: box }, { $unset: { 'hdr.sentDay': '' } });
  await store.db.collection('messageSearch').deleteMany({ mailbox: box });
  await store.db.collection('mailboxes').updateOne({ _id: box }, { $set: { searchVersion: 1 } });
  await assertSentDays(box);
});
