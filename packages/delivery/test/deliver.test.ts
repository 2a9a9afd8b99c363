// deliverCopies stores one incoming message as a copy per target while it streams, on the real
// store: each copy is complete or absent (no message document, no GridFS part or chunk, no storage
// counted for a failed one), the copies that worked are announced on the change bus, and
// withdrawCopies takes stored copies back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import type { ChangeBus, ChangeEvent } from '@wildduck/change-bus';
import { appendMessage, listParts, readChanges } from '@wildduck/store';
import { deliverCopies, withdrawCopies, type DeliveryResult, type DeliveryTarget } from '../src/deliver.js';
import { newUser, simpleMessage, storedBytes, streamOf } from '../../store/test/support.js';
import { deliveryDeps, type DeliveryTestDeps } from './support/delivery-deps.js';
import { messageWithAttachment, partCounts, partProblems, userState } from './support/store-checks.js';
import { settle, sourceFailingAfter } from './support/streams.js';

let t: DeliveryTestDeps;
before(async () => {
  t = await deliveryDeps('delivery');
});
after(async () => {
  await t.close();
});

let counter = 0;
/** A fresh account and a target for its INBOX, with a prefix that names it. */
async function recipient(quota: number | null = null): Promise<DeliveryTarget> {
  const address = `rcpt${++counter}@example.com`;
  const { user, inbox } = await newUser(t.store.db, address, quota);
  return { label: address, user, mailbox: inbox._id!, prefix: Buffer.from(`Delivered-To: ${address}\r\n`) };
}

/** Records the change events each target's user is told, from now on. */
function listen(bus: ChangeBus, targets: readonly DeliveryTarget[]) {
  const heard = targets.map(() => [] as ChangeEvent[]);
  const stops = targets.map((target, index) =>
    bus.subscribe(target.user.toHexString(), (event) => heard[index]!.push(event)),
  );
  return {
    /** The events heard so far, per target, once the bus has passed on what was published. */
    async heard(): Promise<ChangeEvent[][]> {
      await settle(20);
      return heard;
    },
    stop: () => stops.forEach((stop) => stop()),
  };
}

/** The result of a copy that must have been stored. */
function storedCopy(result: DeliveryResult | undefined): Extract<DeliveryResult, { ok: true }> {
  assert.ok(result?.ok, `${result?.target.label ?? 'a copy'} was not stored`);
  return result;
}

/** The result of a copy that must have been refused. */
function refusedCopy(result: DeliveryResult | undefined): Extract<DeliveryResult, { ok: false }> {
  assert.ok(result && !result.ok, `${result?.target.label ?? 'a copy'} was stored`);
  return result;
}

function mailboxEvent(target: DeliveryTarget, modseq: number): ChangeEvent {
  // a stored copy is announced as new mail; a withdrawn one (MODSEQ 0, "look now") as an expunge
  return {
    type: 'mailbox',
    user: target.user.toHexString(),
    mailbox: target.mailbox.toHexString(),
    modseq,
    change: modseq > 0 ? 'new' : 'expunge',
  };
}

test('every target gets a complete copy, the shared attachment stored once, each copy announced', async () => {
  const targets = [await recipient(), await recipient(), await recipient()];
  const message = messageWithAttachment('for everyone', 600 * 1024);
  const known = new Set((await listParts(t.store.db)).map((part) => part.ref));
  const bus = listen(t.bus, targets);

  const results = await deliverCopies(t.deps, streamOf(message), targets);

  for (const [index, result] of results.map(storedCopy).entries()) {
    const expected = Buffer.concat([targets[index]!.prefix, message]);
    assert.ok(
      (await storedBytes(t.store.db, targets[index]!.mailbox, result.uid)).equals(expected),
      `copy ${index} whole`,
    );
    assert.deepEqual(await userState(t.store.db, targets[index]!.user), {
      messages: 1,
      storageUsed: expected.length,
    });
  }
  const added = (await listParts(t.store.db)).filter((part) => !known.has(part.ref));
  assert.deepEqual(
    added.map((part) => part.refs),
    [3],
    'the attachment is one GridFS part held by the three copies',
  );
  assert.deepEqual(await partProblems(t.store.db), []);
  assert.deepEqual(
    await bus.heard(),
    results.map((result, index) => [mailboxEvent(targets[index]!, result.ok ? result.modseq : -1)]),
  );
  bus.stop();
  assert.deepEqual(t.storeErrors, []);
});

test('a copy over its quota is refused with nothing of it left; the other copies are stored and announced', async () => {
  const full = await recipient(20_000);
  const earlier = simpleMessage('already here');
  assert.ok((await appendMessage(t.ctx, full.user, full.mailbox, streamOf(earlier))).ok);
  const targets = [await recipient(), full, await recipient()];
  const before = await userState(t.store.db, full.user);
  const bus = listen(t.bus, targets);

  // the attachment goes into GridFS while it streams, long before the copy's size is known to be too much
  const message = messageWithAttachment('too much for one', 400 * 1024);
  const results = await deliverCopies(t.deps, streamOf(message), targets);

  const [first, refused, last] = [storedCopy(results[0]), refusedCopy(results[1]), storedCopy(results[2])];
  assert.equal(refused.reply.responseCode, 552);
  assert.equal(refused.reply.message, `5.2.2 <${full.label}>: mailbox full`);
  assert.deepEqual(await userState(t.store.db, full.user), before, 'the full mailbox is as it was');
  assert.deepEqual(await userState(t.store.db, targets[0]!.user), {
    messages: 1,
    storageUsed: targets[0]!.prefix.length + message.length,
  });
  assert.ok(
    (await storedBytes(t.store.db, last.target.mailbox, last.uid)).equals(
      Buffer.concat([last.target.prefix, message]),
    ),
  );
  // the refused copy's reference to the shared attachment was given back: two references, two messages
  assert.deepEqual(await partProblems(t.store.db), []);
  assert.deepEqual(await bus.heard(), [
    [mailboxEvent(targets[0]!, first.modseq)],
    [],
    [mailboxEvent(targets[2]!, last.modseq)],
  ]);
  bus.stop();
  assert.deepEqual(t.storeErrors, [], 'a full mailbox is an answer, not a store failure');
});

test('a copy for a mailbox that does not exist is refused as unknown and leaves nothing', async () => {
  const stored = await recipient();
  const gone = { ...(await recipient()), mailbox: new ObjectId() };
  const targets = [gone, stored];
  const bus = listen(t.bus, targets);

  const message = messageWithAttachment('to a deleted folder', 300 * 1024);
  const results = await deliverCopies(t.deps, streamOf(message), targets);

  const [refused, delivered] = [refusedCopy(results[0]), storedCopy(results[1])];
  assert.equal(refused.reply.message, `5.1.1 <${gone.label}>: no such user here`);
  assert.deepEqual(await userState(t.store.db, gone.user), { messages: 0, storageUsed: 0 });
  assert.equal(await t.store.db.collection('messages').countDocuments({ mailbox: gone.mailbox }), 0);
  assert.deepEqual(await partProblems(t.store.db), []);
  assert.deepEqual(await bus.heard(), [[], [mailboxEvent(stored, delivered.modseq)]]);
  bus.stop();
});

test('a copy that grows past the size limit mid-stream is refused as too big; the others go on', async () => {
  const message = messageWithAttachment('just under the limit', 600 * 1024);
  const limited = await deliveryDeps('delivery-limit', { maxMessageSize: message.length + 1024 });
  try {
    const { user, inbox } = await newUser(limited.store.db, 'long-trace@example.com');
    const { user: other, inbox: otherInbox } = await newUser(limited.store.db, 'short-trace@example.com');
    // 20 KB of trace headers push this copy over the limit about 19 KB before the message ends,
    // while its attachment is still being written into GridFS
    const longTrace = Buffer.from(
      Array.from({ length: 400 }, (_, index) => `X-Trace-${index}: ${'t'.repeat(36)}\r\n`).join(''),
    );
    const targets: DeliveryTarget[] = [
      { label: 'long-trace@example.com', user, mailbox: inbox._id!, prefix: longTrace },
      {
        label: 'short-trace@example.com',
        user: other,
        mailbox: otherInbox._id!,
        prefix: Buffer.from('X-Trace: 1\r\n'),
      },
    ];
    const partsBefore = await partCounts(limited.store.db);
    const bus = listen(limited.bus, targets);

    const results = await deliverCopies(limited.deps, streamOf(message), targets);

    const [tooBig, delivered] = [refusedCopy(results[0]), storedCopy(results[1])];
    assert.equal(tooBig.reply.message, `5.3.4 message too big (the limit is ${message.length + 1024} bytes)`);
    assert.ok(
      (await storedBytes(limited.store.db, otherInbox._id!, delivered.uid)).equals(
        Buffer.concat([targets[1]!.prefix, message]),
      ),
    );
    assert.deepEqual(await userState(limited.store.db, user), { messages: 0, storageUsed: 0 });
    assert.deepEqual(await partProblems(limited.store.db), []);
    assert.equal(
      (await partCounts(limited.store.db)).files,
      partsBefore.files + 1,
      "only the delivered copy's attachment is stored",
    );
    assert.deepEqual(await bus.heard(), [[], [mailboxEvent(targets[1]!, delivered.modseq)]]);
    bus.stop();
  } finally {
    await limited.close();
  }
});

test('a source that fails mid-way stores no copy at all and is reported as a store failure', async () => {
  const targets = [await recipient(), await recipient()];
  const message = messageWithAttachment('cut off', 1024 * 1024);
  const partsBefore = await partCounts(t.store.db);
  const bus = listen(t.bus, targets);
  const failure = new Error('connection reset in the middle of DATA');
  t.storeErrors.length = 0;

  // cut in the middle of the attachment, after GridFS chunks of it were written
  const results = await deliverCopies(t.deps, sourceFailingAfter(message, 700 * 1024, failure), targets);

  for (const result of results)
    assert.equal(refusedCopy(result).reply.responseCode, 451, 'the client is told to try again');
  assert.deepEqual(
    t.storeErrors.map((entry) => entry.label).sort(),
    targets.map((target) => target.label).sort(),
  );
  for (const target of targets)
    assert.deepEqual(await userState(t.store.db, target.user), { messages: 0, storageUsed: 0 });
  assert.deepEqual(await partCounts(t.store.db), partsBefore, 'no GridFS file or chunk is left');
  assert.deepEqual(await partProblems(t.store.db), []);
  assert.deepEqual(await bus.heard(), [[], []]);
  bus.stop();
});

test('withdrawCopies takes the stored copies back, gives storage and parts back, and announces it', async () => {
  const kept = await recipient();
  const taken = [await recipient(), await recipient()];
  const refused = { ...(await recipient()), mailbox: new ObjectId() };
  const message = messageWithAttachment('all or nothing', 300 * 1024);
  const known = new Set((await listParts(t.store.db)).map((part) => part.ref));
  const results = await deliverCopies(t.deps, streamOf(message), [...taken, refused]);
  assert.deepEqual(
    results.map((result) => result.ok),
    [true, true, false],
  );
  // the same message delivered to someone else as well keeps the attachment alive
  storedCopy((await deliverCopies(t.deps, streamOf(message), [kept]))[0]);
  const bus = listen(t.bus, [...taken, refused]);

  await withdrawCopies(t.deps, results);

  for (const [index, target] of taken.entries()) {
    assert.deepEqual(await userState(t.store.db, target.user), { messages: 0, storageUsed: 0 });
    const { uid } = storedCopy(results[index]);
    const journal = await readChanges(t.store.db, target.mailbox, 0);
    assert.ok(
      journal?.entries.some((entry) => entry.kind === 'EXPUNGE' && entry.uid === uid),
      'the withdrawal is journalled as an expunge',
    );
  }
  const attachment = (await listParts(t.store.db)).filter((part) => !known.has(part.ref));
  assert.deepEqual(
    attachment.map((part) => part.refs),
    [1],
    'the withdrawn copies gave back their references to the attachment',
  );
  assert.deepEqual(await userState(t.store.db, kept.user), {
    messages: 1,
    storageUsed: kept.prefix.length + message.length,
  });
  assert.deepEqual(await partProblems(t.store.db), []);
  // MODSEQ 0: "look now", as after any expunge (the journal entries carry their own MODSEQs)
  assert.deepEqual(
    await bus.heard(),
    [[mailboxEvent(taken[0]!, 0)], [mailboxEvent(taken[1]!, 0)], []],
    'each withdrawn copy is announced once, the refused one not at all',
  );
  bus.stop();
});
