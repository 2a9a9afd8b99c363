/**
 * The webhook outbox for administrators: a delivery that keeps failing is listed as failed with its
 * last error (the receiver URL without its query), an admin can queue it again once the receiver
 * is fixed, and users may not see the outbox.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { countWebhookDeliveries, webhookOutboxStore } from '@wildduck/store';
import { WebhookOutbox } from '@wildduck/webhooks';
import { createRegistry, webhookMetrics } from '@wildduck/observability';
import { startApi, type ApiHarness } from './graphql-harness.js';

let api: ApiHarness;
let admin: string;
let user: string;
let receiver: Server;
let status = 500;
const received: string[] = [];
let hookUrl: string;

before(async () => {
  receiver = createServer((req, res) => {
    received.push(String(req.headers['x-wildduck-delivery']));
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'text/plain' }).end('spam filter is down'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook?token=receiver-secret`;
  api = await startApi('gqlwebhooks');
  await api.createUser('admin@example.com', { role: 'admin' });
  admin = await api.signIn('admin@example.com');
  await api.createUser('user@example.com');
  user = await api.signIn('user@example.com');
});
after(async () => {
  await api.close();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const OUTBOX = `query ($recent: Int) {
  webhookOutbox(recent: $recent) {
    pending failed oldestPendingAt
    recent { id type url state attempts lastError lastAttemptAt nextAttemptAt failedAt createdAt }
  }
}`;

interface Outbox {
  webhookOutbox: {
    pending: number;
    failed: number;
    oldestPendingAt: string | null;
    recent: {
      id: string;
      type: string;
      url: string;
      state: string;
      attempts: number;
      lastError: string | null;
      lastAttemptAt: string | null;
      nextAttemptAt: string | null;
      failedAt: string | null;
      createdAt: string;
    }[];
  };
}

async function waitFor(predicate: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a delivery that keeps failing is shown as failed with its last error; an admin queues it again', async () => {
  const registry = createRegistry('api', { defaultMetrics: false });
  const metrics = webhookMetrics(registry, () => countWebhookDeliveries(api.store.db));
  const worker = new WebhookOutbox({
    targets: [{ url: hookUrl, secret: 'admin-view' }],
    store: webhookOutboxStore(api.store.db),
    logger: pino({ level: 'silent' }),
    onOutcome: metrics.outcome,
    retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 },
    pollIntervalMs: 10,
  }).start();
  try {
    const [queued] = await worker.enqueue([{ type: 'SPAM', user: 'someone' }]);
    await waitFor(async () => (await countWebhookDeliveries(api.store.db)).failed === 1, 'the failure');

    const answer = await api.gql<Outbox>(OUTBOX, {}, admin);
    assert.equal(answer.errors, undefined);
    const outbox = answer.data!.webhookOutbox;
    assert.equal(outbox.pending, 0);
    assert.equal(outbox.failed, 1);
    assert.equal(outbox.oldestPendingAt, null);
    assert.equal(outbox.recent.length, 1);
    const [failed] = outbox.recent;
    assert.equal(failed!.id, queued!.id);
    assert.equal(failed!.type, 'SPAM');
    assert.equal(failed!.state, 'FAILED');
    assert.equal(failed!.attempts, 3);
    assert.equal(failed!.lastError, 'HTTP 500: spam filter is down');
    assert.ok(!failed!.url.includes('receiver-secret'), `the URL's query is not shown: ${failed!.url}`);
    assert.match(failed!.url, /^http:\/\/127\.0\.0\.1:\d+\/hook\?/);
    assert.ok(failed!.failedAt && failed!.lastAttemptAt && failed!.createdAt);
    assert.equal(failed!.nextAttemptAt, null);
    assert.deepEqual(new Set(received), new Set([queued!.id]));

    // /metrics: the outbox as the store has it, and this worker's attempts by outcome
    const text = await registry.metrics();
    assert.match(text, /^wildduck_webhook_outbox_failed\{service="api"\} 1$/m);
    assert.match(text, /^wildduck_webhook_outbox_pending\{service="api"\} 0$/m);
    assert.match(text, /^wildduck_webhook_deliveries_total\{outcome="retry",service="api"\} 2$/m);
    assert.match(text, /^wildduck_webhook_deliveries_total\{outcome="failed",service="api"\} 1$/m);
    assert.match(text, /^wildduck_webhook_deliveries_total\{outcome="delivered",service="api"\} 0$/m);

    // the receiver is fixed; the admin queues the delivery again and it arrives, under the same id
    status = 204;
    const retried = await api.gql<{ retryWebhookDelivery: boolean }>(
      'mutation ($id: ID!) { retryWebhookDelivery(id: $id) }',
      { id: queued!.id },
      admin,
    );
    assert.equal(retried.data?.retryWebhookDelivery, true);
    await waitFor(async () => {
      const counts = await countWebhookDeliveries(api.store.db);
      return counts.failed === 0 && counts.pending === 0;
    }, 'the delivery after the retry');
    assert.equal(received.length, 4);
    assert.equal(received[3], queued!.id);
    const again = await api.gql<{ retryWebhookDelivery: boolean }>(
      'mutation ($id: ID!) { retryWebhookDelivery(id: $id) }',
      { id: queued!.id },
      admin,
    );
    assert.equal(again.data?.retryWebhookDelivery, false, 'delivered: nothing to retry');
  } finally {
    await worker.close();
  }
});

test('users may not see the outbox; recent is bounded', async () => {
  const denied = await api.gql<Outbox>(OUTBOX, {}, user);
  assert.equal(denied.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  const retry = await api.gql('mutation { retryWebhookDelivery(id: "x") }', {}, user);
  assert.equal(retry.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  const tooMany = await api.gql<Outbox>(OUTBOX, { recent: 1000 }, admin);
  assert.equal(tooMany.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
});
