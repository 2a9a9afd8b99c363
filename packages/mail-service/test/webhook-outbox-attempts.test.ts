/**
 * What the outbox worker does with each answer, on the store's real outbox and real receivers on
 * local ports: the body and log of a delivery, which targets get which events (each signed with its
 * own secret), retries under one id until success (5xx, 429 with its Retry-After, timeouts), what is
 * given up (other 4xx, redirects, attempts used up), the worker's concurrency, what `close` waits
 * for and what it puts back, events that cannot be sent, bad targets, and no handle left open.
 *
 * Alongside webhook-outbox.test.ts (restarts, several workers, leases): the webhooks package knows
 * the outbox only as an interface, and this package is where it meets the store.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { countWebhookDeliveries, webhookOutboxStore, webhookOutboxSummary } from '@wildduck/store';
import {
  WebhookOutbox,
  verifyWebhookSignature,
  type WebhookEvent,
  type WebhookLogger,
  type WebhookOutboxOptions,
  type WebhookOutcome,
  type WebhookTarget,
} from '@wildduck/webhooks';
import { answer, clearOutbox, receiver, waitFor } from './webhook-receiver.js';

const SECRET = 'attempts-secret';

let store: TestDatabase;

before(async () => {
  store = await openTestDatabase('webhookattempts');
  await applySchema(store.db);
});
after(async () => {
  await store.drop();
});

const clear = () => clearOutbox(store.db);

/** A worker on the test outbox, quick to poll and retry, whose log lines and outcomes are kept. */
function worker(targets: WebhookTarget[], options: Partial<WebhookOutboxOptions> & { db?: Db } = {}) {
  const warnings: string[] = [];
  const infos: string[] = [];
  const outcomes: WebhookOutcome[] = [];
  const logger: WebhookLogger = {
    warn: (_obj, msg) => warnings.push(msg),
    info: (_obj, msg) => infos.push(msg),
  };
  const { db = store.db, ...rest } = options;
  const outbox = new WebhookOutbox({
    targets,
    store: webhookOutboxStore(db),
    logger,
    pollIntervalMs: 10,
    onOutcome: (outcome) => outcomes.push(outcome),
    ...rest,
    retry: { attempts: 50, initialDelayMs: 20, maxDelayMs: 60, ...rest.retry },
  });
  return { outbox, warnings, infos, outcomes };
}

const outboxEmpty = async () => {
  const counts = await countWebhookDeliveries(store.db);
  return counts.pending === 0 && counts.failed === 0;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a delivery carries the event's fields under its own id and time, and is logged once delivered", async () => {
  await clear();
  const server = await receiver(answer(200));
  const { outbox, warnings, infos, outcomes } = worker([{ url: server.url(), secret: SECRET }]);
  outbox.start();
  try {
    const before = Date.now();
    const [queued] = await outbox.enqueue([
      { type: 'SPAM', user: 'u1', mailbox: 'm1', uid: 42, id: 'not-the-delivery-id', created: 'yesterday' },
    ]);
    assert.ok(queued);
    assert.match(queued.id, /^[0-9a-f-]{36}$/);
    await waitFor(() => server.received.length === 1, 'the delivery');
    await waitFor(outboxEmpty, 'the delivery to leave the outbox');

    const { headers, body, raw } = server.received[0]!;
    assert.equal(raw, queued.body);
    assert.equal(headers['x-wildduck-delivery'], queued.id);
    assert.equal(body.id, queued.id, 'the body id is the delivery id, not the event field');
    assert.equal(body.type, 'SPAM');
    assert.equal(body.user, 'u1');
    assert.equal(body.mailbox, 'm1');
    assert.equal(body.uid, 42);
    assert.equal(new Date(String(body.created)).toISOString(), body.created, 'created is the delivery time');
    const created = Date.parse(String(body.created));
    assert.ok(created >= before - 1000 && created <= Date.now(), `created ${String(body.created)}`);
    assert.ok(
      verifyWebhookSignature(
        SECRET,
        headers['x-wildduck-timestamp'] as string,
        raw,
        headers['x-wildduck-signature'] as string,
      ),
    );
    await waitFor(() => infos.length > 0, 'the log line');
    assert.deepEqual(warnings, []);
    assert.deepEqual(infos, ['webhook delivered']);
    await waitFor(() => outcomes.length >= 1, 'the outcomes to be counted'); // counted just after the store write
    assert.deepEqual(outcomes, ['delivered']);
  } finally {
    await outbox.close();
    await server.close();
  }
});

test('a target gets only the event types it asked for, signed with its own secret; a URL listed twice gets each once', async () => {
  await clear();
  const server = await receiver(answer(204, {}, ''));
  const { outbox } = worker([
    { url: server.url('/junk'), secret: SECRET, events: ['SPAM', 'NOT_SPAM'] },
    { url: server.url('/all'), secret: 'another' },
    { url: server.url('/star'), secret: SECRET, events: ['*'] },
    { url: server.url('/none'), secret: SECRET, events: [] },
    { url: server.url('/junk'), secret: SECRET, events: ['SPAM', 'NOT_SPAM'] },
  ]);
  outbox.start();
  try {
    const queued = await outbox.enqueue([
      { type: 'SPAM', uid: 1 },
      { type: 'EXISTS', uid: 2 },
      { type: 'NOT_SPAM', uid: 3 },
    ]);
    assert.equal(queued.length, 8);
    await waitFor(() => server.received.length >= 8, 'eight deliveries');
    await waitFor(outboxEmpty, 'the outbox to empty');
    await sleep(100);
    assert.equal(server.received.length, 8, 'nothing more');
    const seen = (path: string) =>
      server.received
        .filter((request) => request.path === path)
        .map((request) => `${request.body.type}:${String(request.body.uid)}`)
        .sort();
    assert.deepEqual(seen('/junk'), ['NOT_SPAM:3', 'SPAM:1']);
    assert.deepEqual(seen('/all'), ['EXISTS:2', 'NOT_SPAM:3', 'SPAM:1']);
    assert.deepEqual(seen('/star'), ['EXISTS:2', 'NOT_SPAM:3', 'SPAM:1']);
    assert.deepEqual(seen('/none'), []);
    for (const { path, headers, raw } of server.received) {
      const secret = path === '/all' ? 'another' : SECRET;
      const stamp = headers['x-wildduck-timestamp'] as string;
      const signature = headers['x-wildduck-signature'] as string;
      assert.ok(verifyWebhookSignature(secret, stamp, raw, signature), `signed for ${path}`);
      const wrong = secret === SECRET ? 'another' : SECRET;
      assert.equal(verifyWebhookSignature(wrong, stamp, raw, signature), false);
    }
  } finally {
    await outbox.close();
    await server.close();
  }
});

test('after two 503s the third attempt succeeds, each signed afresh, all under one delivery id', async () => {
  await clear();
  const server = await receiver((res, _request, index) => answer(index < 2 ? 503 : 200)(res));
  const { outbox, warnings, outcomes } = worker([{ url: server.url(), secret: SECRET }]);
  outbox.start();
  try {
    const [queued] = await outbox.enqueue([{ type: 'NOT_SPAM', uid: 7 }]);
    await waitFor(() => server.received.length === 3, 'three attempts');
    await waitFor(outboxEmpty, 'the outbox to empty');
    assert.deepEqual(
      server.received.map((request) => request.headers['x-wildduck-delivery']),
      [queued!.id, queued!.id, queued!.id],
    );
    for (const { headers, raw } of server.received) {
      const stamp = headers['x-wildduck-timestamp'] as string;
      assert.ok(verifyWebhookSignature(SECRET, stamp, raw, headers['x-wildduck-signature'] as string));
    }
    assert.deepEqual(warnings, [
      'webhook delivery failed, will retry',
      'webhook delivery failed, will retry',
    ]);
    await waitFor(() => outcomes.length >= 3, 'the outcomes to be counted'); // counted just after the store write
    assert.deepEqual(outcomes, ['retry', 'retry', 'delivered']);
    await sleep(150);
    assert.equal(server.received.length, 3, 'no attempt after the success');
  } finally {
    await outbox.close();
    await server.close();
  }
});

test("a 429's Retry-After holds the next attempt back; one beyond maxDelayMs is capped", async () => {
  await clear();
  const server = await receiver((res, request) => {
    const first = server.received.filter((other) => other.path === request.path).length === 1;
    if (!first) answer(204, {}, '')(res);
    else if (request.path === '/busy') answer(429, { 'retry-after': '2' }, 'slow down')(res);
    else answer(503, { 'retry-after': '3600' }, 'back in an hour')(res);
  });
  // backoff alone would retry within 60 ms: only Retry-After can make the busy one wait
  const busy = worker([{ url: server.url('/busy'), secret: SECRET }], {
    retry: { initialDelayMs: 20, maxDelayMs: 60_000 },
  });
  const capped = worker([{ url: server.url('/capped'), secret: SECRET }], {
    retry: { initialDelayMs: 20, maxDelayMs: 300 },
  });
  busy.outbox.start();
  capped.outbox.start();
  try {
    const [busyDelivery] = await busy.outbox.enqueue([{ type: 'SPAM' }]);
    await capped.outbox.enqueue([{ type: 'SPAM' }]);
    await waitFor(async () => {
      const row = (await webhookOutboxSummary(store.db)).recent.find((r) => r.id === busyDelivery!.id);
      return !!row?.lastError;
    }, 'the 429 to be recorded');
    const row = (await webhookOutboxSummary(store.db)).recent.find((r) => r.id === busyDelivery!.id)!;
    assert.equal(row.lastError, 'HTTP 429: slow down');
    const wait = row.nextAttemptAt!.getTime() - row.lastAttemptAt!.getTime();
    assert.ok(wait >= 1900 && wait <= 2500, `next attempt ${wait} ms after the 429`);

    await waitFor(() => server.received.length === 4, 'both second attempts');
    await waitFor(outboxEmpty, 'the outbox to empty');
    const times = (path: string) => server.received.filter((r) => r.path === path).map((r) => r.at);
    const [busyFirst, busySecond] = times('/busy');
    assert.ok(busySecond! - busyFirst! >= 1900, `busy retried after ${busySecond! - busyFirst!} ms`);
    const [cappedFirst, cappedSecond] = times('/capped');
    assert.ok(cappedSecond! - cappedFirst! < 2000, `capped retried after ${cappedSecond! - cappedFirst!} ms`);
    await waitFor(() => busy.outcomes.length >= 2, 'the outcomes to be counted'); // counted just after the store write
    assert.deepEqual(busy.outcomes, ['retry', 'delivered']);
    await waitFor(() => capped.outcomes.length >= 2, 'the outcomes to be counted'); // counted just after the store write
    assert.deepEqual(capped.outcomes, ['retry', 'delivered']);
  } finally {
    await Promise.all([busy.outbox.close(), capped.outbox.close()]);
    await server.close();
  }
});

test('a request that gets no answer in time is retried under the same id', async () => {
  await clear();
  // the first request is never answered; the second is
  const server = await receiver((res, _request, index) => {
    if (index > 0) answer(200)(res);
  });
  const { outbox, warnings, outcomes } = worker([{ url: server.url(), secret: SECRET }], { timeoutMs: 100 });
  outbox.start();
  try {
    const [queued] = await outbox.enqueue([{ type: 'SPAM' }]);
    await waitFor(() => server.received.length === 2, 'the retry');
    await waitFor(outboxEmpty, 'the outbox to empty');
    assert.deepEqual(
      server.received.map((request) => request.body.id),
      [queued!.id, queued!.id],
    );
    assert.deepEqual(warnings, ['webhook delivery failed, will retry']);
    await waitFor(() => outcomes.length >= 2, 'the outcomes to be counted'); // counted just after the store write
    assert.deepEqual(outcomes, ['retry', 'delivered']);
  } finally {
    await outbox.close();
    await server.close();
  }
});

test('a 400 and a redirect are given up after one attempt, and the redirect is not followed', async () => {
  await clear();
  const server = await receiver((res, request) => {
    if (request.path === '/moved') answer(302, { location: '/elsewhere' })(res);
    else if (request.path === '/elsewhere') answer(200)(res);
    else answer(400, {}, 'bad payload')(res);
  });
  const { outbox, warnings, outcomes } = worker([
    { url: server.url('/bad'), secret: SECRET },
    { url: server.url('/moved'), secret: SECRET },
  ]);
  outbox.start();
  try {
    await outbox.enqueue([{ type: 'SPAM' }]);
    await waitFor(async () => (await countWebhookDeliveries(store.db)).failed === 2, 'both to fail');
    await sleep(100);
    const summary = await webhookOutboxSummary(store.db);
    const errors = summary.recent.map((row) => [row.state, row.attempts, row.lastError]).sort();
    assert.deepEqual(errors, [
      ['failed', 1, 'HTTP 302: status 302'],
      ['failed', 1, 'HTTP 400: bad payload'],
    ]);
    assert.deepEqual(server.received.map((request) => request.path).sort(), ['/bad', '/moved']);
    assert.deepEqual(warnings, [
      'webhook delivery failed (not retried)',
      'webhook delivery failed (not retried)',
    ]);
    await waitFor(() => outcomes.length >= 2, 'the outcomes to be counted'); // counted just after the store write
    assert.deepEqual(outcomes, ['failed', 'failed']);
  } finally {
    await outbox.close();
    await server.close();
  }
});

test('a receiver nobody answers for fails the delivery once its attempts are used up', async () => {
  await clear();
  const probe = await receiver(answer(200));
  const url = probe.url();
  await probe.close();
  const { outbox, warnings, outcomes } = worker([{ url, secret: SECRET }], { retry: { attempts: 2 } });
  outbox.start();
  try {
    const [queued] = await outbox.enqueue([{ type: 'SPAM' }]);
    await waitFor(async () => (await countWebhookDeliveries(store.db)).failed === 1, 'the failure');
    const [row] = (await webhookOutboxSummary(store.db)).recent;
    assert.equal(row?.id, queued!.id);
    assert.equal(row?.attempts, 2);
    assert.match(row?.lastError ?? '', /ECONNREFUSED/);
    await waitFor(() => warnings.length >= 2, 'the log lines'); // logged just after the store write
    assert.deepEqual(warnings, [
      'webhook delivery failed, will retry',
      'webhook delivery failed (attempts used up)',
    ]);
    await waitFor(() => outcomes.length >= 2, 'the outcomes to be counted'); // counted just after the store write
    assert.deepEqual(outcomes, ['retry', 'failed']);
  } finally {
    await outbox.close();
  }
});

test('enqueue returns while the receiver hangs; the worker keeps to its concurrency; close cuts it short and keeps everything', async () => {
  await clear();
  const server = await receiver(() => {}); // never answers
  const { outbox } = worker([{ url: server.url(), secret: SECRET }], { concurrency: 3, timeoutMs: 60_000 });
  outbox.start();
  try {
    const started = performance.now();
    const queued = await outbox.enqueue(Array.from({ length: 20 }, (_, uid) => ({ type: 'SPAM', uid })));
    const took = performance.now() - started;
    assert.equal(queued.length, 20);
    assert.ok(took < 5000, `enqueue took ${took} ms`);
    await waitFor(() => server.received.length === 3, 'the first requests');
    await sleep(200);
    assert.equal(server.received.length, 3, 'no more than `concurrency` requests at once');
    assert.equal(outbox.inFlight, 3);

    const closing = performance.now();
    await outbox.close(100);
    const closeTook = performance.now() - closing;
    assert.ok(closeTook < 3000, `close took ${closeTook} ms`);
    assert.equal(outbox.inFlight, 0);
    const summary = await webhookOutboxSummary(store.db);
    assert.equal(summary.pending, 20, 'nothing is lost');
    assert.equal(summary.failed, 0);
    assert.equal(summary.recent.length, 3, 'the three that were sent');
    for (const row of summary.recent) {
      assert.match(row.lastError ?? '', /worker stopped/);
      assert.equal(row.attempts, 1);
      assert.equal(row.claimedBy, null);
    }
    await sleep(100);
    assert.equal(server.received.length, 3, 'nothing sent after close');
  } finally {
    await server.close();
  }
});

test('close waits for a request about to finish, but not for a retry that is due later', async () => {
  await clear();
  const server = await receiver((res, request) => {
    if (request.path === '/slow') setTimeout(() => answer(200)(res), 300);
    else answer(503)(res);
  });
  const { outbox, warnings, infos, outcomes } = worker(
    [
      { url: server.url('/slow'), secret: SECRET },
      { url: server.url('/failing'), secret: SECRET },
    ],
    { retry: { initialDelayMs: 60_000, maxDelayMs: 120_000 } },
  );
  outbox.start();
  const [slow, failing] = await outbox.enqueue([{ type: 'SPAM' }]);
  assert.equal(slow?.url, server.url('/slow'));
  try {
    await waitFor(() => warnings.includes('webhook delivery failed, will retry'), 'the retry to be recorded');
    assert.equal(outbox.inFlight, 1, 'the slow one in flight');
    assert.deepEqual(infos, []);
    const started = performance.now();
    await outbox.close(2000);
    const took = performance.now() - started;
    assert.ok(took < 1500, `close took ${took} ms: it does not wait for the retry`);
    assert.deepEqual(infos, ['webhook delivered'], 'the slow delivery was waited for');
    assert.deepEqual(outcomes, ['retry', 'delivered']);
    const summary = await webhookOutboxSummary(store.db);
    assert.equal(summary.pending, 1);
    assert.equal(summary.recent[0]?.id, failing!.id);
    assert.ok(summary.recent[0]!.nextAttemptAt!.getTime() > Date.now() + 25_000, 'still due later');
    assert.equal(server.received.filter((request) => request.path === '/failing').length, 1);
  } finally {
    await outbox.close();
    await server.close();
  }
});

test('an event that cannot be sent gives no delivery and is logged; neither enqueue nor a failing logger throws', async () => {
  await clear();
  const { outbox, warnings } = worker([{ url: 'http://127.0.0.1:9/', secret: SECRET }]);
  const cyclic: Record<string, unknown> = { type: 'SPAM' };
  cyclic.self = cyclic;
  const unsendable = [
    { type: 'SPAM', size: 10n },
    cyclic as WebhookEvent,
    { type: 'bad\r\ntype' },
    null as unknown as WebhookEvent,
  ];
  for (const event of unsendable) assert.deepEqual(outbox.deliveriesFor(event), []);
  assert.deepEqual(warnings, [
    'webhook event dropped: cannot serialise',
    'webhook event dropped: cannot serialise',
    'webhook event dropped: invalid type',
    'webhook event dropped: invalid type',
  ]);
  assert.deepEqual(await outbox.enqueue(unsendable), []);
  assert.equal(warnings.length, 8);
  const throwing = new WebhookOutbox({
    targets: [{ url: 'http://127.0.0.1:9/', secret: SECRET }],
    store: webhookOutboxStore(store.db),
    logger: {
      warn() {
        throw new Error('logger down');
      },
    },
  });
  assert.deepEqual(await throwing.enqueue([{ type: 'x y' }]), []);
  assert.deepEqual(await countWebhookDeliveries(store.db), { pending: 0, failed: 0 }, 'nothing written');
});

test('bad targets and settings are refused when the outbox is made', () => {
  const outboxStore = webhookOutboxStore(store.db);
  const make = (targets: WebhookTarget[], options: Partial<WebhookOutboxOptions> = {}) =>
    new WebhookOutbox({ targets, store: outboxStore, ...options });
  assert.throws(() => make([{ url: 'not a url', secret: SECRET }]), TypeError);
  assert.throws(() => make([{ url: 'ftp://example.com/', secret: SECRET }]), /must be http or https/);
  assert.throws(() => make([{ url: 'https://example.com/', secret: '' }]), /has no secret/);
  assert.throws(
    () => make([{ url: 'https://example.com/', secret: SECRET, events: 'SPAM' as unknown as string[] }]),
    /events must be an array/,
  );
  // the secret-bearing parts of a URL stay out of the error
  assert.throws(
    () => make([{ url: 'ftp://user:pw@example.com/?token=t0ken', secret: SECRET }]),
    (error: Error) => !/pw|t0ken/.test(error.message),
  );
  const good = [{ url: 'https://example.com/', secret: SECRET }];
  assert.throws(() => make(good, { retry: { attempts: 0 } }), /retry\.attempts/);
  assert.throws(() => make(good, { concurrency: 1.5 }), /concurrency/);
  assert.throws(() => make(good, { timeoutMs: -1 }), /timeoutMs/);
  assert.doesNotThrow(() => make(good));
});

test('after close no timer, socket or server of the worker is left', async () => {
  await clear();
  const open = () =>
    process.getActiveResourcesInfo().filter((type) => type === 'Timeout' || type.startsWith('TCP')).length;
  const baseline = open();
  const client = new MongoClient(store.uri);
  await client.connect();
  const server = await receiver((res, _request, index) => {
    if (index === 0) answer(503)(res); // then hang
  });
  const { outbox } = worker([{ url: server.url(), secret: SECRET }], {
    db: client.db(store.name),
    timeoutMs: 30_000,
    retry: { initialDelayMs: 10 },
  });
  outbox.start();
  await outbox.enqueue([{ type: 'SPAM' }]);
  await waitFor(() => server.received.length === 2, 'the hanging retry');
  assert.ok(open() > baseline, 'the worker holds a request open');
  await outbox.close(50);
  await client.close();
  await server.close();
  await waitFor(
    () => open() <= baseline,
    `no open handles beyond the ${baseline} before (now ${open()})`,
    2000,
  );
});
