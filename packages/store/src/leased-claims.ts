import type { Db, Document, Filter, FindOptions } from 'mongodb';
import { isDuplicateKeyError } from './errors.js';
import { toNumber } from './ids.js';

/**
 * Leased, numbered claims on the rows of a durable outbox: the claiming that the webhook outbox
 * and the outgoing-mail outbox share, written once so that a fix to it (such as taking over a
 * claim left by a worker that stopped) reaches both.
 *
 * A row counts its claims (`claims`); the next claim is the insert of `<row>:<claims + 1>` into the
 * claims collection. Its `_id` is unique, so exactly one worker wins each claim on MongoDB and on
 * FerretDB 1.24 alike (whose `findOneAndUpdate` is not atomic under concurrency). The winner then
 * moves the row's `nextAttemptAt` to the end of its lease, so a row whose worker died is due again
 * by itself. Every filter here is a top-level scalar equality, which FerretDB pushes down.
 */
export interface LeasedOutbox {
  /** The collection of the rows. */
  outbox: string;
  /** The collection of the claims (`<row>:<claim number>`). */
  claims: string;
  /**
   * The claims' field that names their row (`delivery` in `webhookClaims`, `entry` in
   * `mailOutboxClaims`): stored documents and indexes use it, so each outbox keeps its own.
   */
  rowField: string;
  /** What a row must still match to be claimed or retried, beside `_id` and `claims` (e.g. `{ state: 'pending' }`). */
  pending?: Readonly<Record<string, string>>;
}

/** A document of either collection, as far as claiming reads it: both key theirs by string. */
interface Row {
  _id: string;
  [field: string]: unknown;
}

/** A due row as read: its id and counters. */
interface DueRow {
  _id: string;
  claims: unknown;
  attempts: unknown;
}

/** What claiming a row won: the claim number, the attempts including this one, and the lease. */
export interface Lease {
  claim: number;
  attempts: number;
  leaseUntil: Date;
}

/**
 * Claims up to `limit` rows that match `due`, oldest due first, for `worker` until `now + leaseMs`;
 * `toClaimed` makes the answer for each row this worker won (a row another worker holds, or that
 * left the outbox meanwhile, is skipped). `R` is the outbox's document type.
 */
export async function claimDueRows<R extends DueRow, C>(
  db: Db,
  outbox: LeasedOutbox,
  query: { due: Document; findOptions?: FindOptions },
  options: { worker: string; limit: number; leaseMs: number; now?: Date },
  toClaimed: (row: R, lease: Lease) => C,
): Promise<C[]> {
  const now = options.now ?? new Date();
  const leaseUntil = new Date(now.getTime() + options.leaseMs);
  const due = (await db
    .collection<Row>(outbox.outbox)
    .find(query.due as Filter<Row>, query.findOptions)
    .sort({ nextAttemptAt: 1 })
    .limit(options.limit)
    .toArray()) as unknown as R[];
  const claimed: C[] = [];
  for (const row of due) {
    const taken = await claimLeasedRow(db, outbox, row, { ...options, now, leaseUntil });
    if (taken) claimed.push(toClaimed(row, { ...taken, leaseUntil }));
  }
  return claimed;
}

/**
 * Claims `row` for `worker` until `leaseUntil`: the claim number and the attempts including this
 * one, or null when another worker holds it or the row left the outbox after it was read.
 */
async function claimLeasedRow(
  db: Db,
  outbox: LeasedOutbox,
  row: DueRow,
  options: { worker: string; leaseMs: number; now: Date; leaseUntil: Date },
): Promise<{ claim: number; attempts: number } | null> {
  const previous = toNumber(row.claims);
  const claim = await insertClaim(
    db,
    outbox,
    row._id,
    previous,
    options.worker,
    options.leaseMs,
    options.now,
  );
  if (claim === null) return null; // another worker claimed it first
  const attempts = toNumber(row.attempts) + 1;
  const { worker, leaseUntil } = options;
  const updated = await db
    .collection<Row>(outbox.outbox)
    .updateOne(
      { _id: row._id, ...outbox.pending, claims: previous },
      { $set: { claims: claim, attempts, claimedBy: worker, leaseUntil, nextAttemptAt: leaseUntil } },
    );
  if (updated.matchedCount !== 1) {
    // done (and deleted) after we read it: our claim is stale
    await db.collection<Row>(outbox.claims).deleteOne({ _id: `${row._id}:${claim}` });
    return null;
  }
  return { claim, attempts };
}

/**
 * Inserts the next claim of a row that counts `previous` claims; null when another worker holds
 * it. A claim the row does not count yet and that is older than a lease was left by a worker that
 * stopped between its insert and the row's update (its store connection cut, or the process
 * killed): the next number is tried, or that row would never be claimed again (the webhook soak
 * saw a SPAM report stuck so). Two workers that both see the leftover race for the next number,
 * which one wins.
 */
async function insertClaim(
  db: Db,
  outbox: LeasedOutbox,
  row: string,
  previous: number,
  worker: string,
  leaseMs: number,
  now: Date,
): Promise<number | null> {
  const claims = db.collection<Row>(outbox.claims);
  for (let claim = previous + 1; ; claim += 1) {
    try {
      await claims.insertOne({
        _id: `${row}:${claim}`,
        [outbox.rowField]: row,
        claimedBy: worker,
        created: now,
      });
      return claim;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const holder = await claims.findOne({ _id: `${row}:${claim}` });
    if (holder && now.getTime() - (holder.created as Date).getTime() < leaseMs) return null;
  }
}

/** Done with a row (sent, or given up with the failure recorded elsewhere): the row and its claims are deleted. */
export async function completeLeasedRow(db: Db, outbox: LeasedOutbox, id: string): Promise<void> {
  // the row first: a worker that claims it after this finds no row to update and backs off
  await db.collection<Row>(outbox.outbox).deleteOne({ _id: id });
  await deleteClaimsOf(db, outbox, id);
}

/** Deletes every claim of a row. */
export async function deleteClaimsOf(db: Db, outbox: LeasedOutbox, id: string): Promise<void> {
  await db.collection<Row>(outbox.claims).deleteMany({ [outbox.rowField]: id });
}

/**
 * The attempt failed for now: due again at `nextAttemptAt`, with `lastError` as given (each outbox
 * shortens its own). Recorded only while `claim` is still the latest claim (a worker whose lease ran
 * out does not overwrite its successor); answers whether it was.
 */
export async function retryLeasedRowLater(
  db: Db,
  outbox: LeasedOutbox,
  row: { id: string; claim: number },
  nextAttemptAt: Date,
  lastError: string,
  now: Date,
): Promise<boolean> {
  const updated = await db
    .collection<Row>(outbox.outbox)
    .updateOne(
      { _id: row.id, ...outbox.pending, claims: row.claim },
      { $set: { nextAttemptAt, lastError, lastAttemptAt: now, claimedBy: null, leaseUntil: null } },
    );
  return updated.matchedCount === 1;
}

/** Deletes claims created before `cutoff` (left behind by a worker that died between deleting a row and its claims). */
export async function sweepClaimsBefore(db: Db, outbox: LeasedOutbox, cutoff: Date): Promise<number> {
  const result = await db.collection<Row>(outbox.claims).deleteMany({ created: { $lt: cutoff } });
  return result.deletedCount;
}
