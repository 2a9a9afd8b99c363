/**
 * Short exclusive sections, keyed by name ("user:<id>", "part:<sha256>").
 *
 * Why the store needs them: FerretDB 1.24 does not apply concurrent updates of one document
 * atomically (40 concurrent `$inc` of one field leave it at 3; a conditional update can have
 * several winners), so counters, reference counts and flag updates are made safe by running each
 * read-modify-write under a lock. On MongoDB the same code is correct without them; the locks then
 * cost a round trip to Redis and nothing else. Unique indexes stay the last line of defence.
 */
export interface LockManager {
  /** Runs `work` while holding the lock `key`; waits for it (throws LockTimeoutError after a while). */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /**
   * Names of locks whose sections did not finish (the work threw, or, with shared locks, the
   * process holding them died), each handed out once. A writer that stopped halfway may have left
   * counters wrong: the mail service's consistency healer looks at each (mail-service healer.ts).
   */
  takeInterrupted?(limit?: number): Promise<string[]>;
  /** Gives back a name taken with `takeInterrupted` that could not be looked at yet. */
  markInterrupted?(key: string): Promise<void>;
}

/** The lock could not be taken in time (the store is overloaded or another holder hangs). */
export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
  constructor(key: string, waitedMs: number) {
    super(`could not take the lock ${key} within ${waitedMs} ms`);
  }
}

/** Locks within this process only: for a single node (no Redis) and for tests. */
export class InProcessLockManager implements LockManager {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly interrupted = new Set<string>();

  async takeInterrupted(limit = 100): Promise<string[]> {
    const taken = [...this.interrupted].slice(0, limit);
    for (const key of taken) this.interrupted.delete(key);
    return taken;
  }

  async markInterrupted(key: string): Promise<void> {
    this.interrupted.add(key);
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } catch (error) {
      this.interrupted.add(key);
      throw error;
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
