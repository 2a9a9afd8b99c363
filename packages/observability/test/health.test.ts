import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Counter } from 'prom-client';
import { findFreePort } from '@wildduck/embedded-store';
import {
  createRegistry,
  failureReason,
  redisCheck,
  runReadinessChecks,
  startHealthServer,
  type ReadinessCheck,
} from '@wildduck/observability';

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

const passing: ReadinessCheck = { name: 'good', check: () => Promise.resolve() };
const failing: ReadinessCheck = { name: 'bad', check: () => Promise.reject(new Error('it broke')) };
const hanging: ReadinessCheck = { name: 'slow', check: () => new Promise(() => {}) };

test('readiness: every check runs; a failure or a hang is named with its reason', async () => {
  assert.deepEqual(await runReadinessChecks([passing]), { ok: true, checks: { good: 'ok' }, failed: [] });
  const report = await runReadinessChecks([passing, failing, hanging], 200);
  assert.equal(report.ok, false);
  assert.deepEqual(report.failed, ['bad', 'slow']);
  assert.equal(report.checks.bad, 'it broke');
  assert.match(report.checks.slow!, /no answer within 200 ms/);
});

test('/healthz, /readyz and /metrics; 503 on both while draining', async () => {
  const registry = createRegistry('unit');
  new Counter({ name: 'unit_things_total', help: 'things', registers: [registry] }).inc(3);
  let draining = false;
  let ready = true;
  const server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    registry,
    draining: () => draining,
    readiness: [
      { name: 'store', check: () => (ready ? Promise.resolve() : Promise.reject(new Error('down'))) },
    ],
  });
  closers.push(() => server.close());
  const base = `http://127.0.0.1:${server.port}`;

  let response = await fetch(`${base}/healthz`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { ok: true });
  response = await fetch(`${base}/readyz`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { ok: true, checks: { store: 'ok' } });

  ready = false;
  response = await fetch(`${base}/readyz`);
  assert.equal(response.status, 503);
  assert.deepEqual(await response.json(), { ok: false, checks: { store: 'down' }, failed: ['store'] });

  response = await fetch(`${base}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type')!, /^text\/plain/);
  const text = await response.text();
  assert.match(text, /^unit_things_total\{service="unit"\} 3$/m);
  assert.match(text, /^process_resident_memory_bytes\{service="unit"\} \d+/m, 'default metrics are there');

  assert.equal((await fetch(`${base}/nothing`)).status, 404);
  draining = true;
  assert.equal((await fetch(`${base}/healthz`)).status, 503);
  assert.deepEqual(await (await fetch(`${base}/readyz`)).json(), {
    ok: false,
    draining: true,
    failed: ['draining'],
  });
});

test('redisCheck: not configured passes with a note; a closed port fails; a live Redis answers PONG', async () => {
  assert.equal(
    (await runReadinessChecks([redisCheck(undefined)])).checks.redis,
    'not configured (in-process bus)',
  );
  const closed = redisCheck(`redis://127.0.0.1:${await findFreePort()}`);
  closers.push(() => closed.close());
  const report = await runReadinessChecks([closed]);
  assert.equal(report.ok, false);
  assert.match(report.checks.redis!, /not connected/);
  if (process.env.REDIS_URL) {
    const live = redisCheck(process.env.REDIS_URL);
    closers.push(() => live.close());
    assert.deepEqual(await runReadinessChecks([live]), { ok: true, checks: { redis: 'ok' }, failed: [] });
  }
});

test('failure reasons come from the enhanced status code of the reply', () => {
  assert.equal(failureReason(550, '5.1.1 <a@b>: no such user here'), 'unknown_user');
  assert.equal(failureReason(552, '5.2.2 <a@b>: mailbox full'), 'over_quota');
  assert.equal(failureReason(552, '5.3.4 message too big'), 'too_big');
  assert.equal(failureReason(552, 'Error: message exceeds fixed maximum message size'), 'too_big');
  assert.equal(failureReason(451, '4.3.0 temporary failure storing the message'), 'store_unavailable');
  assert.equal(failureReason(451, '4.4.1 smarthost unreachable'), 'relay');
  assert.equal(failureReason(550, '5.7.1 relaying is not configured'), 'policy');
  assert.equal(failureReason(554, '5.6.0 message refused'), 'invalid_message');
  assert.equal(failureReason(421, '4.3.2 Server shutting down'), 'shutdown');
  assert.equal(failureReason(500, 'Error: command not recognized'), 'other');
});
