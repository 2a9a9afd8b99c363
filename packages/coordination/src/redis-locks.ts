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
  /**
   * Locks to use while Redis cannot be reached (the process's own), so mail keeps flowing through
   * an outage instead of failing every write; without one, `run` fails while Redis is away.
   */
  fallback?: NamedLocks;
  /** Told once per outage that the fallback is in use, and once when Redis is back. */
  onFallback?: (active: boolean) => void;
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
  private readonly fallback: NamedLocks | undefined;
  private readonly onFallback: ((active: boolean) => void) | undefined;
  private degraded = false;

  constructor(url: string, options: RedisLockOptions = {}) {
    this.fallback = options.fallback;
    this.onFallback = options.onFallback;
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 2,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    });
    this.redis.on('error', () => {});
    this.ttlMs = options.ttlMs ?? 10_000;
    this.waitMs = options.waitMs ?? 15_000;
  }

  /**
   * Runs `work` under the lock. While Redis is unreachable the fallback locks are used: exclusion
   * then holds within this process only; on MongoDB writes stay correct (its updates are atomic and
   * unique indexes refuse duplicate UIDs), on FerretDB concurrent writers on several instances may
   * race until Redis is back. That beats refusing all mail for the length of an outage.
   */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (this.fallback && this.redis.status !== 'ready') return this.runDegraded(key, work);
    try {
      return await this.runWithRedis(key, work);
    } catch (error) {
      if (this.fallback && error instanceof RedisUnavailable) return this.runDegraded(key, work);
      throw error instanceof RedisUnavailable ? error.cause : error;
    }
  }

  private runDegraded<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (!this.degraded) {
      this.degraded = true;
      this.onFallback?.(true);
      this.redis.once('ready', () => {
        this.degraded = false;
        this.onFallback?.(false);
      });
    }
    return this.fallback!.run(key, work);
  }

  private async runWithRedis<T>(key: string, work: () => Promise<T>): Promise<T> {
    const redisKey = `wd:lock:${key}`;
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    let delay = 2;
    const take = () =>
      this.redis.set(redisKey, token, 'PX', this.ttlMs, 'NX').catch((error: unknown) => {
        throw new RedisUnavailable(error);
      });
    while ((await take()) !== 'OK') {
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

/** Redis did not answer a lock request (as opposed to the lock being held by someone else). */
class RedisUnavailable extends Error {
  constructor(override readonly cause: unknown) {
    super('Redis is unavailable');
  }
}
