import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { applySchema, collections, type CollectionSpec } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';

let store: TestDatabase;
before(async () => {
  store = await openTestDatabase('schema');
});
after(async () => {
  await store.drop();
});

const noChanges = { collectionsCreated: [], validatorsUpdated: [], indexesCreated: [], indexesMigrated: [] };
const changesOf = (report: Awaited<ReturnType<typeof applySchema>>) => ({
  collectionsCreated: report.collectionsCreated,
  validatorsUpdated: report.validatorsUpdated,
  indexesCreated: report.indexesCreated,
  indexesMigrated: report.indexesMigrated,
});

test('the first application creates every collection and index', async () => {
  const report = await applySchema(store.db);
  const names = (await store.db.listCollections().toArray()).map((info) => info.name);
  for (const spec of collections) assert.ok(names.includes(spec.name), `${spec.name} exists`);
  assert.ok(report.indexesCreated.includes('users.address_unique'));
  assert.ok(report.indexesCreated.includes('messages.mailbox_uid_unique'));
  const userIndexes = await store.db.collection('users').listIndexes().toArray();
  assert.deepEqual(userIndexes.find((index) => index.name === 'address_unique')?.unique, true);
});

test('a second application changes nothing', async () => {
  const before = await store.db.collection('journal').listIndexes().toArray();
  const report = await applySchema(store.db);
  assert.deepEqual(changesOf(report), noChanges);
  const afterwards = await store.db.collection('journal').listIndexes().toArray();
  assert.deepEqual(afterwards, before);
});

test('several processes applying at once all succeed and leave one set of indexes', async () => {
  const fresh = await openTestDatabase('schemarace');
  try {
    await Promise.all([applySchema(fresh.db), applySchema(fresh.db), applySchema(fresh.db)]);
    const indexes = await fresh.db.collection('mailboxes').listIndexes().toArray();
    assert.deepEqual(indexes.map((index) => index.name).sort(), [
      '_id_',
      'user_path_unique',
      'user_special_use',
    ]);
  } finally {
    await fresh.drop();
  }
});

test('a changed index is migrated, not duplicated', async () => {
  const original: CollectionSpec = {
    name: 'migrations',
    description: 'test',
    indexes: [{ name: 'by_owner', key: { owner: 1 } }],
  };
  await applySchema(store.db, [original]);
  const changed: CollectionSpec = {
    ...original,
    indexes: [{ name: 'by_owner', key: { owner: 1, created: -1 }, unique: true }],
  };
  const report = await applySchema(store.db, [changed]);
  assert.deepEqual(report.indexesMigrated, ['migrations.by_owner']);
  const indexes = await store.db.collection('migrations').listIndexes().toArray();
  assert.deepEqual(indexes.map((index) => index.name).sort(), ['_id_', 'by_owner']);
  assert.deepEqual(indexes.find((index) => index.name === 'by_owner')?.key, { owner: 1, created: -1 });

  // renaming an index on the same key replaces the old one
  const renamed: CollectionSpec = {
    ...original,
    indexes: [{ name: 'owner_created', key: { owner: 1, created: -1 }, unique: true }],
  };
  await applySchema(store.db, [renamed]);
  const afterRename = await store.db.collection('migrations').listIndexes().toArray();
  assert.deepEqual(afterRename.map((index) => index.name).sort(), ['_id_', 'owner_created']);
  assert.deepEqual(changesOf(await applySchema(store.db, [renamed])), noChanges);
});

test('the unique address index rejects a second user with the same address', async () => {
  const users = store.db.collection('users');
  await users.insertOne({ address: 'dup@example.com' });
  await assert.rejects(
    users.insertOne({ address: 'dup@example.com' }),
    (error: unknown) => (error as { code?: number }).code === 11000,
  );
});
