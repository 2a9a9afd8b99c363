import type { Db } from 'mongodb';
import { InProcessLockManager, StoreLockManager, type LockManager } from '@wildduck/store';
import { RedisLockManager } from '@wildduck/coordination';

/** The locks a process takes, and how to let them go at shutdown. */
export interface SharedLocks {
  locks: LockManager;
  close(): Promise<void>;
}

/** Where the switch to and from the store's locks is told (a pino logger fits). */
export interface LockSwitchLogger {
  info(msg: string): void;
  warn(msg: string): void;
}

/**
 * The locks every instance on one store and one Redis shares: Redis locks, and the store's own
 * while Redis is away (so instances still exclude each other: FerretDB's updates of one document
 * are not atomic). Without Redis (one node), the process's own.
 */
export function openSharedLocks(
  db: Db,
  redisUrl: string | undefined,
  logger?: LockSwitchLogger,
): SharedLocks {
  if (!redisUrl) return { locks: new InProcessLockManager(), close: async () => {} };
  const fallback = new StoreLockManager(db);
  const locks = new RedisLockManager(redisUrl, {
    fallback,
    onFallback: (active) =>
      active
        ? logger?.warn('Redis is unreachable: locks are taken in the store until it is back')
        : logger?.info('Redis is back: locks are taken in Redis again'),
  });
  return {
    locks,
    async close() {
      await locks.close();
      await fallback.close();
    },
  };
}
