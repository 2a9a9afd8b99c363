import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** Same shape as the store's LockManager (the store sits below this package and cannot import it). */
export interface NamedLocks {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** How long a lock lives without being extended, and how long a caller waits for one. */
export interface RedisLockOptions {
  /** Time to live of a lock in Redis; it is extended while its holder works (default 10 s). */
  ttlMs?: number;
  /** How long `run` waits to get the lock before failing (default 15 s). */
  waitMs?: number;
}

/** Releases only a lock we still own (its value is our token). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends only a lock we still own. */
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Locks shared by every instance: `SET key token NX PX ttl`, extended while the work runs, released
 * with a compare-and-delete. A holder that dies loses its lock after the TTL, so nothing waits forever.
 */
export class RedisLockManager implements NamedLocks {
  private readonly redis: Redis;
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(url: string, options: RedisLockOptions = {}) {
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 2,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    });
    this.redis.on('error', () => {});
    this.ttlMs = options.ttlMs ?? 10_000;
    this.waitMs = options.waitMs ?? 15_000;
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const redisKey = `wd:lock:${key}`;
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    let delay = 2;
    while ((await this.redis.set(redisKey, token, 'PX', this.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`could not take the lock ${key} within ${this.waitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 50);
    }
    const keepAlive = setInterval(() => {
      void this.redis.eval(EXTEND, 1, redisKey, token, String(this.ttlMs)).catch(() => {});
    }, this.ttlMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(keepAlive);
      await this.redis.eval(RELEASE, 1, redisKey, token).catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
