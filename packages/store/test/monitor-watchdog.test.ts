import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectStore } from '@wildduck/store';
import { CuttableRelay, openTestDatabase } from '@wildduck/embedded-store';

test('a store connection cut under load, again and again, is used again once the store is back', async () => {
  const database = await openTestDatabase('monitor-watchdog');
  const storeAddress = new URL(database.uri);
  const relay = new CuttableRelay({ host: storeAddress.hostname, port: Number(storeAddress.port) });
  await relay.listen();
  const store = await connectStore(`mongodb://127.0.0.1:${relay.port}/`, database.name);
  const things = store.db.collection('things');
  let stopped = false;
  let succeeded = 0;
  // many operations in flight when the connections break: the case in which the driver's monitor
  // could start a check on a dying socket and never finish it
  const workers = Array.from({ length: 20 }, async (_, worker) => {
    while (!stopped) {
      try {
        await things.insertOne({ worker });
        await things.findOne({ worker });
        succeeded += 1;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  try {
    for (let round = 0; round < 4; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await relay.cut(3000);
    }
    const afterCuts = succeeded;
    const deadline = Date.now() + 40_000;
    let answered = false;
    while (!answered && Date.now() < deadline) {
      answered = await store.db.command({ ping: 1 }).then(
        () => true,
        () => false,
      );
    }
    assert.ok(answered, 'the store answers again through the same client after the cuts');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(succeeded > afterCuts, 'the workers write again');
  } finally {
    stopped = true;
    await Promise.all(workers);
    await store.close();
    await relay.close();
    await database.drop();
  }
});
