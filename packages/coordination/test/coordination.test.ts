import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  createRateLimiter,
  MemoryRateLimiter,
  RedisLockManager,
  RedisRateLimiter,
  type NamedLocks,
  type RateLimiter,
} from '@wildduck/coordination';

/** The contract's Redis; `npm test` passes the one it found or started as REDIS_URL. */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A lock key or limiter name of this test alone, so parallel runs on one Redis never meet. */
const unique = (what: string) => `test-${what}-${process.env.WILDDUCK_TEST_RUN ?? 'local'}-${randomUUID()}`;

/** A port nothing listens on: Redis "down". */
const UNREACHABLE_URL = 'redis://127.0.0.1:1';

async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('RedisLockManager: work under one key on two instances never overlaps; other keys run alongside', async () => {
  const first = new RedisLockManager(REDIS_URL);
  const second = new RedisLockManager(REDIS_URL);
  const key = unique('lock');
  try {
    let inside = 0;
    let mostInside = 0;
    const order: number[] = [];
    const work = (index: number) => async () => {
      inside++;
      mostInside = Math.max(mostInside, inside);
      await sleep(5);
      order.push(index);
      inside--;
      return index * 10;
    };
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) => (index % 2 ? first : second).run(key, work(index))),
    );
    assert.deepEqual(
      results,
      Array.from({ length: 12 }, (_, index) => index * 10),
    );
    assert.equal(mostInside, 1, 'two holders of one lock at once');
    assert.equal(order.length, 12);

    // a different key is not held up by one that is held
    let release!: () => void;
    const held = first.run(key, () => new Promise<void>((resolve) => (release = resolve)));
    const otherKey = await second.run(unique('lock'), async () => 'ran');
    assert.equal(otherKey, 'ran');
    release();
    await held;
  } finally {
    await first.close();
    await second.close();
  }
});

test('RedisLockManager: failing work releases the lock and its error reaches the caller', async () => {
  const locks = new RedisLockManager(REDIS_URL, { waitMs: 1000 });
  const key = unique('lock');
  const admin = new Redis(REDIS_URL);
  try {
    await assert.rejects(
      locks.run(key, async () => {
        throw new Error('work failed');
      }),
      /work failed/,
    );
    assert.equal(await admin.exists(`wd:lock:${key}`), 0, 'the lock was left behind');
    assert.equal(await locks.run(key, async () => 'next'), 'next');
  } finally {
    await locks.close();
    admin.disconnect();
  }
});

test('RedisLockManager: a caller gives up after waitMs while another instance holds the lock', async () => {
  const holder = new RedisLockManager(REDIS_URL);
  const waiter = new RedisLockManager(REDIS_URL, { waitMs: 150 });
  const key = unique('lock');
  try {
    let release!: () => void;
    let taken!: () => void;
    const isTaken = new Promise<void>((resolve) => (taken = resolve));
    const held = holder.run(
      key,
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          taken();
        }),
    );
    await isTaken;
    const started = Date.now();
    await assert.rejects(
      waiter.run(key, async () => 'never'),
      new RegExp(`could not take the lock ${key} within 150 ms`),
    );
    assert.ok(Date.now() - started >= 150);
    release();
    await held;
    assert.equal(await waiter.run(key, async () => 'after'), 'after');
  } finally {
    await holder.close();
    await waiter.close();
  }
});

test('RedisLockManager: while Redis cannot be reached, work runs under the fallback locks and says so once', async () => {
  const fallbackKeys: string[] = [];
  const fallback: NamedLocks = {
    run: async (key, work) => {
      fallbackKeys.push(key);
      return work();
    },
  };
  const notices: boolean[] = [];
  const locks = new RedisLockManager(UNREACHABLE_URL, {
    fallback,
    onFallback: (active) => notices.push(active),
  });
  const without = new RedisLockManager(UNREACHABLE_URL, { waitMs: 200 });
  try {
    assert.equal(await locks.run('a', async () => 1), 1);
    assert.equal(await locks.run('b', async () => 2), 2);
    assert.deepEqual(fallbackKeys, ['a', 'b']);
    assert.deepEqual(notices, [true]);
    // without a fallback the caller is told
    await assert.rejects(without.run('a', async () => 'never'));
  } finally {
    await locks.close();
    await without.close();
  }
});

/** Resolves once the limiter writes its counts to Redis (until then it counts in-process only). */
async function writesToRedis(limiter: RateLimiter, admin: Redis, name: string) {
  const probe = unique('probe');
  await waitFor(async () => {
    await limiter.hit(probe);
    return (await admin.exists(`wd:ratelimit:${name}:${probe}`)) === 1;
  }, `${name} to count in Redis`);
}

/** Resolves once the limiter reads counts from Redis. */
async function readsFromRedis(limiter: RateLimiter, admin: Redis, name: string) {
  const probe = unique('probe');
  await admin.set(`wd:ratelimit:${name}:${probe}`, '1000', 'EX', 60);
  await waitFor(() => limiter.isLimited(probe), `${name} to read counts from Redis`);
}

test('RedisRateLimiter: attempts counted on one instance limit the key on another, per key, until the window ends', async () => {
  const name = unique('limit');
  const limit = { attempts: 3, windowSeconds: 1 };
  const counting = new RedisRateLimiter(REDIS_URL, name, limit);
  const checking = new RedisRateLimiter(REDIS_URL, name, limit);
  const admin = new Redis(REDIS_URL);
  try {
    await writesToRedis(counting, admin, name);
    await readsFromRedis(checking, admin, name);

    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.equal(await checking.isLimited('alice'), false, `limited before attempt ${attempt}`);
      await counting.hit('alice');
    }
    assert.equal(await checking.isLimited('alice'), true);
    assert.equal(await checking.isLimited('bob'), false);
    const ttl = await admin.pttl(`wd:ratelimit:${name}:alice`);
    assert.ok(ttl > 0 && ttl <= 1000, `the window expires in ${ttl} ms`);

    await waitFor(async () => !(await checking.isLimited('alice')), 'the window to end', 3000);
  } finally {
    await counting.close();
    await checking.close();
    admin.disconnect();
  }
});

test('RedisRateLimiter: while Redis cannot be reached, attempts are still limited in this process', async () => {
  const limiter = new RedisRateLimiter(UNREACHABLE_URL, unique('limit'), { attempts: 2, windowSeconds: 60 });
  try {
    await limiter.hit('alice');
    assert.equal(await limiter.isLimited('alice'), false);
    await limiter.hit('alice');
    assert.equal(await limiter.isLimited('alice'), true);
    assert.equal(await limiter.isLimited('bob'), false);
  } finally {
    await limiter.close();
  }
});

test('MemoryRateLimiter: limited after the allowed attempts, free again when the window ends', async () => {
  const limiter = new MemoryRateLimiter({ attempts: 2, windowSeconds: 0.2 });
  await limiter.hit('alice');
  assert.equal(await limiter.isLimited('alice'), false);
  await limiter.hit('alice');
  assert.equal(await limiter.isLimited('alice'), true);
  assert.equal(await limiter.isLimited('bob'), false);
  await sleep(250);
  assert.equal(await limiter.isLimited('alice'), false);
  await limiter.close();
});

test('createRateLimiter: Redis when a URL is given, else in-process', async () => {
  const local = createRateLimiter(undefined, unique('limit'), { attempts: 1, windowSeconds: 1 });
  const shared = createRateLimiter(REDIS_URL, unique('limit'), { attempts: 1, windowSeconds: 1 });
  try {
    assert.ok(local instanceof MemoryRateLimiter);
    assert.ok(shared instanceof RedisRateLimiter);
  } finally {
    await local.close();
    await shared.close();
  }
});

test('RedisLockManager: a section whose work threw is handed out once as interrupted; one that finished is not', async () => {
  const notesPrefix = unique('notes');
  const locks = new RedisLockManager(REDIS_URL, { notesPrefix });
  const failed = unique('failed');
  const finished = unique('finished');
  try {
    await locks.run(finished, async () => 'done');
    await assert.rejects(
      locks.run(failed, async () => {
        throw new Error('the store went away');
      }),
      /the store went away/,
    );
    assert.deepEqual(await locks.takeInterrupted(), [failed]);
    assert.deepEqual(await locks.takeInterrupted(), [], 'handed out once');
    await locks.markInterrupted(failed);
    assert.deepEqual(await locks.takeInterrupted(), [failed], 'given back, handed out again');
  } finally {
    await locks.close();
  }
});

test('RedisLockManager: the sections an instance had open when it died are adopted as interrupted by another', async () => {
  const notesPrefix = unique('notes');
  const redis = new Redis(REDIS_URL);
  const dying = new RedisLockManager(REDIS_URL, { notesPrefix, instanceId: 'dying' });
  const survivor = new RedisLockManager(REDIS_URL, { notesPrefix, instanceId: 'survivor' });
  const key = unique('held');
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  let leave!: () => void;
  let section: Promise<void> | undefined;
  try {
    // the section does not end while the test looks: its process "dies" inside it
    section = dying.run(key, () => {
      entered();
      return new Promise<void>((resolve) => (leave = resolve));
    });
    await inside;
    assert.deepEqual(await survivor.takeInterrupted(), [], 'an instance that is alive keeps its sections');
    // death: the alive key expires (here: is deleted) and nothing releases the section
    await redis.del(`${notesPrefix}:alive:dying`);
    assert.deepEqual(await survivor.takeInterrupted(), [key]);
    assert.equal(await redis.exists(`${notesPrefix}:open:dying`), 0, 'the dead instance notes are gone');
  } finally {
    leave?.();
    await section;
    await survivor.close();
    await dying.close();
    await redis.quit();
  }
});

test('RedisLockManager: work asked for before the first connection waits for Redis instead of falling back', async () => {
  const fallbackUsed: boolean[] = [];
  const locks = new RedisLockManager(REDIS_URL, {
    fallback: {
      run: (_key, work) => {
        fallbackUsed.push(true);
        return work();
      },
    },
    onFallback: (active) => fallbackUsed.push(active),
  });
  try {
    // at once: the connection is still being made
    assert.equal(await locks.run(unique('first'), async () => 'done'), 'done');
    assert.deepEqual(fallbackUsed, [], 'the shared lock was used, not the process-local one');
  } finally {
    await locks.close();
  }
});
