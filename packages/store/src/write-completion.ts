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
  // within a locked section, every step ends by the section's deadline: its MODSEQs were taken at
  // its start, and readers step over a hole after JOURNAL_GAP_TIMEOUT_MS, so a journal entry that
  // came later than that would never be read (the write healer journals it again instead)
  const deadline = Math.min(Date.now() + FINISH_WITHIN_MS, sections.getStore()?.deadline ?? Infinity);
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

/**
 * The locked section a write runs in: told when one of its steps had to be tried again or was left
 * unfinished, and when its steps must be done by.
 */
const sections = new AsyncLocalStorage<{ retried: boolean; deadline: number }>();

/**
 * Runs a locked section and calls `onRetried` after it when a step of it went through finishWrite's
 * retries or was left to the healer (`completeAfterChange`). Such a section finished, but a step
 * that was applied twice (its first answer lost) may have moved a counter twice, and one left
 * undone left a counter or the journal behind: the caller notes it for the write healer, as if it
 * had been cut off.
 */
export async function noteRetriedSteps<T>(
  work: () => Promise<T>,
  onRetried: () => Promise<void>,
): Promise<T> {
  const section = { retried: false, deadline: Date.now() + FINISH_WITHIN_MS };
  try {
    return await sections.run(section, work);
  } finally {
    if (section.retried) await onRetried().catch(() => {});
  }
}

/**
 * Runs a step that follows a write's change (its journal entry, search documents, counters) inside
 * a locked section. The change is made: if the store stays away past the section's deadline, the
 * step is left to the write healer (the section is noted; the healer journals again at a new
 * MODSEQ and recounts) instead of failing the write. A failure here would be read as "nothing
 * happened" (IMAP NO, SMTP 4xx) about a change that did happen, and the caller would give back
 * what the change still uses (an APPEND's parts, which a stored message refers to).
 * Outside a section, or for an answer from the store (not its absence), the error is thrown.
 */
export async function completeAfterChange<T>(step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    const section = sections.getStore();
    if (!section || !isStoreUnreachable(error)) throw error;
    section.retried = true;
    return undefined;
  }
}
