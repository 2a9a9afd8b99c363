/** Mailbox lists kept per user: served from memory until an account event of the user says otherwise. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { MemoryChangeBus } from '@wildduck/change-bus';
import { createMailbox, createUser } from '@wildduck/store';
import { ChangeHub, MailboxLists } from '../src/index.js';

let store: TestDatabase;
before(async () => {
  store = await openTestDatabase('mailboxlists');
  await applySchema(store.db);
});
after(async () => {
  await store.drop();
});

test('a list is served from memory until an account event of its user, from any instance, arrives', async () => {
  const bus = new MemoryChangeBus();
  const lists = new MailboxLists(store.db, new ChangeHub(bus));
  const user = (
    await createUser(store.db, { address: 'lists@example.com', password: 'secretpass', quota: null })
  )._id;
  const other = (
    await createUser(store.db, { address: 'other@example.com', password: 'secretpass', quota: null })
  )._id;
  const paths = async () => (await lists.list(user)).map((box) => box.path);
  const before = await paths();
  assert.ok(before.includes('INBOX'));
  // written behind the cache's back (as another instance would, before its announcement arrives)
  assert.ok((await createMailbox(store.db, user, 'Projects', null)).ok);
  assert.deepEqual(await paths(), before);
  // another user's event changes nothing for this user
  await bus.publish({ type: 'account', user: other.toHexString(), kind: 'MAILBOX_CREATED', path: 'X' });
  assert.deepEqual(await paths(), before);
  await bus.publish({ type: 'account', user: user.toHexString(), kind: 'MAILBOX_CREATED', path: 'Projects' });
  assert.ok((await paths()).includes('Projects'));
  // a change this process made is forgotten at once, without waiting for the bus
  assert.ok((await createMailbox(store.db, user, 'Receipts', null)).ok);
  lists.invalidate(user.toHexString());
  assert.ok((await paths()).includes('Receipts'));
});
