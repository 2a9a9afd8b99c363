/**
 * Webhooks from the store's outbox, with real receivers on local ports: a delivery queued while
 * the receiver is down arrives after a restart (a new worker on a new connection) under the same
 * idempotency id; two workers on one outbox deliver each event once; a delivery that keeps failing
 * ends as failed with its last error; a worker that stops puts what it was sending back.
 *
 * These tests live here, not in packages/webhooks: the webhooks package knows the outbox only as
 * an interface, and the mail service is where it meets the store (`openWebhookOutbox`).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { countWebhookDeliveries, webhookOutboxStore, webhookOutboxSummary } from '@wildduck/store';
import { WebhookOutbox, verifyWebhookSignature, type WebhookOutcome } from '@wildduck/webhooks';
import { clearOutbox, receiver, waitFor } from './webhook-receiver.js';

const SECRET = 'outbox-secret';

let store: TestDatabase;
const clients: MongoClient[] = [];

before(async () => {
  store = await openTestDatabase('webhookoutbox');
  await applySchema(store.db);
});
after(async () => {
  for (const client of clients) await client.close();
  await store.drop();
});

/** A connection of its own to the test database, as another process (or this one restarted) has. */
async function connection(): Promise<Db> {
  const client = new MongoClient(store.uri);
  await client.connect();
  clients.push(client);
  return client.db(store.name);
}

const clear = () => clearOutbox(store.db);

/** A worker for `url` on `db`, quick to poll and retry (the delays are what a test can wait for). */
function worker(
  db: Db,
  url: string,
  options: { name: string; attempts?: number; concurrency?: number; outcomes?: WebhookOutcome[] },
) {
  return new WebhookOutbox({
    targets: [{ url, secret: SECRET }],
    store: webhookOutboxStore(db),
    logger: { warn: () => {} },
    retry: { attempts: options.attempts ?? 50, initialDelayMs: 20, maxDelayMs: 60 },
    pollIntervalMs: 10,
    concurrency: options.concurrency ?? 4,
    worker: options.name,
    onOutcome: (outcome) => options.outcomes?.push(outcome),
  });
}

test('queued while the receiver is down, delivered after a restart with the same idempotency id', async () => {
  await clear();
  // a port with nothing listening: the receiver is down
  const probe = await receiver();
  const { port } = probe;
  const url = probe.url();
  await probe.close();

  const firstDb = await connection();
  const first = worker(firstDb, url, { name: 'before-restart' }).start();
  const [queued] = await first.enqueue([{ type: 'SPAM', user: 'u1', message: { uid: 7 } }]);
  assert.ok(queued);
  await waitFor(async () => {
    const [row] = (await webhookOutboxSummary(store.db)).recent;
    return (row?.attempts ?? 0) >= 2 && !!row?.lastError;
  }, 'failed attempts against the receiver that is down');
  await first.close();
  const [stored] = (await webhookOutboxSummary(store.db)).recent;
  assert.equal(stored?.id, queued.id);
  assert.equal(stored?.state, 'pending', 'still pending after the worker stopped');
  assert.match(stored?.lastError ?? '', /fetch failed|ECONNREFUSED/);

  // the restart: the receiver is back, and a new worker on a new connection takes over
  const up = await receiver(undefined, { port });
  const second = worker(await connection(), url, { name: 'after-restart' }).start();
  try {
    await waitFor(() => up.received.length > 0, 'the delivery after the restart');
    await waitFor(async () => (await countWebhookDeliveries(store.db)).pending === 0, 'the outbox to empty');
    const [hook] = up.received;
    assert.equal(hook!.headers['x-wildduck-delivery'], queued.id);
    assert.equal(hook!.body.id, queued.id);
    assert.equal(hook!.raw, queued.body, 'the body queued before the restart, byte for byte');
    assert.equal(hook!.body.type, 'SPAM');
    assert.deepEqual(hook!.body.message, { uid: 7 });
    assert.ok(
      verifyWebhookSignature(
        SECRET,
        hook!.headers['x-wildduck-timestamp'] as string,
        hook!.raw,
        hook!.headers['x-wildduck-signature'] as string,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(up.received.length, 1, 'delivered once');
  } finally {
    await second.close();
    await up.close();
  }
});

test('two workers on the same outbox deliver each event exactly once', async () => {
  await clear();
  // a receiver that takes a little while, so that neither worker can take everything alone
  const up = await receiver((res) => setTimeout(() => res.writeHead(200).end('ok'), 15));
  const producer = worker(await connection(), up.url(), { name: 'producer' }); // never started
  const events = Array.from({ length: 30 }, (_, index) => ({ type: 'NOT_SPAM', index }));
  const queued = await producer.enqueue(events);
  assert.equal(queued.length, 30);

  const outcomesA: WebhookOutcome[] = [];
  const outcomesB: WebhookOutcome[] = [];
  const a = worker(await connection(), up.url(), { name: 'a', concurrency: 2, outcomes: outcomesA });
  const b = worker(await connection(), up.url(), { name: 'b', concurrency: 2, outcomes: outcomesB });
  a.start();
  b.start();
  try {
    await waitFor(() => up.received.length >= 30, '30 deliveries');
    await waitFor(async () => (await countWebhookDeliveries(store.db)).pending === 0, 'the outbox to empty');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ids = up.received.map((hook) => hook.headers['x-wildduck-delivery'] as string);
    assert.equal(ids.length, 30, 'no event was sent twice');
    assert.deepEqual([...ids].sort(), queued.map((delivery) => delivery.id).sort());
    assert.ok(outcomesA.length > 0 && outcomesB.length > 0, 'both workers delivered some');
    assert.deepEqual(
      [...outcomesA, ...outcomesB].filter((outcome) => outcome !== 'delivered'),
      [],
    );
  } finally {
    await Promise.all([a.close(), b.close()]);
    await up.close();
  }
});

test('a delivery that keeps failing ends as failed with its last error, after its attempts', async () => {
  await clear();
  const down = await receiver((res) =>
    res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance'),
  );
  const gone = await receiver((res) => res.writeHead(410).end('no such hook'));
  const outcomes: WebhookOutcome[] = [];
  const failing = worker(await connection(), down.url(), { name: 'f', attempts: 3, outcomes }).start();
  const refused = worker(await connection(), gone.url(), { name: 'g', attempts: 3, outcomes }).start();
  try {
    const [queued] = await failing.enqueue([{ type: 'SPAM', n: 1 }]);
    const [once] = await refused.enqueue([{ type: 'SPAM', n: 2 }]);
    await waitFor(async () => (await countWebhookDeliveries(store.db)).failed === 2, 'two failures');
    const summary = await webhookOutboxSummary(store.db);
    assert.equal(summary.pending, 0);
    const byId = new Map(summary.recent.map((row) => [row.id, row]));
    assert.equal(byId.get(queued!.id)?.state, 'failed');
    assert.equal(byId.get(queued!.id)?.attempts, 3, 'a 503 is retried until the attempts are used up');
    assert.equal(byId.get(queued!.id)?.lastError, 'HTTP 503: down for maintenance');
    assert.equal(byId.get(once!.id)?.attempts, 1, 'a 410 is not retried');
    assert.equal(byId.get(once!.id)?.lastError, 'HTTP 410: no such hook');
    assert.equal(down.received.length, 3);
    assert.deepEqual(new Set(down.received.map((hook) => hook.body.id)), new Set([queued!.id]));
    assert.deepEqual(outcomes.sort(), ['failed', 'failed', 'retry', 'retry']);
  } finally {
    await Promise.all([failing.close(), refused.close()]);
    await Promise.all([down.close(), gone.close()]);
  }
});

test('a worker that stops puts the delivery it was sending back, due at once', async () => {
  await clear();
  const hanging = await receiver(() => {}); // never answers
  const outbox = worker(await connection(), hanging.url(), { name: 'stopping' }).start();
  const [queued] = await outbox.enqueue([{ type: 'SPAM' }]);
  await waitFor(() => hanging.received.length === 1, 'the request');
  await outbox.close(50);
  const [row] = (await webhookOutboxSummary(store.db)).recent;
  assert.equal(row?.id, queued!.id);
  assert.equal(row?.state, 'pending');
  assert.equal(row?.claimedBy, null);
  assert.match(row?.lastError ?? '', /worker stopped/);
  assert.ok(row!.nextAttemptAt!.getTime() <= Date.now(), 'due at once for the next worker');
  await hanging.close();
});

test('a delivery whose worker hangs or dies is taken over by another once its lease runs out', async () => {
  await clear();
  // the first request hangs (its worker is as good as dead); later ones are answered
  const up = await receiver((res) => {
    if (up.received.length > 1) res.writeHead(204).end();
  });
  const stuck = new WebhookOutbox({
    targets: [{ url: up.url(), secret: SECRET }],
    store: webhookOutboxStore(await connection()),
    logger: { warn: () => {} },
    timeoutMs: 60_000,
    leaseMs: 300,
    pollIntervalMs: 10,
    concurrency: 1, // busy with the hanging request: it claims nothing more
    worker: 'stuck',
  }).start();
  const [queued] = await stuck.enqueue([{ type: 'SPAM' }]);
  await waitFor(() => up.received.length === 1, 'the request that hangs');
  const taker = worker(await connection(), up.url(), { name: 'taker' }).start();
  try {
    await waitFor(async () => (await countWebhookDeliveries(store.db)).pending === 0, 'the takeover');
    assert.deepEqual(
      up.received.map((hook) => hook.body.id),
      [queued!.id, queued!.id],
      'sent again under the same id: at least once',
    );
    assert.equal(up.received[1]!.headers['x-wildduck-delivery'], queued!.id);
  } finally {
    await stuck.close(0); // its late outcome is not recorded: the delivery is gone
    await taker.close();
    await up.close();
  }
});
