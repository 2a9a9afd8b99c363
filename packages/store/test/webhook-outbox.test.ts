/**
 * The webhook outbox in the store: deliveries are claimed by one worker at a time (also when many
 * claim at once), a lease that runs out makes a delivery claimable again, outcomes are recorded
 * against the latest claim only, failures are kept with their last error, and the sweep removes
 * old failures.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  claimWebhookDeliveries,
  completeWebhookDelivery,
  countWebhookDeliveries,
  enqueueWebhookDeliveries,
  failWebhookDelivery,
  retryFailedWebhookDelivery,
  retryWebhookDeliveryLater,
  sweepWebhookOutbox,
  webhookOutboxSummary,
  type NewWebhookDelivery,
} from '@wildduck/store';
import { openStore } from './support.js';

let store: TestDatabase;

before(async () => {
  store = await openStore('outbox');
});
after(async () => {
  await store.drop();
});

function deliveries(count: number, url = 'http://127.0.0.1:9/hook'): NewWebhookDelivery[] {
  return Array.from({ length: count }, (_, index) => {
    const id = randomUUID();
    return { id, type: 'SPAM', url, body: JSON.stringify({ id, type: 'SPAM', index }) };
  });
}

/** Empties the outbox between tests (each test reads the whole of it). */
async function clear(): Promise<void> {
  await store.db.collection('webhookOutbox').deleteMany({});
  await store.db.collection('webhookClaims').deleteMany({});
}

test('a claimed delivery is leased: nobody else gets it; completing it removes it and its claims', async () => {
  await clear();
  const [one] = deliveries(1);
  await enqueueWebhookDeliveries(store.db, [one!]);
  assert.deepEqual(await countWebhookDeliveries(store.db), { pending: 1, failed: 0 });

  const claimed = await claimWebhookDeliveries(store.db, { worker: 'a', limit: 10, leaseMs: 60_000 });
  assert.equal(claimed.length, 1);
  assert.equal(claimed[0]!.id, one!.id);
  assert.equal(claimed[0]!.body, one!.body, 'the body is stored exactly');
  assert.equal(claimed[0]!.attempts, 1);
  assert.equal(claimed[0]!.claim, 1);
  assert.deepEqual(await claimWebhookDeliveries(store.db, { worker: 'b', limit: 10, leaseMs: 60_000 }), []);

  await completeWebhookDelivery(store.db, one!.id);
  assert.deepEqual(await countWebhookDeliveries(store.db), { pending: 0, failed: 0 });
  assert.equal(await store.db.collection('webhookClaims').countDocuments({ delivery: one!.id }), 0);
});

test('workers claiming at once get each delivery exactly once', async () => {
  await clear();
  const queued = deliveries(24);
  await enqueueWebhookDeliveries(store.db, queued);
  const workers = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'];
  const rounds = await Promise.all(
    workers.map((worker) => claimWebhookDeliveries(store.db, { worker, limit: 24, leaseMs: 60_000 })),
  );
  const ids = rounds.flat().map((delivery) => delivery.id);
  assert.equal(new Set(ids).size, ids.length, `no delivery claimed twice: ${ids.length} claims`);
  // whatever lost a race is still there for the next round; in the end each was claimed once
  const rest = await claimWebhookDeliveries(store.db, { worker: 'w7', limit: 24, leaseMs: 60_000 });
  const all = [...ids, ...rest.map((delivery) => delivery.id)];
  assert.deepEqual(all.sort(), queued.map((delivery) => delivery.id).sort());
});

test('a lease that ran out is claimed again; the old claim can no longer record an outcome', async () => {
  await clear();
  const [one] = deliveries(1);
  await enqueueWebhookDeliveries(store.db, [one!]);
  const [first] = await claimWebhookDeliveries(store.db, { worker: 'dies', limit: 1, leaseMs: 50 });
  assert.ok(first);
  await new Promise((resolve) => setTimeout(resolve, 120));
  const [second] = await claimWebhookDeliveries(store.db, { worker: 'survives', limit: 1, leaseMs: 60_000 });
  assert.ok(second, 'claimable again after the lease');
  assert.equal(second.id, one!.id);
  assert.equal(second.claim, 2);
  assert.equal(second.attempts, 2);
  assert.equal(await retryWebhookDeliveryLater(store.db, first, new Date(), 'late'), false);
  assert.equal(await failWebhookDelivery(store.db, first, 'late'), false);
  const summary = await webhookOutboxSummary(store.db);
  assert.equal(summary.pending, 1);
  assert.equal(summary.recent.length, 0, 'the stale claim wrote no error');
});

test('a claim whose worker stopped before counting it in the row is taken over after a lease, not forever skipped', async () => {
  await clear();
  const [one] = deliveries(1);
  await enqueueWebhookDeliveries(store.db, [one!]);
  // a worker inserted claim 1 and lost the store (or died) before updating the row
  await store.db.collection('webhookClaims').insertOne({
    _id: `${one!.id}:1`,
    delivery: one!.id,
    claimedBy: 'cut-off',
    created: new Date(),
  } as never);
  assert.deepEqual(
    await claimWebhookDeliveries(store.db, { worker: 'b', limit: 1, leaseMs: 60_000 }),
    [],
    "within a lease the leftover claim may still be its worker's",
  );
  const later = new Date(Date.now() + 61_000);
  const [taken] = await claimWebhookDeliveries(store.db, {
    worker: 'b',
    limit: 1,
    leaseMs: 60_000,
    now: later,
  });
  assert.ok(taken, 'claimable once the leftover is older than a lease');
  assert.equal(taken.id, one!.id);
  assert.equal(taken.claim, 2);
  assert.equal(taken.attempts, 1, 'the leftover claim made no attempt');
  await completeWebhookDelivery(store.db, one!.id);
  assert.equal(await store.db.collection('webhookClaims').countDocuments({ delivery: one!.id }), 0);
});

test('a retry waits for its time; a failure is kept with its last error, listed, and can be queued again', async () => {
  await clear();
  const [one] = deliveries(1);
  await enqueueWebhookDeliveries(store.db, [one!]);
  const [claimed] = await claimWebhookDeliveries(store.db, { worker: 'a', limit: 1, leaseMs: 60_000 });
  assert.ok(claimed);
  const later = new Date(Date.now() + 60_000);
  assert.equal(await retryWebhookDeliveryLater(store.db, claimed, later, 'HTTP 503: busy'), true);
  assert.deepEqual(await claimWebhookDeliveries(store.db, { worker: 'a', limit: 1, leaseMs: 60_000 }), []);
  let summary = await webhookOutboxSummary(store.db);
  assert.equal(summary.pending, 1);
  assert.equal(summary.recent[0]?.lastError, 'HTTP 503: busy');
  assert.equal(summary.recent[0]?.nextAttemptAt?.getTime(), later.getTime());

  const [again] = await claimWebhookDeliveries(store.db, {
    worker: 'a',
    limit: 1,
    leaseMs: 60_000,
    now: new Date(later.getTime() + 1),
  });
  assert.ok(again, 'due at its time');
  assert.equal(again.attempts, 2);
  assert.equal(await failWebhookDelivery(store.db, again, 'HTTP 410: gone'), true);
  summary = await webhookOutboxSummary(store.db);
  assert.equal(summary.pending, 0);
  assert.equal(summary.failed, 1);
  assert.equal(summary.oldestPendingAt, null);
  assert.deepEqual(
    summary.recent.map((row) => [row.id, row.state, row.attempts, row.lastError]),
    [[one!.id, 'failed', 2, 'HTTP 410: gone']],
  );
  assert.ok(summary.recent[0]!.failedAt instanceof Date);
  assert.deepEqual(await claimWebhookDeliveries(store.db, { worker: 'a', limit: 1, leaseMs: 60_000 }), []);

  assert.equal(await retryFailedWebhookDelivery(store.db, one!.id), true);
  assert.equal(await retryFailedWebhookDelivery(store.db, one!.id), false, 'no longer failed');
  const [requeued] = await claimWebhookDeliveries(store.db, { worker: 'a', limit: 1, leaseMs: 60_000 });
  assert.equal(requeued?.id, one!.id);
  assert.equal(requeued?.attempts, 1, 'attempts counted afresh');
});

test('the sweep deletes failures past their retention, and only those', async () => {
  await clear();
  const [old, fresh] = deliveries(2);
  await enqueueWebhookDeliveries(store.db, [old!, fresh!]);
  const claimed = await claimWebhookDeliveries(store.db, { worker: 'a', limit: 2, leaseMs: 60_000 });
  const byId = new Map(claimed.map((delivery) => [delivery.id, delivery]));
  const longAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
  await failWebhookDelivery(store.db, byId.get(old!.id)!, 'HTTP 404', longAgo);
  await failWebhookDelivery(store.db, byId.get(fresh!.id)!, 'HTTP 404');
  assert.equal(await sweepWebhookOutbox(store.db), 1);
  const summary = await webhookOutboxSummary(store.db);
  assert.deepEqual(
    summary.recent.map((row) => row.id),
    [fresh!.id],
  );
  assert.equal(await store.db.collection('webhookClaims').countDocuments({ delivery: old!.id }), 0);
});

test('an invalid delivery is refused before it is written', async () => {
  await clear();
  await assert.rejects(
    enqueueWebhookDeliveries(store.db, [{ id: '', type: 'SPAM', url: 'http://x/', body: '{}' }]),
    /Invalid webhook delivery/,
  );
  assert.deepEqual(await countWebhookDeliveries(store.db), { pending: 0, failed: 0 });
});

test('a worker claims only deliveries to the receivers it names', async () => {
  await clear();
  const [mine] = deliveries(1, 'http://127.0.0.1:9/mine');
  const [theirs] = deliveries(1, 'http://127.0.0.1:9/theirs');
  await enqueueWebhookDeliveries(store.db, [mine!, theirs!]);
  const claimed = await claimWebhookDeliveries(store.db, {
    worker: 'a',
    limit: 10,
    leaseMs: 60_000,
    urls: ['http://127.0.0.1:9/mine'],
  });
  assert.deepEqual(
    claimed.map((delivery) => delivery.id),
    [mine!.id],
  );
});

test('a delivery nobody took within the retention is marked failed by the sweep', async () => {
  await clear();
  const [stranded] = deliveries(1, 'http://127.0.0.1:9/removed');
  await enqueueWebhookDeliveries(store.db, [stranded!], new Date(Date.now() - 8 * 24 * 3600 * 1000));
  assert.equal(await sweepWebhookOutbox(store.db), 0);
  const summary = await webhookOutboxSummary(store.db);
  assert.equal(summary.pending, 0);
  assert.equal(summary.failed, 1);
  assert.match(summary.recent[0]!.lastError ?? '', /WEBHOOK_URLS/);
});
