/**
 * Locks across instances while Redis is away: the store's locks (StoreLockManager) on FerretDB,
 * and the Redis lock manager switching to them. Each "instance" is a lock manager on a connection
 * of its own, as another process has. The work in each section is a read then a write of one
 * counter, which loses updates unless the sections exclude each other.
 */
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { InProcessLockManager, StoreLockManager, type LockManager } from '@wildduck/store';
import { RedisLockManager } from '@wildduck/coordination';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** A port nothing listens on: Redis that is away for one instance only. */
const NO_REDIS_URL = 'redis://127.0.0.1:1';

let store: TestDatabase;
const clients: MongoClient[] = [];
const closers: (() => Promise<void>)[] = [];

before(async () => {
  store = await openTestDatabase('sharedlocks');
  await applySchema(store.db);
});
after(async () => {
  for (const close of closers) await close();
  for (const client of clients) await client.close();
  await store.drop();
});
beforeEach(async () => {
  await store.db.collection('storeLocks').deleteMany({});
  await store.db.collection('counters').deleteMany({});
});

async function connection(): Promise<Db> {
  const client = new MongoClient(store.uri);
  await client.connect();
  clients.push(client);
  return client.db(store.name);
}

async function storeLocks(options: ConstructorParameters<typeof StoreLockManager>[1] = {}) {
  const locks = new StoreLockManager(await connection(), { pollMs: 200, ...options });
  closers.push(() => locks.close());
  return locks;
}

/** `rounds` sections per lock manager, all at once, each adding one to a counter by read then write. */
async function countUnder(db: Db, managers: LockManager[], rounds: number): Promise<number> {
  const counters = db.collection<{ _id: string; value: number }>('counters');
  await counters.insertOne({ _id: 'c', value: 0 });
  await Promise.all(
    managers.flatMap((locks) =>
      Array.from({ length: rounds }, () =>
        locks.run('user:000000000000000000000001', async () => {
          const current = await counters.findOne({ _id: 'c' });
          await new Promise((resolve) => setTimeout(resolve, 1));
          await counters.updateOne({ _id: 'c' }, { $set: { value: current!.value + 1 } });
        }),
      ),
    ),
  );
  return (await counters.findOne({ _id: 'c' }))!.value;
}

test('two instances on the store locks exclude each other (their own locks would not)', async () => {
  const one = await storeLocks();
  const two = await storeLocks();
  assert.equal(await countUnder(store.db, [one, two], 25), 50);
  assert.equal(await store.db.collection('storeLocks').countDocuments({ standIn: { $ne: true } }), 0);

  // the same work under each process's own locks loses updates: what the store locks are for
  await store.db.collection('counters').deleteMany({});
  const lost = await countUnder(store.db, [new InProcessLockManager(), new InProcessLockManager()], 25);
  assert.ok(lost < 50, `process-local locks let ${lost} of 50 through without loss`);
});

test('a lock whose holder died is taken over after it expires, and its section is noted as interrupted', async () => {
  const locks = await storeLocks({ ttlMs: 1000 });
  await store.db
    .collection('storeLocks')
    .insertOne({ _id: 'user:dead', owner: 'gone:1', expiresAt: new Date(Date.now() + 300) });
  const started = Date.now();
  const ran = await locks.run('user:dead', async () => 'ran');
  assert.equal(ran, 'ran');
  assert.ok(Date.now() - started >= 250, 'waited for the dead holder to expire');
  assert.deepEqual(await locks.takeInterrupted(), ['user:dead']);
  assert.deepEqual(await locks.takeInterrupted(), []);
});

test('a lock left by an instance that died is collected and noted even when nobody wants it again', async () => {
  const locks = await storeLocks({ ttlMs: 1000 });
  await store.db
    .collection('storeLocks')
    .insertOne({ _id: 'user:left', owner: 'gone:2', expiresAt: new Date(Date.now() - 5000) });
  await store.db
    .collection('storeLocks')
    .insertOne({ _id: 'user:busy', owner: 'alive:1', expiresAt: new Date(Date.now() + 60_000) });
  assert.deepEqual(await locks.takeInterrupted(), ['user:left']);
  const left = await store.db.collection('storeLocks').find({}).toArray();
  assert.deepEqual(
    left.map((document) => document._id),
    ['user:busy'],
  );
});

test('an instance standing in is seen by the others, until it stands down', async () => {
  const one = await storeLocks();
  const two = await storeLocks();
  assert.equal(two.inUseElsewhere(), false);
  const started = Date.now();
  await one.standIn();
  assert.ok(Date.now() - started >= 300, 'standing in waits until the others can have looked');
  assert.equal(two.inUseElsewhere(), true);
  assert.equal(one.inUseElsewhere(), false, 'an instance does not count itself');
  await one.standDown();
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(two.inUseElsewhere(), false);
});

test('an instance cut off from Redis and one that reaches it still exclude each other', async () => {
  const cutFallback = await storeLocks();
  const cut = new RedisLockManager(NO_REDIS_URL, { fallback: cutFallback, waitMs: 300 });
  const reachingFallback = await storeLocks();
  const reaching = new RedisLockManager(REDIS_URL, {
    fallback: reachingFallback,
    notesPrefix: `test:sharedlocks:${process.pid}`,
  });
  closers.push(
    () => cut.close(),
    () => reaching.close(),
  );
  // the cut-off instance stands in before its first section; the other then takes both locks
  await cut.run('warm-up', async () => {});
  assert.equal(reachingFallback.inUseElsewhere(), true);
  assert.equal(await countUnder(store.db, [cut, reaching], 25), 50);
});
