import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { applySchema } from '@wildduck/schema';
import { findFreePort, openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import {
  createRegistry,
  httpMetrics,
  mongoCheck,
  redisCheck,
  schemaCheck,
  type ClosableCheck,
  type HealthOptions,
} from '@wildduck/observability';
import { createApiApp } from '@wildduck/api';

let store: TestDatabase;
const servers: Server[] = [];
const checks: ClosableCheck[] = [];

before(async () => {
  store = await openTestDatabase('apihealth');
  await applySchema(store.db);
});
after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  for (const check of checks) await check.close();
  await store.drop();
});

/** The API app with health on a free port, as main.ts wires it; `redisUrl` for its Redis check. */
async function startApi(redisUrl: string | undefined, extra: Partial<HealthOptions> = {}): Promise<string> {
  const registry = createRegistry('api');
  const redis = redisCheck(redisUrl);
  checks.push(redis);
  const server = createServer(
    createApiApp({
      db: store.db,
      logger: pino({ level: 'silent' }),
      apiToken: 'health-token',
      health: {
        readiness: [mongoCheck(store.db), redis, schemaCheck(store.db)],
        registry,
        http: httpMetrics(registry),
        ...extra,
      },
    }),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('/readyz answers 200 with every check, without the API token', async () => {
  const base = await startApi(process.env.REDIS_URL);
  const response = await fetch(`${base}/readyz`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    ok: true,
    checks: {
      mongodb: 'ok',
      redis: process.env.REDIS_URL ? 'ok' : 'not configured (in-process bus)',
      schema: 'ok',
    },
  });
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
});

test('/readyz answers 503 naming redis when Redis does not answer; /healthz stays 200', async () => {
  const base = await startApi(`redis://127.0.0.1:${await findFreePort()}`);
  const response = await fetch(`${base}/readyz`);
  assert.equal(response.status, 503);
  const body = (await response.json()) as { ok: boolean; failed: string[] };
  assert.equal(body.ok, false);
  assert.deepEqual(body.failed, ['redis']);
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
});

test('while draining /healthz and /readyz answer 503', async () => {
  const base = await startApi(undefined, { draining: () => true });
  assert.equal((await fetch(`${base}/healthz`)).status, 503);
  assert.equal((await fetch(`${base}/readyz`)).status, 503);
});

test('/metrics needs the API token and serves Prometheus text with request counts and process metrics', async () => {
  const base = await startApi(undefined);
  await fetch(`${base}/healthz`);
  await fetch(`${base}/no-such-call`, { headers: { authorization: 'Bearer health-token' } });
  assert.equal((await fetch(`${base}/metrics`)).status, 401);
  const response = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer health-token' } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  assert.match(text, /^wildduck_http_requests_total\{[^}]*method="GET"[^}]*status="200"[^}]*\} 1$/m);
  assert.match(text, /^wildduck_http_requests_total\{[^}]*method="GET"[^}]*status="404"[^}]*\} 1$/m);
  assert.match(text, /^wildduck_http_requests_total\{[^}]*status="401"[^}]*\} 1$/m);
  assert.match(text, /^process_resident_memory_bytes\{service="api"\} \d+/m);
});
