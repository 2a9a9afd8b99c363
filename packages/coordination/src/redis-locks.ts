import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** Same shape as the store's LockManager (the store sits below this package and cannot import it). */
export interface NamedLocks {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  takeInterrupted?(limit?: number): Promise<string[]>;
  markInterrupted?(key: string): Promise<void>;
}

/**
 * Locks every instance can reach without Redis (the store's): while any instance uses them, the
 * others take them too, so instances exclude each other across a Redis outage and its end.
 */
export interface SharedFallbackLocks extends NamedLocks {
  /** Says this instance now uses them; resolves once the other instances can have noticed. */
  standIn(): Promise<void>;
  /** Says this instance uses Redis again. */
  standDown(): Promise<void>;
  /** Whether another instance uses them now. */
  inUseElsewhere(): boolean;
}

/** How long a lock lives without being extended, and how long a caller waits for one. */
export interface RedisLockOptions {
  /** Names this process's open sections in Redis (default: a random id per process). */
  instanceId?: string;
  /** Prefix of the keys that note open and interrupted sections (default `wd:locks`; tests use their own). */
  notesPrefix?: string;
  /** Time to live of a lock in Redis; it is extended while its holder works (default 10 s). */
  ttlMs?: number;
  /** How long `run` waits to get the lock before failing (default 15 s). */
  waitMs?: number;
  /**
   * Locks to use while Redis cannot be reached, so mail keeps flowing through an outage instead of
   * failing every write; without one, `run` fails while Redis is away. Shared ones (the store's)
   * keep instances excluding each other; the process's own exclude only within the process.
   */
  fallback?: NamedLocks | SharedFallbackLocks;
  /** Told once per outage that the fallback is in use, and once when Redis is back. */
  onFallback?: (active: boolean) => void;
}

/**
 * Takes the lock and, in the same step, notes the section as open in this instance's set
 * (KEYS: lock, open sections; ARGV: token, ttl, lock name).
 */
const TAKE = `if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  redis.call('sadd', KEYS[2], ARGV[3])
  return 1
end
return 0`;
/**
 * Releases only a lock we still own (its value is our token), closes the section, and when the work
 * failed notes the lock's name as interrupted (KEYS: lock, open sections, interrupted; ARGV: token,
 * lock name, '1' when the work failed).
 */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
redis.call('srem', KEYS[2], ARGV[2])
if ARGV[3] == '1' then redis.call('sadd', KEYS[3], ARGV[2]) end
return 1`;
/** Moves the open sections of an instance that is gone into the interrupted set (KEYS: its alive key, its sections, interrupted). */
const ADOPT = `if redis.call('exists', KEYS[1]) == 1 then return 0 end
local names = redis.call('smembers', KEYS[2])
for _, name in ipairs(names) do redis.call('sadd', KEYS[3], name) end
redis.call('del', KEYS[2])
return #names`;
/** An instance's alive key outlives its refresh period by this much. */
const ALIVE_TTL_MS = 15_000;
/** Extends only a lock we still own. */
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Locks shared by every instance: `SET key token NX PX ttl`, extended while the work runs, released
 * with a compare-and-delete. A holder that dies loses its lock after the TTL, so nothing waits forever.
 *
 * Sections that did not finish are remembered, so what they left half done can be looked at: a
 * section whose work threw, and every section open in an instance that died (each instance keeps
 * its open sections in a Redis set and an alive key it refreshes; when the alive key has expired,
 * the next `takeInterrupted` of any instance adopts the set). Both cost nothing extra: the notes
 * ride in the scripts that take and release the lock.
 */
export class RedisLockManager implements NamedLocks {
  private readonly redis: Redis;
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly fallback: NamedLocks | SharedFallbackLocks | undefined;
  private readonly onFallback: ((active: boolean) => void) | undefined;
  private degraded = false;
  /** Sections running on the fallback now. */
  private fallbackSections = 0;
  /** Redis is back: stand down from the fallback when its last section ends. */
  private standDownWanted = false;
  private everReady = false;
  private readonly firstReady: Promise<void>;
  private readonly instanceId: string;
  private readonly sectionsKey: string;
  private readonly aliveKey: string;
  private readonly aliveTimer: NodeJS.Timeout;
  private readonly notesPrefix: string;
  private readonly interruptedKey: string;
  /** Sections that failed while Redis could not be told (the fallback in use): told when it is back. */
  private readonly failedLocally = new Set<string>();

  constructor(url: string, options: RedisLockOptions = {}) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.notesPrefix = options.notesPrefix ?? 'wd:locks';
    this.sectionsKey = `${this.notesPrefix}:open:${this.instanceId}`;
    this.aliveKey = `${this.notesPrefix}:alive:${this.instanceId}`;
    this.interruptedKey = `${this.notesPrefix}:interrupted`;
    this.fallback = options.fallback;
    this.onFallback = options.onFallback;
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 2,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    });
    this.redis.on('error', () => {});
    this.ttlMs = options.ttlMs ?? 10_000;
    this.waitMs = options.waitMs ?? 15_000;
    this.redis.once('ready', () => (this.everReady = true));
    // no longer than a caller would wait for a lock anyway; then the fallback as before
    this.firstReady = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.waitMs);
      timer.unref();
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const keepAlive = () => void this.redis.set(this.aliveKey, '1', 'PX', ALIVE_TTL_MS).catch(() => {});
    keepAlive();
    this.aliveTimer = setInterval(keepAlive, ALIVE_TTL_MS / 3);
    this.aliveTimer.unref();
  }

  /**
   * Names of locks whose sections did not finish (their work threw, or their instance died), up to
   * `limit`, each handed out once: the caller looks at what they guard and, if it cannot, gives the
   * name back with `markInterrupted`.
   */
  async takeInterrupted(limit = 100): Promise<string[]> {
    // sections the fallback saw fail or expire (an instance that died while Redis was away)
    for (const name of (await this.fallback?.takeInterrupted?.(limit).catch(() => [])) ?? [])
      this.failedLocally.add(name);
    const taken = [...this.failedLocally].slice(0, limit);
    for (const name of taken) this.failedLocally.delete(name);
    if (this.redis.status !== 'ready') return taken;
    try {
      let cursor = '0';
      do {
        const open = `${this.notesPrefix}:open:`;
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${open}*`, 'COUNT', 100);
        cursor = next;
        for (const key of keys) {
          const id = key.slice(open.length);
          if (id !== this.instanceId)
            await this.redis.eval(ADOPT, 3, `${this.notesPrefix}:alive:${id}`, key, this.interruptedKey);
        }
      } while (cursor !== '0');
      const popped = await this.redis.spop(this.interruptedKey, Math.max(1, limit - taken.length));
      return [...taken, ...popped];
    } catch {
      for (const name of taken) this.failedLocally.add(name);
      return [];
    }
  }

  /** Notes a lock's section as interrupted (or gives back one taken with `takeInterrupted`). */
  async markInterrupted(name: string): Promise<void> {
    await this.redis.sadd(this.interruptedKey, name).catch(() => this.failedLocally.add(name));
  }

  /**
   * Runs `work` under the lock. While Redis is unreachable the fallback locks are used. With shared
   * ones (the store's), instances keep excluding each other: while any instance uses them, those
   * that reach Redis take them as well (the switch happens at different moments on each instance).
   * With process-local ones, on FerretDB writers on several instances may race until Redis is back.
   */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    // a process just started waits for its first connection: falling back while the other
    // instances hold their locks in Redis would exclude nobody (found by the soak: a mail server
    // restarted after SIGKILL took UIDs and MODSEQs its peer was taking at the same time)
    if (this.fallback && !this.everReady) await this.firstReady;
    if (this.fallback && this.redis.status !== 'ready') return this.runDegraded(key, work);
    const shared = this.sharedFallback();
    // this instance's own sections begun on the fallback may still run just after Redis is back
    const guarded =
      shared && (shared.inUseElsewhere() || this.fallbackSections > 0) ? () => shared.run(key, work) : work;
    try {
      return await this.runWithRedis(key, guarded);
    } catch (error) {
      if (this.fallback && error instanceof RedisUnavailable) return this.runDegraded(key, work);
      throw error instanceof RedisUnavailable ? error.cause : error;
    }
  }

  private async runDegraded<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (!this.degraded) {
      this.degraded = true;
      this.onFallback?.(true);
      this.redis.once('ready', () => {
        this.degraded = false;
        this.onFallback?.(false);
        this.standDownWanted = true;
        this.standDownWhenDone();
      });
    }
    // said on every section, as it is cheap once standing in: a first one still waiting makes the
    // others wait too, so none relies on the fallback before the other instances know of it
    this.fallbackSections += 1;
    try {
      await this.sharedFallback()?.standIn();
      return await this.fallback!.run(key, work);
    } catch (error) {
      this.failedLocally.add(key);
      throw error;
    } finally {
      this.fallbackSections -= 1;
      this.standDownWhenDone();
    }
  }

  /** Once Redis is back and the last section on the fallback has ended, the others stop taking it. */
  private standDownWhenDone(): void {
    if (!this.standDownWanted || this.fallbackSections > 0) return;
    this.standDownWanted = false;
    void this.sharedFallback()?.standDown();
  }

  private async runWithRedis<T>(key: string, work: () => Promise<T>): Promise<T> {
    const redisKey = `wd:lock:${key}`;
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    let delay = 2;
    const take = () =>
      this.redis
        .eval(TAKE, 2, redisKey, this.sectionsKey, token, String(this.ttlMs), key)
        .catch((error: unknown) => {
          throw new RedisUnavailable(error);
        });
    while ((await take()) !== 1) {
      if (Date.now() > deadline) throw new LockWaitTimeout(key, this.waitMs);
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 50);
    }
    const keepAlive = setInterval(() => {
      void this.redis.eval(EXTEND, 1, redisKey, token, String(this.ttlMs)).catch(() => {});
    }, this.ttlMs / 3);
    let failed = true;
    try {
      const result = await work();
      failed = false;
      return result;
    } finally {
      clearInterval(keepAlive);
      await this.redis
        .eval(RELEASE, 3, redisKey, this.sectionsKey, this.interruptedKey, token, key, failed ? '1' : '0')
        .catch(() => {
          if (failed) this.failedLocally.add(key);
        });
    }
  }

  private sharedFallback(): SharedFallbackLocks | undefined {
    const fallback = this.fallback as Partial<SharedFallbackLocks> | undefined;
    return fallback?.standIn && fallback.standDown && fallback.inUseElsewhere
      ? (fallback as SharedFallbackLocks)
      : undefined;
  }

  /** Stops, saying this instance is gone: what it still has open is adopted as interrupted at once. */
  async close(): Promise<void> {
    clearInterval(this.aliveTimer);
    await this.redis.del(this.aliveKey).catch(() => {});
    this.redis.disconnect();
  }
}

/** The lock was held by another for longer than a caller waits (named as the store's LockTimeoutError). */
export class LockWaitTimeout extends Error {
  override name = 'LockTimeoutError';
  constructor(key: string, waitedMs: number) {
    super(`could not take the lock ${key} within ${waitedMs} ms`);
  }
}

/** Redis did not answer a lock request (as opposed to the lock being held by someone else). */
class RedisUnavailable extends Error {
  constructor(override readonly cause: unknown) {
    super('Redis is unavailable');
  }
}
