import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Db, ObjectId } from 'mongodb';
import { PARTS_BUCKET } from '@wildduck/schema';
import {
  appendMessage,
  checkConsistency,
  copyMessages,
  createMailbox,
  expungeDeleted,
  findMailbox,
  findMailboxById,
  listParts,
  moveMessages,
  readChanges,
  repairConsistency,
  storageUsage,
  storeContext,
  toNumber,
  updateFlags,
  type Finding,
  type StoreContext,
} from '@wildduck/store';
import { openStore, newUser, simpleMessage, storedBytes, streamOf } from './support.js';

/** Each test has its own database: parts and orphans are store-wide findings. */
async function freshStore(label: string, t: { after(fn: () => Promise<void>): void }) {
  const store = await openStore(label);
  t.after(() => store.drop());
  // bodies over 1 KiB go to GridFS, so small test messages have parts
  return { db: store.db, ctx: storeContext(store.db, undefined, { largeBodyThreshold: 1024 }) };
}

/** A message whose body (distinct per `fill`) is stored as a GridFS part. */
function withPart(subject: string, fill: string): Buffer {
  return simpleMessage(subject, `${fill} `.repeat(400));
}

async function append(
  ctx: StoreContext,
  user: ObjectId,
  mailbox: ObjectId,
  bytes: Buffer,
  flags: string[] = [],
) {
  const outcome = await appendMessage(ctx, user, mailbox, streamOf(bytes), { flags });
  assert.ok(outcome.ok, 'stored');
  return outcome;
}

/** Checks with no grace time (the test's parts are all brand new). */
const check = (db: Db, user?: ObjectId) =>
  checkConsistency(db, { partGraceMs: 0, ...(user ? { user } : {}) });

const kinds = (findings: readonly Finding[]) => findings.map((finding) => finding.kind).sort();

async function partOf(db: Db, mailbox: ObjectId, uid: number): Promise<string> {
  const message = await db.collection('messages').findOne({ mailbox, uid });
  return (message!.parts as string[])[0]!;
}

const setRefs = (db: Db, ref: string, refs: number) =>
  db
    .collection(`${PARTS_BUCKET}.files`)
    .updateOne({ 'metadata.hash': ref }, { $set: { 'metadata.refs': refs } });

test('a store written only through the store API has no findings, for all users and for each', async (t) => {
  const { db, ctx } = await freshStore('fsck-clean', t);
  const alice = await newUser(db, 'alice@example.com');
  const bob = await newUser(db, 'bob@example.com');
  const archive = (await findMailbox(db, alice.user, 'Archive'))!._id!;
  await append(ctx, alice.user, alice.inbox._id!, withPart('one', 'shared'));
  await append(ctx, alice.user, alice.inbox._id!, withPart('two', 'alone'), ['\\Seen']);
  await append(ctx, alice.user, alice.inbox._id!, simpleMessage('small'));
  await copyMessages(ctx, alice.user, alice.inbox._id!, [1], archive);
  await updateFlags(ctx, alice.user, alice.inbox._id!, [3], { action: 'add', flags: ['\\Deleted'] });
  await expungeDeleted(ctx, alice.user, alice.inbox._id!);
  // the same body in another user's message shares the part
  await append(ctx, bob.user, bob.inbox._id!, withPart('three', 'shared'));

  const report = await check(db);
  assert.deepEqual(report.findings, []);
  assert.deepEqual(
    { users: report.scope.users, messages: report.scope.messages, parts: report.scope.parts },
    { users: 2, messages: 4, parts: 2 },
  );
  assert.deepEqual((await check(db, alice.user)).findings, []);
  assert.deepEqual((await check(db, bob.user)).findings, []);
});

test('a broken part reference count and wrong storage and mailbox counters are found, repaired, and then clean', async (t) => {
  const { db, ctx } = await freshStore('fsck-counts', t);
  const { user, inbox } = await newUser(db, 'counts@example.com');
  const work = (await createMailbox(db, user, 'Work')).ok
    ? (await findMailbox(db, user, 'Work'))!._id!
    : null;
  await append(ctx, user, inbox._id!, withPart('one', 'first'));
  await append(ctx, user, inbox._id!, withPart('two', 'second'));
  await copyMessages(ctx, user, inbox._id!, [2], work!);
  const tooHigh = await partOf(db, inbox._id!, 1);
  const tooLow = await partOf(db, inbox._id!, 2);
  const used = (await storageUsage(db, user))!.storageUsed;
  await setRefs(db, tooHigh, 7);
  await setRefs(db, tooLow, 1);
  await db.collection('users').updateOne({ _id: user }, { $inc: { storageUsed: 1000 } });
  await db.collection('mailboxes').updateOne({ _id: work! }, { $set: { messages: 99, unseen: 0 } });

  const report = await check(db);
  assert.deepEqual(kinds(report.findings), [
    'mailbox-counters',
    'part-refcount',
    'part-refcount',
    'storage-counter',
  ]);
  const byRef = (ref: string) => report.findings.find((finding) => finding.ids[0] === ref)!;
  assert.deepEqual([byRef(tooHigh).expected, byRef(tooHigh).actual], [1, 7]);
  assert.deepEqual([byRef(tooLow).expected, byRef(tooLow).actual], [2, 1]);
  const storage = report.findings.find((finding) => finding.kind === 'storage-counter')!;
  assert.deepEqual(
    [storage.expected, storage.actual, String(storage.user)],
    [used, used + 1000, String(user)],
  );
  // one user's check sees what it can: its own counters and a count below its own references
  assert.deepEqual(kinds((await check(db, user)).findings), [
    'mailbox-counters',
    'part-refcount',
    'storage-counter',
  ]);

  const changes = await repairConsistency(ctx, report.findings);
  assert.ok(
    changes.every((change) => change.changed),
    JSON.stringify(changes.map((change) => change.action)),
  );
  assert.deepEqual(await check(db), { ...report, findings: [] });
  assert.equal((await storageUsage(db, user))!.storageUsed, used);
  const parts = new Map((await listParts(db)).map((part) => [part.ref, part.refs]));
  assert.deepEqual([parts.get(tooHigh), parts.get(tooLow)], [1, 2]);
  const box = (await findMailboxById(db, user, work!))!;
  assert.deepEqual([toNumber(box.messages), toNumber(box.unseen)], [1, 1]);
});

test('an orphaned part is found and removed, a referenced one and its message are kept', async (t) => {
  const { db, ctx } = await freshStore('fsck-orphan', t);
  const { user, inbox } = await newUser(db, 'orphan@example.com');
  await append(ctx, user, inbox._id!, withPart('gone', 'orphan'));
  const keptBytes = withPart('kept', 'kept');
  await append(ctx, user, inbox._id!, keptBytes);
  const orphan = await partOf(db, inbox._id!, 1);
  const kept = await partOf(db, inbox._id!, 2);
  // a removal that died after deleting the document, before giving back its bytes and its part
  const lost = (await db.collection('messages').findOneAndDelete({ mailbox: inbox._id!, uid: 1 }))!;

  assert.deepEqual(
    kinds((await checkConsistency(db)).findings),
    ['mailbox-counters', 'storage-counter', 'unjournalled-removal'],
    'with the default grace a new part is not judged',
  );
  assert.ok(
    !kinds((await check(db, user)).findings).includes('orphaned-part'),
    'one user cannot tell orphans',
  );
  const report = await check(db);
  assert.deepEqual(kinds(report.findings), [
    'mailbox-counters',
    'orphaned-part',
    'storage-counter',
    'unjournalled-removal',
  ]);

  // a message refers to the part again before the repair runs (a copy finished meanwhile): kept
  await db.collection('messages').insertOne(lost);
  const skipped = await repairConsistency(ctx, report.findings);
  assert.equal(skipped.find((change) => change.finding.kind === 'orphaned-part')!.changed, false);
  assert.ok((await listParts(db)).some((part) => part.ref === orphan));

  await db.collection('messages').deleteOne({ _id: lost._id });
  const changes = await repairConsistency(ctx, (await check(db)).findings);
  assert.ok(changes.every((change) => change.changed));
  assert.deepEqual((await check(db)).findings, []);
  const parts = (await listParts(db)).map((part) => part.ref);
  assert.ok(!parts.includes(orphan) && parts.includes(kept));
  assert.equal(
    await db.collection(`${PARTS_BUCKET}.chunks`).countDocuments({}),
    1,
    "the kept part's chunk only",
  );
  assert.deepEqual(await storedBytes(db, inbox._id!, 2), keptBytes);
});

test('UIDs at or above UIDNEXT, duplicate UIDs and MODSEQs above HIGHESTMODSEQ are found; UIDNEXT and HIGHESTMODSEQ are repaired', async (t) => {
  const { db, ctx } = await freshStore('fsck-uids', t);
  const { user, inbox } = await newUser(db, 'uids@example.com');
  for (const subject of ['a', 'b', 'c']) await append(ctx, user, inbox._id!, simpleMessage(subject));
  const highest = toNumber((await findMailboxById(db, user, inbox._id!))!.highestModseq);
  await db.collection('mailboxes').updateOne({ _id: inbox._id! }, { $set: { uidNext: 2, highestModseq: 1 } });
  // only a store without the unique (mailbox, uid) index could hold a duplicate
  await db.collection('messages').dropIndex('mailbox_uid_unique');
  const third = (await db.collection('messages').findOne({ mailbox: inbox._id!, uid: 3 }))!;
  const { _id: _dropped, ...copy } = third;
  await db.collection('messages').insertOne({ ...copy, size: 0, flags: ['\\Seen'] });
  await db.collection('mailboxes').updateOne({ _id: inbox._id! }, { $inc: { messages: 1 } });

  const report = await check(db);
  assert.deepEqual(kinds(report.findings), [
    'duplicate-uid',
    'modseq-above-highest',
    'uid-not-below-uidnext',
  ]);
  const find = (kind: string) => report.findings.find((finding) => finding.kind === kind)!;
  assert.deepEqual(
    [
      find('uid-not-below-uidnext').ids,
      find('uid-not-below-uidnext').expected,
      find('uid-not-below-uidnext').actual,
    ],
    [['2', '3'], 4, 2],
  );
  assert.deepEqual(
    [find('modseq-above-highest').expected, find('modseq-above-highest').actual],
    [highest, 1],
  );
  assert.equal(find('duplicate-uid').ids.length, 2);
  assert.equal(find('duplicate-uid').repairable, false);

  const changes = await repairConsistency(ctx, report.findings);
  assert.deepEqual(changes.map((change) => change.action).sort(), [
    `highestModseq 1 -> ${highest}`,
    'uidNext 2 -> 4',
  ]);
  assert.deepEqual(kinds((await check(db)).findings), ['duplicate-uid'], 'a duplicate needs a person');
  const box = (await findMailboxById(db, user, inbox._id!))!;
  assert.deepEqual([box.uidNext, toNumber(box.highestModseq)], [4, highest]);
});

test('a reference count is lowered only when a second count at repair time agrees with the check', async (t) => {
  const { db, ctx } = await freshStore('fsck-recount', t);
  const { user, inbox } = await newUser(db, 'recount@example.com');
  await append(ctx, user, inbox._id!, withPart('one', 'counted'));
  const ref = await partOf(db, inbox._id!, 1);
  await setRefs(db, ref, 3);
  const report = await check(db);
  assert.deepEqual(
    report.findings.map((finding) => [finding.kind, finding.expected, finding.actual]),
    [['part-refcount', 1, 3]],
  );

  // a copy that took its reference before the check inserts its message only now
  const { _id: _original, ...copy } = (await db.collection('messages').findOne({ mailbox: inbox._id! }))!;
  await db.collection('messages').insertOne({ ...copy, uid: 99 });
  const [unconfirmed] = await repairConsistency(ctx, report.findings);
  assert.equal(unconfirmed!.changed, false, 'two references now, not the one the check counted');
  assert.equal((await listParts(db)).find((part) => part.ref === ref)!.refs, 3);

  const again = await check(db);
  const part = again.findings.find((finding) => finding.kind === 'part-refcount')!;
  assert.deepEqual([part.expected, part.actual], [2, 3]);
  await repairConsistency(ctx, [part]);
  assert.equal((await listParts(db)).find((part) => part.ref === ref)!.refs, 2);
});

test('a removal whose EXPUNGE entry was never journalled is found, journalled at a new MODSEQ, and then clean', async (t) => {
  const { db, ctx } = await freshStore('fsck-removal', t);
  const { user, inbox } = await newUser(db, 'removal@example.com');
  const archive = (await findMailbox(db, user, 'Archive'))!._id!;
  for (const subject of ['kept', 'expunged', 'moved', 'lost'])
    await append(ctx, user, inbox._id!, simpleMessage(subject));
  await updateFlags(ctx, user, inbox._id!, [2], { action: 'add', flags: ['\\Deleted'] });
  assert.deepEqual(await expungeDeleted(ctx, user, inbox._id!), [2]);
  assert.ok((await moveMessages(ctx, user, inbox._id!, [3], archive)).ok);
  assert.deepEqual(
    (await check(db, user)).findings,
    [],
    'an expunge and a move through the store API journal their removals',
  );

  // a removal that deleted the document and gave back its counters, then died before its EXPUNGE entry
  const journal = db.collection('journal');
  const exists = (await journal.findOne({ mailbox: inbox._id!, uid: 4, kind: 'EXISTS' }))!;
  const lost = (await db.collection('messages').findOneAndDelete({ mailbox: inbox._id!, uid: 4 }))!;
  const size = toNumber(lost.size);
  await db
    .collection('mailboxes')
    .updateOne({ _id: inbox._id! }, { $inc: { messages: -1, unseen: -1, size: -size } });
  await db.collection('users').updateOne({ _id: user }, { $inc: { storageUsed: -size } });
  const highestBefore = toNumber((await findMailboxById(db, user, inbox._id!))!.highestModseq);

  const report = await check(db, user);
  assert.deepEqual(
    report.findings.map((found) => [found.kind, String(found.mailbox), found.ids, found.repairable]),
    [['unjournalled-removal', String(inbox._id), ['4'], true]],
  );
  assert.deepEqual((await check(db)).findings, report.findings, 'the same over all users');

  // a writer puts the message back before the repair runs (the check raced it): nothing journalled
  await db.collection('messages').insertOne(lost);
  const [raced] = await repairConsistency(ctx, report.findings);
  assert.equal(raced!.changed, false);
  assert.equal(await journal.countDocuments({ mailbox: inbox._id!, uid: 4, kind: 'EXPUNGE' }), 0);
  await db.collection('messages').deleteOne({ _id: lost._id });

  const [change] = await repairConsistency(ctx, report.findings);
  const highestAfter = toNumber((await findMailboxById(db, user, inbox._id!))!.highestModseq);
  assert.equal(highestAfter, highestBefore + 1, 'a new MODSEQ was taken');
  assert.deepEqual(
    [change!.changed, change!.action],
    [true, `journalled the removal of UID 4 at MODSEQ ${highestAfter}`],
  );
  const expunges = await journal.find({ mailbox: inbox._id!, uid: 4, kind: 'EXPUNGE' }).toArray();
  assert.deepEqual(
    expunges.map((entry) => toNumber(entry.modseq)),
    [highestAfter],
  );
  assert.ok(highestAfter > toNumber(exists.modseq), 'after the EXISTS');
  const read = (await readChanges(db, inbox._id!, highestBefore, { gapTimeoutMs: 0 }))!;
  assert.deepEqual(
    read.entries.map((entry) => [entry.kind, entry.uid]),
    [['EXPUNGE', 4]],
    'a reader past the old entries hears of it',
  );
  assert.deepEqual((await check(db)).findings, []);
  const [again] = await repairConsistency(ctx, report.findings);
  assert.equal(again!.changed, false, 'journalled once');
  assert.equal(await journal.countDocuments({ mailbox: inbox._id!, uid: 4, kind: 'EXPUNGE' }), 1);
});
