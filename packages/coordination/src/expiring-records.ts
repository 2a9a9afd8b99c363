import { Redis } from 'ioredis';

/**
 * Short-lived records by key (e.g. what an undo needs), shared by every instance when they live
 * in Redis: a record can be taken once, by whichever instance the next request reaches.
 */
export interface ExpiringRecords {
  /** Keeps `value` under `key` for `ttlSeconds`. */
  put(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** The value under `key`, removed in the same step (so only one taker gets it); null when expired or taken. */
  take(key: string): Promise<string | null>;
  /** The value under `key` without removing it; null when expired or taken. */
  peek(key: string): Promise<string | null>;
  close(): Promise<void>;
}

/** Records in Redis (SET EX, GETDEL), prefixed by `name`. */
export class RedisExpiringRecords implements ExpiringRecords {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly name: string,
  ) {
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    });
    this.redis.on('error', () => {});
  }

  private key(key: string): string {
    return `wd:${this.name}:${key}`;
  }

  async put(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key(key), value, 'EX', ttlSeconds);
  }

  async take(key: string): Promise<string | null> {
    return this.redis.getdel(this.key(key));
  }

  async peek(key: string): Promise<string | null> {
    return this.redis.get(this.key(key));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Records in this process only (one node without Redis, and tests). */
export class MemoryExpiringRecords implements ExpiringRecords {
  private readonly records = new Map<string, { value: string; expiresAt: number }>();

  async put(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.sweep();
    this.records.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  async take(key: string): Promise<string | null> {
    const value = await this.peek(key);
    this.records.delete(key);
    return value;
  }

  async peek(key: string): Promise<string | null> {
    const record = this.records.get(key);
    return record && record.expiresAt > Date.now() ? record.value : null;
  }

  /** Expired records go when the next one is kept, so the map never grows without bound. */
  private sweep(): void {
    const now = Date.now();
    for (const [key, record] of this.records) if (record.expiresAt <= now) this.records.delete(key);
  }

  async close(): Promise<void> {
    this.records.clear();
  }
}

/** Redis-backed when a URL is given, else in-process. */
export function createExpiringRecords(redisUrl: string | undefined, name: string): ExpiringRecords {
  return redisUrl ? new RedisExpiringRecords(redisUrl, name) : new MemoryExpiringRecords();
}
