import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { createApiApp } from '@wildduck/api';
import { isLoopback } from '../src/rest/access.js';

let store: TestDatabase;
let server: Server;
let base: string;

before(async () => {
  store = await openTestDatabase('apiaccess');
  await applySchema(store.db);
  server = createServer(
    createApiApp({ db: store.db, logger: pino({ level: 'silent' }), apiToken: 's3cret-token' }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await store.drop();
});

const body = JSON.stringify({ username: 'token@example.com', password: 'secretpass' });

test('with API_TOKEN set, a call without the token answers 401 and writes nothing', async () => {
  const response = await fetch(`${base}/user/create`, { method: 'POST', body });
  assert.equal(response.status, 401);
  assert.equal(((await response.json()) as { code: string }).code, 'UNAUTHORIZED');
  assert.equal(await store.db.collection('users').countDocuments(), 0);
});

test('with API_TOKEN set, a wrong token answers 403', async () => {
  const response = await fetch(`${base}/user/create`, {
    method: 'POST',
    body,
    headers: { authorization: 'Bearer nope' },
  });
  assert.equal(response.status, 403);
  assert.equal(((await response.json()) as { code: string }).code, 'FORBIDDEN');
});

test('with API_TOKEN set, the right token is served (header or X-Access-Token)', async () => {
  const response = await fetch(`${base}/user/create`, {
    method: 'POST',
    body,
    headers: { authorization: 'Bearer s3cret-token' },
  });
  assert.equal(response.status, 200);
  const second = await fetch(`${base}/user/create`, {
    method: 'POST',
    body: JSON.stringify({ username: 'token2@example.com', password: 'secretpass' }),
    headers: { 'x-access-token': 's3cret-token' },
  });
  assert.equal(second.status, 200);
});

test('without API_TOKEN only loopback addresses are served', () => {
  for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])
    assert.equal(isLoopback(address), true, address);
  for (const address of ['10.0.0.1', '192.168.1.2', '::ffff:10.1.2.3', '2001:db8::1', undefined])
    assert.equal(isLoopback(address), false, String(address));
});
