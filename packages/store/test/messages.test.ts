import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  appendMessage,
  copyMessages,
  moveMessages,
  expungeDeleted,
  updateFlags,
  searchMessages,
  readMessages,
  storageUsage,
  listParts,
  createMailbox,
  findMailbox,
  snapshotMailbox,
  readChanges,
  toNumber,
  storeContext,
  deleteMailboxAndMessages,
  type StoreContext,
} from '@wildduck/store';
import { openStore, newUser, streamOf, storedBytes, corpus, simpleMessage } from './support.js';

let store: TestDatabase;
let ctx: StoreContext;
before(async () => {
  store = await openStore('messages');
  ctx = storeContext(store.db);
});
after(async () => {
  await store.drop();
});

test('every corpus message comes back byte for byte, with small and large bodies', async () => {
  const { user, inbox } = await newUser(store.db, 'corpus@example.com');
  for (const { name, bytes } of corpus()) {
    for (const largeBodyThreshold of [128 * 1024, 16]) {
      const result = await appendMessage(
        storeContext(store.db, undefined, { largeBodyThreshold }),
        user,
        inbox._id!,
        streamOf(bytes, 777),
      );
      assert.ok(result.ok, name);
      assert.equal(result.size, bytes.length, `${name} size`);
      const back = await storedBytes(store.db, inbox._id!, result.uid);
      assert.ok(back.equals(bytes), `${name} (threshold ${largeBodyThreshold}) round trip`);
    }
  }
  const usage = await storageUsage(store.db, user);
  const total = corpus().reduce((sum, { bytes }) => sum + bytes.length * 2, 0);
  assert.equal(usage?.storageUsed, total);
});

test('UIDs and MODSEQs strictly increase, and each append journals EXISTS', async () => {
  const { user, inbox } = await newUser(store.db, 'uids@example.com');
  const results = [];
  for (let index = 0; index < 5; index++) {
    results.push(await appendMessage(ctx, user, inbox._id!, streamOf(simpleMessage(`m${index}`))));
  }
  const uids = results.map((result) => (result.ok ? result.uid : -1));
  assert.deepEqual(uids, [1, 2, 3, 4, 5]);
  const changes = await readChanges(store.db, inbox._id!, 0);
  assert.deepEqual(
    changes?.entries.map((entry) => [entry.kind, entry.uid, entry.modseq]),
    [['MAILBOX_CREATED', null, 1], ...[1, 2, 3, 4, 5].map((uid) => ['EXISTS', uid, uid + 1])],
  );
});

test('concurrent appends to one mailbox get distinct, increasing UIDs and an exact storage counter', async () => {
  const { user, inbox } = await newUser(store.db, 'concurrent@example.com');
  const messages = Array.from({ length: 40 }, (_, index) =>
    simpleMessage(`c${index}`, 'x'.repeat(index * 37)),
  );
  const results = await Promise.all(
    messages.map((bytes) => appendMessage(ctx, user, inbox._id!, streamOf(bytes))),
  );
  const uids = results.map((result) => (result.ok ? result.uid : -1)).sort((a, b) => a - b);
  assert.deepEqual(
    uids,
    Array.from({ length: 40 }, (_, index) => index + 1),
  );
  const usage = await storageUsage(store.db, user);
  assert.equal(
    usage?.storageUsed,
    messages.reduce((sum, bytes) => sum + bytes.length, 0),
  );
});

test('an identical attachment is stored once in GridFS and released when the last copy goes', async () => {
  const { user, inbox } = await newUser(store.db, 'dedup@example.com');
  const attachment = randomBytes(300 * 1024)
    .toString('base64')
    .replace(/.{76}/g, '$&\r\n');
  const message = Buffer.from(
    `From: a@example.com\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=x.bin\r\n\r\n${attachment}\r\n--b--\r\n`,
  );
  const known = new Set((await listParts(store.db)).map((part) => part.ref));
  const first = await appendMessage(ctx, user, inbox._id!, streamOf(message));
  const second = await appendMessage(ctx, user, inbox._id!, streamOf(message));
  assert.ok(first.ok && second.ok);
  const added = (await listParts(store.db)).filter((part) => !known.has(part.ref));
  assert.equal(added.length, 1, 'the attachment is stored once');
  const shared = added[0]!;
  assert.equal(shared.refs, 2, 'with two references');

  const archive = await findMailbox(store.db, user, 'Archive');
  const copied = await copyMessages(ctx, user, inbox._id!, [first.uid], archive!._id!);
  assert.ok(copied.ok);
  assert.equal((await listParts(store.db)).find((part) => part.ref === shared.ref)?.refs, 3);

  await updateFlags(ctx, user, inbox._id!, [first.uid, second.uid], { action: 'add', flags: ['\\Deleted'] });
  assert.deepEqual(await expungeDeleted(ctx, user, inbox._id!), [first.uid, second.uid]);
  assert.equal((await listParts(store.db)).find((part) => part.ref === shared.ref)?.refs, 1);
  await updateFlags(ctx, user, archive!._id!, [copied.ok ? copied.mapping[0]![1] : 0], {
    action: 'add',
    flags: ['\\Deleted'],
  });
  await expungeDeleted(ctx, user, archive!._id!);
  assert.equal(
    (await listParts(store.db)).find((part) => part.ref === shared.ref),
    undefined,
    'the part is deleted',
  );
  assert.equal((await storageUsage(store.db, user))?.storageUsed, 0);
  assert.equal(await store.db.collection('parts.files').countDocuments({ 'metadata.hash': shared.ref }), 0);
});

test('storage stays exact under appends, copies, moves and expunges', async () => {
  const { user, inbox } = await newUser(store.db, 'exact@example.com');
  const trash = (await findMailbox(store.db, user, 'Trash'))!;
  const sizes: number[] = [];
  for (let index = 0; index < 6; index++) {
    const bytes = simpleMessage(`s${index}`, 'y'.repeat(1000 * index));
    sizes.push(bytes.length);
    await appendMessage(ctx, user, inbox._id!, streamOf(bytes));
  }
  const sum = async () => {
    const [row] = await store.db
      .collection('messages')
      .aggregate([{ $match: { user } }, { $group: { _id: null, size: { $sum: '$size' } } }])
      .toArray();
    return toNumber(row?.size ?? 0);
  };
  await copyMessages(ctx, user, inbox._id!, [1, 2, 3], trash._id!);
  await moveMessages(ctx, user, inbox._id!, [4, 5], trash._id!);
  await updateFlags(ctx, user, trash._id!, [1, 2], { action: 'add', flags: ['\\Deleted'] });
  await expungeDeleted(ctx, user, trash._id!);
  assert.equal((await storageUsage(store.db, user))?.storageUsed, await sum());
  assert.equal(
    await sum(),
    sizes.reduce((a, b) => a + b, 0) + sizes[0]! + sizes[1]! + sizes[2]! - sizes[0]! - sizes[1]!,
  );
});

test('the quota is enforced: a message that does not fit is refused and nothing is stored', async () => {
  const small = simpleMessage('fits', 'a'.repeat(500));
  const { user, inbox } = await newUser(store.db, 'quota@example.com', small.length + 100);
  const first = await appendMessage(ctx, user, inbox._id!, streamOf(small));
  assert.ok(first.ok);
  // the reservation's reading, for the admin feed: still under 90 % of the quota, no warning
  assert.deepEqual(first.quota, { storageUsed: small.length, quota: small.length + 100, warning: false });
  const partsBefore = (await listParts(store.db)).length;
  const big = simpleMessage('too big', 'b'.repeat(300 * 1024));
  assert.deepEqual(await appendMessage(ctx, user, inbox._id!, streamOf(big)), {
    ok: false,
    code: 'OVERQUOTA',
    quota: { storageUsed: small.length, quota: small.length + 100, warning: true },
  });
  assert.deepEqual(await appendMessage(ctx, user, inbox._id!, streamOf(big), { expectedSize: big.length }), {
    ok: false,
    code: 'OVERQUOTA',
  });
  assert.equal(await store.db.collection('messages').countDocuments({ user }), 1);
  assert.equal((await listParts(store.db)).length, partsBefore, 'no orphaned part');
  assert.equal((await storageUsage(store.db, user))?.storageUsed, small.length);
  const archive = (await findMailbox(store.db, user, 'Archive'))!;
  assert.deepEqual(await copyMessages(ctx, user, inbox._id!, [1], archive._id!), {
    ok: false,
    code: 'OVERQUOTA',
  });
});

test('a message larger than the limit is refused as TOOBIG with nothing left behind', async () => {
  const { user, inbox } = await newUser(store.db, 'toobig@example.com');
  const partsBefore = (await listParts(store.db)).length;
  const big = simpleMessage('huge', 'z'.repeat(400 * 1024));
  const result = await appendMessage(
    storeContext(store.db, undefined, { largeBodyThreshold: 1024, maxMessageSize: 200 * 1024 }),
    user,
    inbox._id!,
    streamOf(big),
  );
  assert.deepEqual(result, { ok: false, code: 'TOOBIG' });
  assert.equal((await listParts(store.db)).length, partsBefore);
  assert.equal((await storageUsage(store.db, user))?.storageUsed, 0);
});

test('flags: add, remove, replace, UNCHANGEDSINCE, and MODSEQ only moves on a real change', async () => {
  const { user, inbox } = await newUser(store.db, 'flags@example.com');
  await appendMessage(ctx, user, inbox._id!, streamOf(simpleMessage('f1')), {
    flags: ['\\seen', '$Label1', '\\Recent'],
  });
  const [first] = await collect(readMessages(store.db, inbox._id!, [1], { flags: true, modseq: true }));
  assert.deepEqual(first?.flags, ['\\Seen', '$Label1']);
  const added = await updateFlags(ctx, user, inbox._id!, [1], { action: 'add', flags: ['\\Flagged'] });
  assert.deepEqual(added.updated[0]?.flags, ['\\Seen', '$Label1', '\\Flagged']);
  assert.ok(added.updated[0]!.modseq > first!.modseq!);
  const again = await updateFlags(ctx, user, inbox._id!, [1], { action: 'add', flags: ['\\flagged'] });
  assert.equal(again.updated[0]?.changed, false);
  assert.equal(again.updated[0]?.modseq, added.updated[0]!.modseq);
  const removed = await updateFlags(ctx, user, inbox._id!, [1], { action: 'remove', flags: ['$label1'] });
  assert.deepEqual(removed.updated[0]?.flags, ['\\Seen', '\\Flagged']);
  const conditional = await updateFlags(ctx, user, inbox._id!, [1], {
    action: 'replace',
    flags: [],
    unchangedSince: first!.modseq!,
  });
  assert.deepEqual(conditional.modified, [1]);
  const replaced = await updateFlags(ctx, user, inbox._id!, [1], {
    action: 'replace',
    flags: ['\\Answered'],
  });
  assert.deepEqual(replaced.updated[0]?.flags, ['\\Answered']);
});

test('concurrent flag changes on one message are never lost', async () => {
  const { user, inbox } = await newUser(store.db, 'flagrace@example.com');
  await appendMessage(ctx, user, inbox._id!, streamOf(simpleMessage('race')));
  const keywords = Array.from({ length: 12 }, (_, index) => `k${index}`);
  await Promise.all(
    keywords.map((keyword) => updateFlags(ctx, user, inbox._id!, [1], { action: 'add', flags: [keyword] })),
  );
  const [message] = await collect(readMessages(store.db, inbox._id!, [1], { flags: true }));
  assert.deepEqual([...message!.flags!].sort(), [...keywords].sort());
  const changes = await readChanges(store.db, inbox._id!, 0, { gapTimeoutMs: 0 });
  const modseqs = changes!.entries.map((entry) => entry.modseq);
  assert.deepEqual(
    modseqs,
    Array.from({ length: 14 }, (_, index) => index + 1),
    'every MODSEQ journalled once',
  );
});

test('whole-mailbox flag changes of several users at once all answer (FerretDB: commands within its connection pool)', async () => {
  // three users' STORE 1:* at once: as one command each, or in commands of 25, FerretDB 1.24 took
  // its whole pool and never answered again (write-commands.ts)
  const size = 60;
  const users = await Promise.all(
    ['bulkflags1', 'bulkflags2', 'bulkflags3'].map((name) => newUser(store.db, `${name}@example.com`)),
  );
  for (const { user, inbox } of users)
    for (let index = 0; index < size; index++)
      assert.ok((await appendMessage(ctx, user, inbox._id!, streamOf(simpleMessage(`b${index}`)))).ok);
  const uids = Array.from({ length: size }, (_, index) => index + 1);
  const changes = Promise.all(
    users.map(({ user, inbox }) =>
      updateFlags(ctx, user, inbox._id!, uids, { action: 'add', flags: ['\\Seen', '$Bulk'] }),
    ),
  );
  const answered = await Promise.race([
    changes.then((results) => results),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 120_000).unref()),
  ]);
  assert.ok(answered, 'the flag changes answered');
  for (const result of answered) assert.equal(result.updated.filter((entry) => entry.changed).length, size);
  for (const { inbox } of users) {
    const stored = await collect(readMessages(store.db, inbox._id!, uids, { flags: true }));
    assert.equal(stored.length, size);
    assert.ok(
      stored.every((message) => message.flags!.includes('$Bulk') && message.flags!.includes('\\Seen')),
    );
    const box = await findMailbox(store.db, inbox.user, 'INBOX');
    assert.equal(box?.unseen, 0, 'the unseen counter follows');
  }
  const unseen = await searchMessages(store.db, users[0]!.inbox._id!, {
    type: 'flag',
    flag: '\\Seen',
    set: false,
  });
  assert.deepEqual(unseen, [], 'the search documents follow');
});

test('search is translated into queries: headers, flags, dates, sizes, body text, OR and NOT', async () => {
  const { user, inbox } = await newUser(store.db, 'search@example.com');
  await appendMessage(
    ctx,
    user,
    inbox._id!,
    streamOf(simpleMessage('Quarterly report', 'The numbers are GOOD this time.', 'ceo@corp.example')),
    { flags: ['\\Seen'] },
  );
  await appendMessage(
    ctx,
    user,
    inbox._id!,
    streamOf(simpleMessage('Lunch?', 'Pizza at noon', 'friend@example.org')),
    { internalDate: new Date('2026-01-05T12:00:00Z') },
  );
  await appendMessage(
    ctx,
    user,
    inbox._id!,
    streamOf(
      simpleMessage('Re: Quarterly report', 'agreed, pizza later', 'cfo@corp.example', 'ceo@corp.example'),
    ),
    { flags: ['\\Flagged'] },
  );
  const search = (query: Parameters<typeof searchMessages>[2]) => searchMessages(store.db, inbox._id!, query);
  assert.deepEqual(await search({ type: 'all' }), [1, 2, 3]);
  assert.deepEqual(await search({ type: 'header', field: 'subject', value: 'quarterly' }), [1, 3]);
  assert.deepEqual(await search({ type: 'header', field: 'FROM', value: 'corp.example' }), [1, 3]);
  assert.deepEqual(await search({ type: 'header', field: 'to', value: 'ceo@' }), [3]);
  assert.deepEqual(await search({ type: 'header', field: 'message-id', value: 'lunch' }), [2]);
  assert.deepEqual(await search({ type: 'header', field: 'content-type', value: 'text/plain' }), [1, 2, 3]);
  assert.deepEqual(await search({ type: 'header', field: 'x-missing', value: '' }), []);
  assert.deepEqual(await search({ type: 'flag', flag: '\\Seen', set: false }), [2, 3]);
  assert.deepEqual(await search({ type: 'body', value: 'PIZZA' }), [2, 3]);
  assert.deepEqual(await search({ type: 'text', value: 'lunch' }), [2]);
  assert.deepEqual(
    await search({ type: 'internalDate', op: 'before', date: new Date('2026-01-06T00:00:00Z') }),
    [2],
  );
  assert.deepEqual(
    await search({ type: 'internalDate', op: 'on', date: new Date('2026-01-05T00:00:00Z') }),
    [2],
  );
  assert.deepEqual(
    await search({ type: 'sentDate', op: 'since', date: new Date('2026-11-02T00:00:00Z') }),
    [1, 2, 3],
  );
  assert.deepEqual(await search({ type: 'size', op: 'larger', value: 100000 }), []);
  assert.deepEqual(
    await search({
      type: 'or',
      left: { type: 'flag', flag: '\\Flagged', set: true },
      right: { type: 'flag', flag: '\\Seen', set: true },
    }),
    [1, 3],
  );
  assert.deepEqual(await search({ type: 'not', key: { type: 'body', value: 'pizza' } }), [1]);
  assert.deepEqual(
    await search({
      type: 'and',
      keys: [
        { type: 'uid', uids: [2, 3] },
        { type: 'body', value: 'pizza' },
      ],
    }),
    [2, 3],
  );
  assert.deepEqual(await search({ type: 'modseq', modseq: 4 }), [3]);
  assert.deepEqual(await search({ type: 'none' }), []);
});

test('a snapshot lists every message and the MODSEQ it reflects', async () => {
  const { user } = await newUser(store.db, 'snapshot@example.com');
  const created = await createMailbox(store.db, user, 'Lists/Rust');
  assert.ok(created.ok);
  const box = (await findMailbox(store.db, user, 'Lists/Rust'))!;
  for (let index = 0; index < 3; index++)
    await appendMessage(ctx, user, box._id!, streamOf(simpleMessage(`l${index}`)));
  const snapshot = await snapshotMailbox(store.db, (await findMailbox(store.db, user, 'Lists/Rust'))!);
  assert.deepEqual(snapshot.uids, [1, 2, 3]);
  assert.equal(snapshot.highestModseq, 4);
  assert.equal(snapshot.uidNext, 4);
  assert.ok(await findMailbox(store.db, user, 'Lists'), 'the parent was created');
});

test('a mailbox deleted only if empty keeps a message that came in after it was emptied', async () => {
  const { user, inbox } = await newUser(store.db, 'emptied@example.com');
  assert.ok((await createMailbox(store.db, user, 'Projects')).ok);
  const box = (await findMailbox(store.db, user, 'Projects'))!;
  // emptied, then a message arrives (a filter's delivery, another session's COPY) before the delete
  await appendMessage(ctx, user, box._id!, streamOf(simpleMessage('late arrival')));
  assert.equal(await deleteMailboxAndMessages(ctx, user, box._id!, { onlyIfEmpty: true }), 'not-empty');
  assert.ok(await findMailbox(store.db, user, 'Projects'), 'the mailbox is kept');
  assert.equal((await collect(readMessages(store.db, box._id!, [1], { flags: true }))).length, 1);
  await moveMessages(ctx, user, box._id!, [1], inbox._id!);
  assert.equal(await deleteMailboxAndMessages(ctx, user, box._id!, { onlyIfEmpty: true }), 'deleted');
  assert.equal(await findMailbox(store.db, user, 'Projects'), null);
  assert.equal(await deleteMailboxAndMessages(ctx, user, box._id!, { onlyIfEmpty: true }), 'missing');
  assert.equal(
    (await snapshotMailbox(store.db, (await findMailbox(store.db, user, 'INBOX'))!)).uids.length,
    1,
  );
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
