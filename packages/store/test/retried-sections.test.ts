/**
 * A locked section whose write had to retry a step through a store outage is noted as interrupted,
 * so the write healer recounts what it guarded: a retried counter update may have been applied
 * twice. No I/O here: the outage is the driver's own network error, thrown by the step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoNetworkError, type Db } from 'mongodb';
import { finishWrite, InProcessLockManager, storeContext } from '../src/index.js';

const db = {} as Db;

test('a section with a retried step is noted as interrupted; one without is not', async () => {
  const locks = new InProcessLockManager();
  const ctx = storeContext(db, locks);
  let tries = 0;
  const result = await ctx.locks.run('user:aa', () =>
    finishWrite(async () => {
      tries += 1;
      if (tries === 1) throw new MongoNetworkError('connection reset');
      return 'done';
    }),
  );
  assert.equal(result, 'done');
  assert.equal(tries, 2);
  await ctx.locks.run('user:bb', () => finishWrite(async () => 'done'));
  assert.deepEqual(await ctx.locks.takeInterrupted!(), ['user:aa']);
});

test('nested sections are noted each for its own retries', async () => {
  const ctx = storeContext(db, new InProcessLockManager());
  let tries = 0;
  await ctx.locks.run('user:outer', () =>
    ctx.locks.run('part:inner', () =>
      finishWrite(async () => {
        tries += 1;
        if (tries === 1) throw new MongoNetworkError('connection reset');
      }),
    ),
  );
  assert.deepEqual(await ctx.locks.takeInterrupted!(), ['part:inner']);
});
