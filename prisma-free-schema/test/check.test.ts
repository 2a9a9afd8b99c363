import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { applySchema, collections, missingSchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';

let store: TestDatabase;
before(async () => {
  store = await openTestDatabase('schemacheck');
});
after(async () => {
  await store.drop();
});

test('an empty database lacks every collection; after applySchema nothing is missing', async () => {
  assert.deepEqual(
    await missingSchema(store.db),
    collections.map((spec) => spec.name),
  );
  await applySchema(store.db);
  assert.deepEqual(await missingSchema(store.db), []);
});

test('a dropped index is reported by collection and name', async () => {
  await store.db.collection('messages').dropIndex('mailbox_uid_unique');
  assert.deepEqual(await missingSchema(store.db), ['messages.mailbox_uid_unique']);
  await applySchema(store.db);
  assert.deepEqual(await missingSchema(store.db), []);
});
