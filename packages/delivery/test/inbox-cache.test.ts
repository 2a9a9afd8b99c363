// A recipient's INBOX is looked up in the store once per account and process: it never changes
// for an account, and each lookup is a round trip every delivery would otherwise pay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient, ObjectId } from 'mongodb';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { createUser, findMailbox } from '@wildduck/store';
import { inboxOf } from '../src/inbox-cache.js';

let store: TestDatabase;
let client: MongoClient;
let mailboxLookups = 0;

before(async () => {
  store = await openTestDatabase('inboxcache');
  await applySchema(store.db);
  // a client of its own that counts the mailbox queries it sends
  client = new MongoClient(store.uri, { monitorCommands: true });
  client.on('commandStarted', (event) => {
    if (event.commandName === 'find' && event.command.find === 'mailboxes') mailboxLookups++;
  });
  await client.connect();
});
after(async () => {
  await client.close();
  await store.drop();
});

test("a user's INBOX is read from the store once, then remembered", async () => {
  const user = await createUser(store.db, {
    address: 'cached@example.com',
    password: 'secretpass',
    quota: null,
  });
  const db = client.db(store.name);
  const first = await inboxOf(db, user._id);
  const second = await inboxOf(db, user._id);
  assert.ok(first);
  assert.equal(second?.toHexString(), first.toHexString());
  assert.equal(first.toHexString(), (await findMailbox(store.db, user._id, 'INBOX'))!._id!.toHexString());
  assert.equal(mailboxLookups, 1);
});

test('an account without an INBOX gets null, and is asked again next time', async () => {
  const db = client.db(store.name);
  const nobody = new ObjectId();
  mailboxLookups = 0;
  assert.equal(await inboxOf(db, nobody), null);
  assert.equal(await inboxOf(db, nobody), null);
  assert.equal(mailboxLookups, 2);
});
