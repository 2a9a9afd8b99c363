/**
 * A locked section whose write had to retry a step through a store outage, or left a step after
 * its change undone, is noted as interrupted, so the write healer recounts what it guarded and
 * journals what is missing. No I/O here: the outage is the driver's own network error, thrown by the step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoNetworkError, MongoServerError, type Db } from 'mongodb';
import { finishWrite, InProcessLockManager, storeContext } from '../src/index.js';
import { completeAfterChange } from '../src/write-completion.js';

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

test('a step after the change that the store never answers is left to the healer, not failed', async () => {
  const ctx = storeContext(db, new InProcessLockManager());
  const answer = await ctx.locks.run('user:cc', async () => {
    const told = await completeAfterChange(async () => {
      throw new MongoNetworkError('connection closed');
    });
    assert.equal(told, undefined);
    return 'stored';
  });
  assert.equal(answer, 'stored', 'the write is answered as done');
  assert.deepEqual(await ctx.locks.takeInterrupted!(), ['user:cc'], 'and noted for the write healer');

  // an answer from the store is an error still, and so is any failure outside a locked section
  await assert.rejects(
    ctx.locks.run('user:dd', () =>
      completeAfterChange(async () => {
        throw new MongoServerError({ message: 'Document failed validation', code: 121 });
      }),
    ),
    /validation/,
  );
  await assert.rejects(
    completeAfterChange(async () => {
      throw new MongoNetworkError('connection closed');
    }),
    /connection closed/,
  );
});
