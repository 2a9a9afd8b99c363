import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from './errors.js';
import { InProcessLockManager, LockTimeoutError, type LockManager } from './locks.js';

/** Timings of the store's locks. */
export interface StoreLockOptions {
  /** Names this instance in the documents it writes (default: a random id). */
  instanceId?: string;
  /** How long a lock lives unless its holder extends it (default 20 s, above a write's FINISH_WITHIN_MS). */
  ttlMs?: number;
  /** How long `run` waits for a lock before throwing LockTimeoutError (default 15 s). */
  waitMs?: number;
  /** How often the instances using these locks are looked up (default 1 s). */
  pollMs?: number;
}

/** A document of `storeLocks` (prisma-free-schema/src/collections/store-locks.ts). */
interface LockDocument {
  _id: string;
  owner: string;
  expiresAt: Date;
  standIn?: boolean;
}

const COLLECTION = 'storeLocks';
const STAND_IN = 'stand-in:';

/**
 * Locks kept in the store, for while Redis cannot be reached: the Redis lock manager's fallback.
 *
 * Why not the process's own locks: FerretDB 1.24 does not apply concurrent updates of one document
 * atomically, so two instances that each hold only their own lock lose counter updates (the soak
 * saw a mailbox counter one message low after a Redis restart). A lock here is a document under the
 * lock's name: inserting it takes the lock (the unique `_id` lets one instance win, on FerretDB as
 * on MongoDB), deleting it by `{_id, owner}` releases it. Its holder extends it while it works; one
 * whose holder died expires and is taken away by the next instance that wants it, which notes the
 * section as interrupted so the write healer looks at what it guarded.
 *
 * Switching between Redis and the store must not let two instances in at once, so each instance
 * using these locks says so with a `stand-in:<instance>` document it refreshes, and every instance
 * looks those up each `pollMs`: while another instance stands in, an instance that still reaches
 * Redis takes the store lock as well as the Redis one (`inUseElsewhere`), and one that starts to
 * stand in waits a little longer than `pollMs` first, so the others know before it relies on these
 * alone. What is left: taking away an expired lock is a read then a conditional delete, and on
 * FerretDB the delete is not atomic either; it races only a holder that stalled past its lease.
 *
 * Within one process, callers queue on in-process locks first, so only one of them polls the store.
 */
export class StoreLockManager implements LockManager {
  private readonly locks: Collection<LockDocument>;
  private readonly local = new InProcessLockManager();
  private readonly instanceId: string;
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly pollMs: number;
  private readonly interrupted = new Set<string>();
  private readonly pollTimer: NodeJS.Timeout;
  private standInTimer: NodeJS.Timeout | null = null;
  private standingIn: Promise<void> | null = null;
  private othersStandingIn = false;

  constructor(db: Db, options: StoreLockOptions = {}) {
    this.locks = db.collection<LockDocument>(COLLECTION);
    this.instanceId = options.instanceId ?? randomUUID();
    this.ttlMs = options.ttlMs ?? 20_000;
    this.waitMs = options.waitMs ?? 15_000;
    this.pollMs = options.pollMs ?? 1000;
    this.pollTimer = setInterval(() => void this.lookUpStandIns(), this.pollMs);
    this.pollTimer.unref();
    void this.lookUpStandIns();
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(key, () => this.runShared(key, work));
  }

  /**
   * Names of sections that did not finish: their work threw, or they were found expired (their
   * holder died or stalled). Expired locks nobody asked for since are collected here too, so a
   * section interrupted during an outage is healed even when no one wants its lock afterwards.
   */
  async takeInterrupted(limit = 100): Promise<string[]> {
    await this.collectExpired().catch(() => {});
    // the in-process queue notes failed sections too; those are noted here already
    await this.local.takeInterrupted(Number.MAX_SAFE_INTEGER);
    const taken = [...this.interrupted].slice(0, limit);
    for (const key of taken) this.interrupted.delete(key);
    return taken;
  }

  async markInterrupted(key: string): Promise<void> {
    this.interrupted.add(key);
  }

  /** Whether another instance is using these locks now (then holders of Redis locks take these too). */
  inUseElsewhere(): boolean {
    return this.othersStandingIn;
  }

  /**
   * Says this instance is using these locks (Redis is away for it) and resolves once the others
   * have had time to notice. Repeated calls while standing in return at once.
   */
  standIn(): Promise<void> {
    this.standingIn ??= this.beginStandingIn();
    return this.standingIn;
  }

  /** Says this instance no longer uses these locks (Redis is back). */
  async standDown(): Promise<void> {
    if (!this.standingIn) return;
    this.standingIn = null;
    if (this.standInTimer) clearInterval(this.standInTimer);
    this.standInTimer = null;
    await this.locks.deleteOne({ _id: `${STAND_IN}${this.instanceId}` }).catch(() => {});
  }

  private async beginStandingIn(): Promise<void> {
    const refresh = () =>
      this.locks
        .replaceOne(
          { _id: `${STAND_IN}${this.instanceId}` },
          { owner: this.instanceId, expiresAt: new Date(Date.now() + this.pollMs * 15), standIn: true },
          { upsert: true },
        )
        .catch(() => {});
    this.standInTimer = setInterval(() => void refresh(), this.pollMs * 5);
    this.standInTimer.unref();
    await refresh();
    await new Promise((resolve) => setTimeout(resolve, this.pollMs * 1.5));
  }

  /** Stops the timers and withdraws this instance's stand-in document. */
  async close(): Promise<void> {
    clearInterval(this.pollTimer);
    await this.standDown();
  }

  private async runShared<T>(key: string, work: () => Promise<T>): Promise<T> {
    const token = `${this.instanceId}:${randomUUID()}`;
    const deadline = Date.now() + this.waitMs;
    let delay = 5;
    while (!(await this.take(key, token))) {
      if (Date.now() > deadline) throw new LockTimeoutError(key, this.waitMs);
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 100);
    }
    const keepAlive = setInterval(() => {
      void this.locks
        .updateOne({ _id: key, owner: token }, { $set: { expiresAt: this.expiry() } })
        .catch(() => {});
    }, this.ttlMs / 3);
    try {
      return await work();
    } catch (error) {
      this.interrupted.add(key);
      throw error;
    } finally {
      clearInterval(keepAlive);
      // left in place if the store is away: it expires, and the next one to want it takes it away
      await this.locks.deleteOne({ _id: key, owner: token }).catch(() => {});
    }
  }

  /** One try: true when this call holds the lock now. An expired holder is taken away for the next try. */
  private async take(key: string, token: string): Promise<boolean> {
    try {
      await this.locks.insertOne({ _id: key, owner: token, expiresAt: this.expiry() });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const holder = await this.locks.findOne({ _id: key });
    // our own insert, applied though its answer was lost
    if (holder?.owner === token) return true;
    if (holder && holder.expiresAt.getTime() < Date.now()) await this.takeAway(holder);
    return false;
  }

  /** Deletes an expired lock (only if it still has that owner) and notes its section as interrupted. */
  private async takeAway(holder: LockDocument): Promise<void> {
    const removed = await this.locks.deleteOne({ _id: holder._id, owner: holder.owner });
    if (removed.deletedCount) this.interrupted.add(holder._id);
  }

  /** Takes away every expired lock (a live holder extends its own: its holder died during an outage). */
  private async collectExpired(): Promise<void> {
    const now = Date.now();
    const documents = await this.locks.find({}).toArray();
    for (const document of documents) {
      if (document.expiresAt.getTime() >= now) continue;
      // a stand-in whose instance died says nothing any more: it just goes
      if (document.standIn) await this.locks.deleteOne({ _id: document._id, owner: document.owner });
      else await this.takeAway(document);
    }
  }

  private async lookUpStandIns(): Promise<void> {
    try {
      const standIns = await this.locks.find({ standIn: true }).toArray();
      const now = Date.now();
      this.othersStandingIn = standIns.some(
        (document) => document.owner !== this.instanceId && document.expiresAt.getTime() > now,
      );
    } catch {
      // the store is away: keep what was known; nothing can be written without it anyway
    }
  }

  private expiry(): Date {
    return new Date(Date.now() + this.ttlMs);
  }
}
