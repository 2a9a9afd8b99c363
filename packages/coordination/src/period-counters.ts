import { Redis } from 'ioredis';

/** A counter kept per minute, per hour and per day, so a chart of any range is one MGET. */
export type CounterScale = 'm' | 'h' | 'd';

const UNIT_MS: Record<CounterScale, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
/** Minute counters for two hours, hour counters for two days, day counters for 31 days. */
const KEEP_SECONDS: Record<CounterScale, number> = { m: 2 * 3600, h: 2 * 86_400, d: 31 * 86_400 };
const SCALES: readonly CounterScale[] = ['m', 'h', 'd'];

/** The period (whole units since the epoch) a time falls in. */
export function periodOf(scale: CounterScale, at: number): number {
  return Math.floor(at / UNIT_MS[scale]);
}

/**
 * Counts per period shared by every instance (deliveries for the admin charts), and once-only
 * claims (which instance takes this minute's storage sample).
 */
export interface PeriodCounters {
  /** Adds `count` to the minute, hour and day `at` falls in. */
  add(at: number, count: number): Promise<void>;
  /** The counts of these periods of one scale (0 where none). */
  read(scale: CounterScale, periods: readonly number[]): Promise<number[]>;
  /** True for the one caller (of every instance) that claims `name` first while it lasts. */
  claim(name: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Counters in Redis: INCRBY with an expiry (one pipeline per add), MGET to read. */
export class RedisPeriodCounters implements PeriodCounters {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly name: string,
    private readonly prefix = 'wd',
  ) {
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    });
    this.redis.on('error', () => {});
  }

  private key(scale: CounterScale, period: number): string {
    return `${this.prefix}:count:${this.name}:${scale}:${period}`;
  }

  async add(at: number, count: number): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const scale of SCALES) {
      const key = this.key(scale, periodOf(scale, at));
      pipeline.incrby(key, count).expire(key, KEEP_SECONDS[scale]);
    }
    await pipeline.exec();
  }

  async read(scale: CounterScale, periods: readonly number[]): Promise<number[]> {
    if (!periods.length) return [];
    const values = await this.redis.mget(periods.map((period) => this.key(scale, period)));
    return values.map((value) => Number(value ?? 0));
  }

  async claim(name: string, ttlMs: number): Promise<boolean> {
    return (
      (await this.redis.set(`${this.prefix}:claim:${this.name}:${name}`, '1', 'PX', ttlMs, 'NX')) === 'OK'
    );
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Counters in this process only (one node without Redis). */
export class MemoryPeriodCounters implements PeriodCounters {
  private readonly counts = new Map<string, number>();
  private readonly claims = new Map<string, number>();

  async add(at: number, count: number): Promise<void> {
    for (const scale of SCALES) {
      const key = `${scale}:${periodOf(scale, at)}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + count);
    }
    // forget what the Redis version would have let expire
    for (const key of this.counts.keys()) {
      const [scale, period] = key.split(':') as [CounterScale, string];
      if ((periodOf(scale, at) - Number(period)) * UNIT_MS[scale] > KEEP_SECONDS[scale] * 1000)
        this.counts.delete(key);
    }
  }

  async read(scale: CounterScale, periods: readonly number[]): Promise<number[]> {
    return periods.map((period) => this.counts.get(`${scale}:${period}`) ?? 0);
  }

  async claim(name: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    if ((this.claims.get(name) ?? 0) > now) return false;
    this.claims.set(name, now + ttlMs);
    for (const [each, until] of this.claims) if (until <= now) this.claims.delete(each);
    return true;
  }

  async close(): Promise<void> {}
}

/** Redis counters when a URL is given, else this process's. */
export function createPeriodCounters(redisUrl: string | undefined, name: string): PeriodCounters {
  return redisUrl ? new RedisPeriodCounters(redisUrl, name) : new MemoryPeriodCounters();
}
