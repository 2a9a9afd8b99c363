import { Redis } from 'ioredis';

/** Counts attempts per key in fixed windows; shared by every instance when it lives in Redis. */
export interface RateLimiter {
  /** Records one failed attempt for `key`. */
  hit(key: string): Promise<void>;
  /** True while `key` has used up its attempts in the current window. */
  isLimited(key: string): Promise<boolean>;
  close(): Promise<void>;
}

/** How many attempts, over how long. */
export interface RateLimit {
  /** Attempts allowed per window. */
  attempts: number;
  /** Window length in seconds. */
  windowSeconds: number;
}

/** Rate-limit counters in Redis (INCR with an expiry), so every instance sees the same counts. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly name: string,
    private readonly limit: RateLimit,
  ) {
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    });
    this.redis.on('error', () => {});
    this.local = new MemoryRateLimiter(limit);
  }

  private key(key: string): string {
    return `wd:ratelimit:${this.name}:${key}`;
  }

  /** Counts kept in this process while Redis is unreachable, so sign-in stays limited (and possible). */
  private readonly local: MemoryRateLimiter;

  async hit(key: string): Promise<void> {
    await this.local.hit(key);
    if (this.redis.status !== 'ready') return;
    const redisKey = this.key(key);
    try {
      const count = await this.redis.incr(redisKey);
      if (count === 1) await this.redis.expire(redisKey, this.limit.windowSeconds);
    } catch {
      // counted locally above
    }
  }

  async isLimited(key: string): Promise<boolean> {
    if (await this.local.isLimited(key)) return true;
    if (this.redis.status !== 'ready') return false;
    try {
      const count = Number((await this.redis.get(this.key(key))) ?? 0);
      return count >= this.limit.attempts;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Rate-limit counters in this process only (one node without Redis, and tests). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly limit: RateLimit) {}

  async hit(key: string): Promise<void> {
    const now = Date.now();
    const entry = this.counts.get(key);
    if (!entry || entry.resetAt <= now)
      this.counts.set(key, { count: 1, resetAt: now + this.limit.windowSeconds * 1000 });
    else entry.count++;
  }

  async isLimited(key: string): Promise<boolean> {
    const entry = this.counts.get(key);
    return !!entry && entry.resetAt > Date.now() && entry.count >= this.limit.attempts;
  }

  async close(): Promise<void> {
    this.counts.clear();
  }
}

/** Redis-backed when a URL is given, else in-process. */
export function createRateLimiter(redisUrl: string | undefined, name: string, limit: RateLimit): RateLimiter {
  return redisUrl ? new RedisRateLimiter(redisUrl, name, limit) : new MemoryRateLimiter(limit);
}
