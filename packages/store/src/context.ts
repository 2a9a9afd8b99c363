import type { Db } from 'mongodb';
import { DEFAULT_APPEND_SETTINGS, type AppendSettings } from './append-settings.js';
import { InProcessLockManager, type LockManager } from './locks.js';

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
  return { db, locks, settings: { ...DEFAULT_APPEND_SETTINGS, ...settings } };
}

/** The lock key that serialises one user's counters, UIDs, MODSEQs and flag changes. */
export function userLock(user: { toHexString(): string }): string {
  return `user:${user.toHexString()}`;
}

/** The lock key of one stored part (its reference count). */
export function partLock(sha256: string): string {
  return `part:${sha256}`;
}
