import { AsyncLocalStorage } from 'node:async_hooks';
import { MongoNetworkError, MongoServerSelectionError, MongoBulkWriteError, MongoServerError } from 'mongodb';

/**
 * How long a step of a write that has begun keeps trying to finish through a store outage: well
 * inside JOURNAL_GAP_TIMEOUT_MS, so readers wait for the journal entry rather than step over it.
 */
export const FINISH_WITHIN_MS = 20_000;

/**
 * Runs one step of a write that has already changed something (a message deleted, moved or
 * stored), retrying it while the store cannot be reached, so the write is finished rather than
 * left half done: a deleted message without its EXPUNGE journal entry is one no IMAP view or
 * subscriber ever hears of, and a client told NO would believe nothing changed.
 *
 * Retried: the store did not answer (no server, the connection broke). Anything else (the store
 * answered with an error) is thrown at once. A step whose first try was applied but whose answer
 * was lost runs twice, so steps given here must be idempotent or tolerate that: journal inserts
 * carry their own _id (a repeat is a duplicate key, taken as done), counter updates may drift by
 * one such update, which `npm run fsck` finds and repairs.
 */
export async function finishWrite<T>(step: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + FINISH_WITHIN_MS;
  let delay = 100;
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (!isStoreUnreachable(error) || Date.now() + delay > deadline) throw error;
      const section = sections.getStore();
      if (section) section.retried = true;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }
}

/**
 * A failure that says "not now" rather than "wrong": the store did not answer, or a lock held
 * across a store outage could not be taken in time. IMAP answers it NO [UNAVAILABLE].
 */
export function isTemporaryFailure(error: unknown): boolean {
  return isStoreUnreachable(error) || (error instanceof Error && error.name === 'LockTimeoutError');
}

/** The store did not answer: no server could be selected, or the connection broke. */
export function isStoreUnreachable(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  // the driver names some of its own: a pool cleared after a network error, a closed connection
  return (
    error instanceof Error &&
    /PoolCleared|connection .* closed|ECONNRE/i.test(`${error.name} ${error.message}`)
  );
}

/** A bulk insert refused only because some documents are there already (an earlier try was applied). */
export function onlyDuplicates(error: unknown): boolean {
  if (error instanceof MongoBulkWriteError) {
    const errors = error.writeErrors;
    const list = Array.isArray(errors) ? errors : [errors];
    return list.length > 0 && list.every((entry) => entry.code === 11000);
  }
  return error instanceof MongoServerError && error.code === 11000;
}

/** The locked section a write runs in: told when one of its steps had to be tried again. */
const sections = new AsyncLocalStorage<{ retried: boolean }>();

/**
 * Runs a locked section and calls `onRetried` after it when a step of it went through finishWrite's
 * retries. Such a section finished, but a step that was applied twice (its first answer lost) may
 * have moved a counter twice: the caller notes it for the write healer, as if it had been cut off.
 */
export async function noteRetriedSteps<T>(
  work: () => Promise<T>,
  onRetried: () => Promise<void>,
): Promise<T> {
  const section = { retried: false };
  try {
    return await sections.run(section, work);
  } finally {
    if (section.retried) await onRetried().catch(() => {});
  }
}
