/**
 * Every write of the mail service stores, journals and announces in one call: the store holds the
 * change, the journal has its entry, and the change bus carried the event before the call
 * returned. Failures are typed and leave nothing behind.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { ObjectId } from 'mongodb';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { MemoryChangeBus, type ChangeEvent } from '@wildduck/change-bus';
import {
  createUser,
  findMailbox,
  listMailboxes,
  readChanges,
  snapshotMailbox,
  storageUsage,
  storeContext,
  type StoreContext,
} from '@wildduck/store';
import {
  appendMessages,
  createMailbox,
  deleteMailbox,
  deleteUser,
  expungeMessages,
  removeMessagesById,
  renameMailbox,
  setFlags,
  setSubscription,
  storeMessage,
  transferMessages,
  type MailContext,
} from '../src/index.js';

let store: TestDatabase;
let ctx: StoreContext;
before(async () => {
  store = await openTestDatabase('mailwrites');
  await applySchema(store.db);
  ctx = storeContext(store.db);
});
after(async () => {
  await store.drop();
});

const message = (subject: string) =>
  Readable.from([
    Buffer.from(`From: a@x.org\r\nTo: b@x.org\r\nSubject: ${subject}\r\n\r\nbody of ${subject}\r\n`),
  ]);

/** A user with an INBOX, and a mail context whose bus records what it carried. */
async function setUp(address: string) {
  const user = await createUser(store.db, { address, password: 'secretpass', quota: null });
  const inbox = (await findMailbox(store.db, user._id, 'INBOX'))!;
  const bus = new MemoryChangeBus();
  const events: ChangeEvent[] = [];
  bus.subscribe(user._id.toHexString(), (event) => events.push(event));
  const mail: MailContext = { ctx, bus };
  return { user: user._id, address, inbox, mail, events };
}

const mailboxEvents = (events: readonly ChangeEvent[], mailbox: ObjectId) =>
  events.filter((event) => event.type === 'mailbox' && event.mailbox === mailbox.toHexString());

test('storeMessage stores, journals EXISTS and announces the MODSEQ before it returns', async () => {
  const { user, inbox, mail, events } = await setUp('store@example.com');
  const outcome = await storeMessage(mail, user, inbox._id!, message('one'), { flags: ['\\Seen'] });
  assert.ok(outcome.ok);
  const journal = await readChanges(store.db, inbox._id!, 0);
  assert.deepEqual(
    journal!.entries.filter((entry) => entry.kind === 'EXISTS').map((entry) => entry.uid),
    [outcome.uid],
  );
  assert.deepEqual(mailboxEvents(events, inbox._id!), [
    {
      type: 'mailbox',
      user: user.toHexString(),
      mailbox: inbox._id!.toHexString(),
      modseq: outcome.modseq,
      change: 'new',
    },
  ]);
});

test('setFlags announces only a real change, with the highest MODSEQ it gave', async () => {
  const { user, inbox, mail, events } = await setUp('flags@example.com');
  const stored = await storeMessage(mail, user, inbox._id!, message('f'));
  assert.ok(stored.ok);
  events.length = 0;
  const result = await setFlags(mail, user, inbox._id!, [stored.uid], {
    action: 'add',
    flags: ['\\Flagged'],
  });
  assert.deepEqual(
    result.updated.map((entry) => entry.flags),
    [['\\Flagged']],
  );
  assert.equal(mailboxEvents(events, inbox._id!).length, 1);
  assert.equal(
    (mailboxEvents(events, inbox._id!)[0] as { modseq: number }).modseq,
    result.updated[0]!.modseq,
  );
  events.length = 0;
  // the same flags again change nothing: no event
  await setFlags(mail, user, inbox._id!, [stored.uid], { action: 'add', flags: ['\\Flagged'] });
  assert.equal(events.length, 0);
});

test('a move announces both mailboxes; a move into Junk is reported as SPAM', async () => {
  const { user, address, inbox, mail, events } = await setUp('move@example.com');
  const reports: unknown[] = [];
  const reporting: MailContext = {
    ...mail,
    junkReporter: { afterTransfer: (...args: unknown[]) => reports.push(args) } as never,
  };
  // every account has a Junk mailbox (DEFAULT_MAILBOXES)
  const junkBox = (await findMailbox(store.db, user, 'Junk'))!;
  assert.equal(junkBox.specialUse, '\\Junk');
  const stored = await storeMessage(mail, user, inbox._id!, message('spam'));
  assert.ok(stored.ok);
  events.length = 0;
  const moved = await transferMessages(
    reporting,
    { id: user, address },
    'move',
    inbox,
    [stored.uid],
    junkBox,
  );
  assert.ok(moved.ok);
  assert.equal(mailboxEvents(events, junkBox._id!).length, 1);
  assert.equal(mailboxEvents(events, inbox._id!).length, 1);
  assert.equal(reports.length, 1);
  assert.deepEqual((await snapshotMailbox(store.db, inbox)).uids, []);
});

test('expunge and removal by id announce once, and only when something was removed', async () => {
  const { user, inbox, mail, events } = await setUp('expunge@example.com');
  const first = await storeMessage(mail, user, inbox._id!, message('a'), { flags: ['\\Deleted'] });
  const second = await storeMessage(mail, user, inbox._id!, message('b'));
  assert.ok(first.ok && second.ok);
  events.length = 0;
  assert.deepEqual(await expungeMessages(mail, user, inbox._id!), [first.uid]);
  assert.deepEqual(await removeMessagesById(mail, user, inbox._id!, [second.id]), [second.uid]);
  assert.equal(mailboxEvents(events, inbox._id!).length, 2);
  events.length = 0;
  assert.deepEqual(await removeMessagesById(mail, user, inbox._id!, [second.id]), []);
  assert.deepEqual(await expungeMessages(mail, user, inbox._id!), []);
  assert.equal(events.length, 0);
  assert.equal((await storageUsage(store.db, user))!.storageUsed, 0);
});

test('a MULTIAPPEND that fails part way keeps nothing; only the removal is announced', async () => {
  const { user, inbox, mail, events } = await setUp('multi@example.com');
  const failing = Readable.from(
    (async function* () {
      yield Buffer.from('Subject: half\r\n\r\nstart');
      throw new Error('the client went away');
    })(),
  );
  await assert.rejects(
    appendMessages(mail, user, inbox, [
      { message: message('kept at first'), flags: [] },
      { message: failing, flags: [] },
    ]),
    /went away/,
  );
  assert.deepEqual((await snapshotMailbox(store.db, inbox)).uids, []);
  assert.equal((await storageUsage(store.db, user))!.storageUsed, 0);
  // the first message was journalled (EXISTS) and taken back (EXPUNGE): readers are told to look
  assert.deepEqual(
    mailboxEvents(events, inbox._id!).map((event) => (event as { modseq: number }).modseq),
    [0],
  );
  events.length = 0;
  const appended = await appendMessages(mail, user, inbox, [
    { message: message('x'), flags: [] },
    { message: message('y'), flags: [] },
  ]);
  assert.ok(appended.ok);
  assert.equal(appended.uids.length, 2);
  assert.equal(mailboxEvents(events, inbox._id!).length, 1);
});

test('mailbox writes announce account changes; renaming INBOX moves its messages and keeps INBOX', async () => {
  const { user, inbox, mail, events } = await setUp('boxes@example.com');
  const kinds = () => events.filter((event) => event.type === 'account').map((event) => event.kind);
  assert.ok((await createMailbox(mail, user, 'Projects')).ok);
  assert.deepEqual(await createMailbox(mail, user, 'Projects'), { ok: false, code: 'ALREADYEXISTS' });
  assert.ok((await renameMailbox(mail, user, 'Projects', 'Work')).ok);
  assert.ok((await setSubscription(mail, user, 'Work', true)).ok);
  const work = (await findMailbox(store.db, user, 'Work'))!;
  assert.ok((await deleteMailbox(mail, user, work)).ok);
  assert.deepEqual(await deleteMailbox(mail, user, inbox), { ok: false, code: 'CANNOT' });
  assert.deepEqual(kinds(), ['MAILBOX_CREATED', 'MAILBOX_RENAMED', 'SUBSCRIBED', 'MAILBOX_DELETED']);

  const stored = await storeMessage(mail, user, inbox._id!, message('old inbox'));
  assert.ok(stored.ok);
  assert.ok((await renameMailbox(mail, user, 'INBOX', 'Old Inbox')).ok);
  const old = (await findMailbox(store.db, user, 'Old Inbox'))!;
  assert.equal((await snapshotMailbox(store.db, old)).uids.length, 1);
  assert.deepEqual((await snapshotMailbox(store.db, inbox)).uids, []);
});

test('deleting a user tells every instance each of its mailboxes is gone', async () => {
  const { user, mail, events } = await setUp('gone@example.com');
  assert.ok((await createMailbox(mail, user, 'Lists/Rust')).ok);
  const paths = (await listMailboxes(store.db, user)).map((box) => box.path).sort();
  assert.ok(paths.includes('Lists/Rust') && paths.includes('INBOX'));
  events.length = 0;
  assert.equal(await deleteUser(mail, user), true);
  const deleted = events.filter((event) => event.type === 'account' && event.kind === 'MAILBOX_DELETED');
  assert.deepEqual(deleted.map((event) => (event as { path: string }).path).sort(), paths);
  assert.deepEqual(await listMailboxes(store.db, user), []);
  assert.equal(await deleteUser(mail, user), false);
});
