import type { Db } from 'mongodb';
import {
  WEBHOOK_FAILED_RETENTION_SECONDS,
  validateDocument,
  webhookOutbox as outboxSpec,
} from '@wildduck/schema';
import { StoreError } from './errors.js';
import { toNumber } from './ids.js';
import {
  claimDueRows,
  completeLeasedRow,
  deleteClaimsOf,
  retryLeasedRowLater,
  sweepClaimsBefore,
  type LeasedOutbox,
} from './leased-claims.js';
import { finishWrite, onlyDuplicates } from './write-completion.js';

/**
 * The durable webhook outbox (collection `webhookOutbox`, claims in `webhookClaims`).
 *
 * Shaped for FerretDB 1.24 (../shared/ferretdb-notes.md): every filter has a top-level scalar
 * equality (`state`, `_id`, `delivery`) that is pushed down, and delivered rows are deleted, so
 * what the workers poll stays small. Its `findOneAndUpdate` is not atomic under concurrency, so a
 * claim is the insert of a document with a unique `_id` (`<delivery>:<claim number>`): exactly one
 * worker wins each claim, on MongoDB and on FerretDB alike.
 */

/** One delivery to write: an event for one receiver. */
export interface NewWebhookDelivery {
  /** The idempotency id the receiver sees (body `id`, `x-wildduck-delivery`). */
  id: string;
  type: string;
  url: string;
  /** The JSON text to POST, exactly. */
  body: string;
}

/** A delivery a worker has claimed: it may POST it until `leaseUntil`. */
export interface ClaimedWebhookDelivery extends NewWebhookDelivery {
  /** Attempts including this one. */
  attempts: number;
  /** Which claim this is; outcomes are recorded against it. */
  claim: number;
  leaseUntil: Date;
  created: Date;
}

/** A delivery as the admin console shows it. */
export interface WebhookDeliveryRecord {
  id: string;
  type: string;
  url: string;
  state: 'pending' | 'failed';
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  failedAt: Date | null;
  claimedBy: string | null;
  created: Date;
}

/** The outbox at a glance. */
export interface WebhookOutboxSummary {
  pending: number;
  failed: number;
  oldestPendingAt: Date | null;
  /** Failed deliveries (newest first), then pending ones that have failed at least once, up to the limit. */
  recent: WebhookDeliveryRecord[];
}

const OUTBOX = 'webhookOutbox';
/** The claims of `webhookClaims` name their delivery in `delivery`; only pending deliveries are claimed. */
const LEASED: LeasedOutbox = {
  outbox: OUTBOX,
  claims: 'webhookClaims',
  rowField: 'delivery',
  pending: { state: 'pending' },
};

/** A document of `webhookOutbox` (see prisma-free-schema/src/collections/webhook-outbox.ts). */
interface OutboxDocument {
  _id: string;
  type: string;
  url: string;
  body: string;
  state: 'pending' | 'failed';
  attempts: number;
  claims: number;
  nextAttemptAt: Date;
  claimedBy: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  failedAt: Date | null;
  created: Date;
}

/**
 * Writes deliveries, due now. Call it in the same step as the journal entry of the event, before the
 * event is announced: once it resolves, the deliveries survive a restart.
 */
export async function enqueueWebhookDeliveries(
  db: Db,
  deliveries: readonly NewWebhookDelivery[],
  now = new Date(),
): Promise<void> {
  if (!deliveries.length) return;
  const documents = deliveries.map((delivery) => ({
    _id: delivery.id,
    type: delivery.type,
    url: delivery.url,
    body: delivery.body,
    state: 'pending' as const,
    attempts: 0,
    claims: 0,
    nextAttemptAt: now,
    claimedBy: null,
    leaseUntil: null,
    lastError: null,
    lastAttemptAt: null,
    failedAt: null,
    created: now,
  }));
  for (const document of documents) {
    const problems = validateDocument(outboxSpec.validator!, document);
    if (problems.length)
      throw new StoreError('INVALID_DOCUMENT', `Invalid webhook delivery: ${problems.join('; ')}`);
  }
  // finished through a store outage: each row carries its delivery id, so a retry of an insert that
  // was applied (its answer lost) meets duplicates, which means done, never a second delivery
  await finishWrite(async () => {
    try {
      await db.collection<OutboxDocument>(OUTBOX).insertMany(documents, { ordered: false });
    } catch (error) {
      if (!onlyDuplicates(error)) throw error;
    }
  });
}

/**
 * Claims up to `limit` due deliveries for `worker` until `now + leaseMs`, oldest due first; with
 * `urls`, only deliveries to those receivers (the ones the worker can sign for: during a rolling
 * change of WEBHOOK_URLS, an instance leaves a receiver it does not know to those that do).
 * Each is claimed by inserting its next claim document: a worker that loses the insert (another
 * claimed it first) skips it. A claimed delivery is due again at the end of its lease, so one whose
 * worker died is taken up by another after `leaseMs`.
 */
export async function claimWebhookDeliveries(
  db: Db,
  options: { worker: string; limit: number; leaseMs: number; urls?: readonly string[]; now?: Date },
): Promise<ClaimedWebhookDelivery[]> {
  const now = options.now ?? new Date();
  // `state` is pushed down; the due time is checked beside it (in Go on FerretDB, by the index on MongoDB)
  const due = {
    state: 'pending',
    nextAttemptAt: { $lte: now },
    ...(options.urls ? { url: { $in: [...options.urls] } } : {}),
  };
  return claimDueRows(db, LEASED, { due }, { ...options, now }, (row: OutboxDocument, lease) => ({
    id: row._id,
    type: String(row.type),
    url: String(row.url),
    body: String(row.body),
    ...lease,
    created: row.created as Date,
  }));
}

/** The receiver took it: the delivery and its claims are deleted. */
export async function completeWebhookDelivery(db: Db, id: string): Promise<void> {
  await completeLeasedRow(db, LEASED, id);
}

/**
 * The attempt failed and may be retried: due again at `nextAttemptAt`. Recorded only while `claim`
 * is still the latest claim (a worker whose lease ran out does not overwrite its successor).
 */
export async function retryWebhookDeliveryLater(
  db: Db,
  delivery: { id: string; claim: number },
  nextAttemptAt: Date,
  lastError: string,
  now = new Date(),
): Promise<boolean> {
  return retryLeasedRowLater(db, LEASED, delivery, nextAttemptAt, truncate(lastError), now);
}

/** The delivery gives up (attempts used up, or an answer not worth retrying): kept as failed, with why. */
export async function failWebhookDelivery(
  db: Db,
  delivery: { id: string; claim: number },
  lastError: string,
  now = new Date(),
): Promise<boolean> {
  const updated = await db.collection<OutboxDocument>(OUTBOX).updateOne(
    { _id: delivery.id, state: 'pending', claims: delivery.claim },
    {
      $set: {
        state: 'failed',
        failedAt: now,
        lastError: truncate(lastError),
        lastAttemptAt: now,
        claimedBy: null,
        leaseUntil: null,
      },
    },
  );
  return updated.matchedCount === 1;
}

/**
 * Puts a failed delivery back in the queue, due now, with its attempts counted from zero (an
 * administrator's retry once the receiver is fixed). False when there is no such failed delivery.
 */
export async function retryFailedWebhookDelivery(db: Db, id: string, now = new Date()): Promise<boolean> {
  const updated = await db
    .collection<OutboxDocument>(OUTBOX)
    .updateOne(
      { _id: id, state: 'failed' },
      { $set: { state: 'pending', attempts: 0, nextAttemptAt: now, failedAt: null } },
    );
  return updated.matchedCount === 1;
}

/**
 * Deletes failed deliveries older than the retention (default seven days), with their claims, and
 * claims left behind by a worker that died between deleting a delivery and its claims. A delivery
 * still pending after the retention (its receiver left WEBHOOK_URLS, so no worker takes it) is
 * marked failed, to be seen and then swept in turn. Returns how many deliveries were deleted.
 */
export async function sweepWebhookOutbox(
  db: Db,
  options: { retentionSeconds?: number; now?: Date } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const cutoff = new Date(
    now.getTime() - (options.retentionSeconds ?? WEBHOOK_FAILED_RETENTION_SECONDS) * 1000,
  );
  const outbox = db.collection<OutboxDocument>(OUTBOX);
  const old = await outbox
    .find({ state: 'failed', failedAt: { $lt: cutoff } }, { projection: { _id: 1 } })
    .toArray();
  for (const row of old) {
    await outbox.deleteOne({ _id: row._id, state: 'failed' });
    await deleteClaimsOf(db, LEASED, row._id);
  }
  const stranded = await outbox
    .find({ state: 'pending', created: { $lt: cutoff } }, { projection: { _id: 1 } })
    .toArray();
  for (const row of stranded) {
    await outbox.updateOne(
      { _id: row._id, state: 'pending' },
      {
        $set: {
          state: 'failed',
          failedAt: now,
          lastError: 'still pending after the retention period: is its URL still in WEBHOOK_URLS?',
          claimedBy: null,
          leaseUntil: null,
        },
      },
    );
  }
  // a claim lives as long as its delivery, at most the attempts' span; older ones are orphans
  await sweepClaimsBefore(db, LEASED, cutoff);
  return old.length;
}

/** Counts of pending and failed deliveries, the oldest pending one, and the latest troubles. */
export async function webhookOutboxSummary(
  db: Db,
  options: { recent?: number } = {},
): Promise<WebhookOutboxSummary> {
  const limit = options.recent ?? 20;
  const outbox = db.collection<OutboxDocument>(OUTBOX);
  const projection = { body: 0 };
  const [pendingRows, failedRows] = await Promise.all([
    outbox.find({ state: 'pending' }, { projection }).toArray(),
    outbox.find({ state: 'failed' }, { projection }).toArray(),
  ]);
  const pending = pendingRows.map(toRecord);
  const failed = failedRows.map(toRecord);
  const oldestPendingAt = pending.reduce<Date | null>(
    (oldest, row) => (!oldest || row.created < oldest ? row.created : oldest),
    null,
  );
  const byTime = (a: Date | null, b: Date | null) => (b?.getTime() ?? 0) - (a?.getTime() ?? 0);
  const recent = [
    ...failed.sort((a, b) => byTime(a.failedAt, b.failedAt)),
    ...pending.filter((row) => row.lastError).sort((a, b) => byTime(a.lastAttemptAt, b.lastAttemptAt)),
  ].slice(0, limit);
  return { pending: pending.length, failed: failed.length, oldestPendingAt, recent };
}

/** Counts only, for metrics scrapes. */
export async function countWebhookDeliveries(db: Db): Promise<{ pending: number; failed: number }> {
  const outbox = db.collection<OutboxDocument>(OUTBOX);
  const [pending, failed] = await Promise.all([
    outbox.countDocuments({ state: 'pending' }),
    outbox.countDocuments({ state: 'failed' }),
  ]);
  return { pending, failed };
}

/**
 * The store side of a webhook outbox worker (`@wildduck/webhooks`' `WebhookOutboxStore`, which this
 * satisfies structurally: the store does not import the webhooks package, nor it the store).
 */
export function webhookOutboxStore(db: Db) {
  return {
    enqueue: (deliveries: readonly NewWebhookDelivery[]) => enqueueWebhookDeliveries(db, deliveries),
    claim: (options: { worker: string; limit: number; leaseMs: number; urls?: readonly string[] }) =>
      claimWebhookDeliveries(db, options),
    complete: (delivery: { id: string }) => completeWebhookDelivery(db, delivery.id),
    retryLater: (delivery: { id: string; claim: number }, nextAttemptAt: Date, error: string) =>
      retryWebhookDeliveryLater(db, delivery, nextAttemptAt, error),
    fail: (delivery: { id: string; claim: number }, error: string) =>
      failWebhookDelivery(db, delivery, error),
    sweep: () => sweepWebhookOutbox(db),
    counts: () => countWebhookDeliveries(db),
  };
}

function toRecord(row: Record<string, unknown>): WebhookDeliveryRecord {
  const date = (value: unknown) => (value instanceof Date ? value : null);
  const state = row.state === 'failed' ? 'failed' : 'pending';
  return {
    id: String(row._id),
    type: String(row.type),
    url: String(row.url),
    state,
    attempts: toNumber(row.attempts),
    lastError: typeof row.lastError === 'string' ? row.lastError : null,
    lastAttemptAt: date(row.lastAttemptAt),
    nextAttemptAt: state === 'pending' ? date(row.nextAttemptAt) : null,
    failedAt: date(row.failedAt),
    claimedBy: typeof row.claimedBy === 'string' ? row.claimedBy : null,
    created: date(row.created) ?? new Date(0),
  };
}

/** Error texts come from receivers: keep what is stored short. */
function truncate(text: string): string {
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}
