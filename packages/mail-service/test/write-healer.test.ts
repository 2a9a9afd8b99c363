/**
 * The write healer repairs the counters a write left off when it stopped halfway: it takes the
 * interrupted sections from the lock manager, checks those users and repairs what it finds.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { MemoryChangeBus } from '@wildduck/change-bus';
import {
  checkConsistency,
  createUser,
  findMailbox,
  InProcessLockManager,
  readChanges,
  storageUsage,
  storeContext,
  userLock,
} from '@wildduck/store';
import { startWriteHealer, storeMessage } from '../src/index.js';

let store: TestDatabase;
before(async () => {
  store = await openTestDatabase('writehealer');
  await applySchema(store.db);
});
after(async () => {
  await store.drop();
});

const quiet = { info: () => {}, warn: () => {} };

test('a user whose write stopped halfway gets its counters repaired; users whose writes finished are not looked at', async () => {
  const locks = new InProcessLockManager();
  const ctx = storeContext(store.db, locks);
  const healer = startWriteHealer({ ctx, logger: quiet, intervalMs: 60_000 });
  try {
    const user = await createUser(store.db, {
      address: 'heal@example.com',
      password: 'secretpass',
      quota: null,
    });
    const inbox = (await findMailbox(store.db, user._id, 'INBOX'))!;
    const stored = await storeMessage(
      { ctx, bus: new MemoryChangeBus() },
      user._id,
      inbox._id!,
      Readable.from([Buffer.from('Subject: kept\r\n\r\nbody\r\n')]),
    );
    assert.ok(stored.ok);
    const exact = (await storageUsage(store.db, user._id))!.storageUsed;
    assert.equal(await healer.runOnce(), 0, 'nothing was interrupted');

    // a write that counted its bytes and then lost the store before it stored the message
    await assert.rejects(
      locks.run(userLock(user._id), async () => {
        await store.db.collection('users').updateOne({ _id: user._id }, { $inc: { storageUsed: 5000 } });
        await store.db.collection('mailboxes').updateOne({ _id: inbox._id }, { $inc: { messages: 1 } });
        throw new Error('the store went away');
      }),
    );
    assert.ok((await checkConsistency(store.db, { user: user._id })).findings.length >= 2);

    assert.ok((await healer.runOnce()) >= 2, 'the storage and mailbox counters were repaired');
    assert.equal((await storageUsage(store.db, user._id))!.storageUsed, exact);
    assert.deepEqual((await checkConsistency(store.db, { user: user._id })).findings, []);
    assert.equal(await healer.runOnce(), 0, 'handed out once');
  } finally {
    healer.stop();
  }
});

/**
 * A user with two messages in INBOX and a healer (run by hand) on in-process locks whose
 * announcements are kept; `stop` ends the healer.
 */
async function twoMessages(address: string) {
  const locks = new InProcessLockManager();
  const ctx = storeContext(store.db, locks);
  const bus = new MemoryChangeBus();
  const healer = startWriteHealer({ ctx, logger: quiet, intervalMs: 60_000, bus });
  const user = await createUser(store.db, { address, password: 'secretpass', quota: null });
  const inbox = (await findMailbox(store.db, user._id, 'INBOX'))!;
  const append = (text: string) =>
    storeMessage(
      { ctx, bus },
      user._id,
      inbox._id!,
      Readable.from([Buffer.from(`Subject: ${text}\r\n\r\n${text}\r\n`)]),
    );
  const first = await append('one');
  const second = await append('two');
  assert.ok(first.ok && second.ok);
  const events: unknown[] = [];
  bus.subscribe(user._id.toHexString(), (event) => events.push(event));
  return { locks, healer, user, inbox, first, second, events };
}

test('a message whose journal entry a dying writer never wrote is journalled again and announced', async () => {
  const { locks, healer, user, inbox, first, second, events } = await twoMessages('unjournalled@example.com');
  try {
    // the writer of the first message died between storing it and journalling it
    await store.db.collection('journal').deleteOne({ mailbox: inbox._id, uid: first.uid, kind: 'EXISTS' });
    const findings = (await checkConsistency(store.db, { user: user._id })).findings;
    assert.deepEqual(
      findings.map((found) => found.kind),
      ['unjournalled-message'],
    );
    await locks.markInterrupted(userLock(user._id));
    assert.equal(await healer.runOnce(), 1);
    const entries = (await readChanges(store.db, inbox._id!, second.modseq, { gapTimeoutMs: 0 }))!.entries;
    // a UID above the second message's: sessions that saw that one cannot take a lower UID
    const renumbered = second.uid + 1;
    assert.deepEqual(
      entries.map((entry) => [entry.kind, entry.uid]),
      [
        ['EXPUNGE', first.uid],
        ['EXISTS', renumbered],
      ],
      'told again after the newest change, under a new UID, so readers past the hole hear of it',
    );
    const moved = await store.db.collection('messages').findOne({ _id: first.id });
    assert.equal(moved?.uid, renumbered);
    assert.equal((await store.db.collection('messageSearch').findOne({ _id: first.id }))?.uid, renumbered);
    assert.ok(events.length >= 1, 'and announced');
    assert.deepEqual((await checkConsistency(store.db, { user: user._id })).findings, []);
  } finally {
    healer.stop();
  }
});

test('a message a dying writer deleted without journalling its EXPUNGE is journalled as removed and announced', async () => {
  const { locks, healer, user, inbox, first, second, events } = await twoMessages(
    'unjournalled-removal@example.com',
  );
  try {
    // the writer removing the first message died right after deleting its document
    await store.db.collection('messages').deleteOne({ mailbox: inbox._id, uid: first.uid });
    assert.deepEqual(
      (await checkConsistency(store.db, { user: user._id })).findings.map((found) => found.kind).sort(),
      ['mailbox-counters', 'storage-counter', 'unjournalled-removal'],
    );
    await locks.markInterrupted(userLock(user._id));
    assert.equal(await healer.runOnce(), 3);
    const entries = (await readChanges(store.db, inbox._id!, second.modseq, { gapTimeoutMs: 0 }))!.entries;
    assert.deepEqual(
      entries.map((entry) => [entry.kind, entry.uid]),
      [['EXPUNGE', first.uid]],
      'told after the newest change, so readers that saw the EXISTS drop the message',
    );
    assert.ok(events.length >= 1, 'and announced');
    assert.deepEqual((await checkConsistency(store.db, { user: user._id })).findings, []);
  } finally {
    healer.stop();
  }
});
