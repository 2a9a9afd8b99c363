import type { Db } from 'mongodb';
import { DEFAULT_APPEND_SETTINGS, type AppendSettings } from './append-settings.js';
import { InProcessLockManager, type LockManager } from './locks.js';
import { noteRetriedSteps } from './write-completion.js';

/** What every store operation needs: the database, the locks, and the storage settings. */
export interface StoreContext {
  readonly db: Db;
  readonly locks: LockManager;
  readonly settings: AppendSettings;
}

/** A context with in-process locks and default settings (one node, tests). */
export function storeContext(
  db: Db,
  locks: LockManager = new InProcessLockManager(),
  settings: Partial<AppendSettings> = {},
): StoreContext {
  return { db, locks: healable(locks), settings: { ...DEFAULT_APPEND_SETTINGS, ...settings } };
}

/**
 * The locks, with every section whose write had to retry a step through a store outage noted as
 * interrupted: a counter `$inc` applied twice (its first answer lost) leaves the counter off by
 * one, and only a noted section gets the write healer's recount (the soak saw a mailbox counter
 * one message low after cuts of the store connection).
 */
function healable(locks: LockManager): LockManager {
  return {
    run: (key, work) =>
      locks.run(key, () => noteRetriedSteps(work, async () => await locks.markInterrupted?.(key))),
    ...(locks.takeInterrupted ? { takeInterrupted: (limit) => locks.takeInterrupted!(limit) } : {}),
    ...(locks.markInterrupted ? { markInterrupted: (key) => locks.markInterrupted!(key) } : {}),
  };
}

/** The lock key that serialises one user's counters, UIDs, MODSEQs and flag changes. */
export function userLock(user: { toHexString(): string }): string {
  return `user:${user.toHexString()}`;
}

/** The lock key of one stored part (its reference count). */
export function partLock(sha256: string): string {
  return `part:${sha256}`;
}
