import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import { listParts, verifyPassword } from '@wildduck/store';
import { startApi, PASSWORD, type ApiHarness } from './graphql-harness.js';
import { bigAttachment, messageWithAttachment, plainMessage, storeMessage } from './auth-support.js';

const API_TOKEN = 'rest-admin-api-token';
let api: ApiHarness;
/** The same API without API_TOKEN: loopback clients only, no token needed. */
let open: ApiHarness;

before(async () => {
  api = await startApi('restadmin', { apiToken: API_TOKEN });
  open = await startApi('restadminopen');
});
after(async () => {
  await api.close();
  await open.close();
});

async function call(
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; harness?: ApiHarness } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = options.token === undefined ? API_TOKEN : options.token;
  const response = await fetch(`${(options.harness ?? api).url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('every admin call needs the API token: none is 401, a wrong one or a session token 403', async () => {
  const id = await api.createUser('guarded@example.com');
  const session = await api.signIn('guarded@example.com');
  const calls: [string, string, unknown?][] = [
    ['GET', '/users'],
    ['GET', `/users/${id}`],
    ['PUT', `/users/${id}`, { role: 'admin' }],
    ['DELETE', `/users/${id}`],
  ];
  for (const [method, path, body] of calls) {
    const none = await call(method, path, { token: null, body });
    assert.equal(none.status, 401, `${method} ${path}`);
    assert.equal(none.body.code, 'UNAUTHORIZED');
    assert.equal(none.body.success, false);
    for (const token of ['wrong-token', session]) {
      const wrong = await call(method, path, { token, body });
      assert.equal(wrong.status, 403, `${method} ${path}`);
      assert.equal(wrong.body.code, 'FORBIDDEN');
    }
  }
  const user = await api.store.db.collection('users').findOne({ _id: new ObjectId(id) });
  assert.equal(user?.role, 'user', 'nothing changed');
});

test('without API_TOKEN the admin calls serve loopback clients with no token', async () => {
  await open.createUser('loopback@example.com');
  const answer = await call('GET', '/users', { token: null, harness: open });
  assert.equal(answer.status, 200);
  assert.deepEqual(
    (answer.body.users as { address: string }[]).map((user) => user.address),
    ['loopback@example.com'],
  );
});

test('GET /users lists accounts with storage used and message counts, paged and searchable', async () => {
  const big = await api.createUser('big@list.example', { quota: 10_000_000 });
  const small = await api.createUser('small@list.example');
  await api.createUser('none@list.example');
  await storeMessage(api.services.store, big, messageWithAttachment('big', bigAttachment()));
  await storeMessage(api.services.store, small, plainMessage('small'));
  await storeMessage(api.services.store, small, plainMessage('small 2'));

  const answer = await call('GET', '/users?search=LIST.example&orderBy=storageUsed&descending=true');
  assert.equal(answer.status, 200);
  assert.equal(answer.body.success, true);
  assert.equal(answer.body.totalCount, 3);
  assert.equal(answer.body.hasNextPage, false);
  const users = answer.body.users as Record<string, unknown>[];
  assert.deepEqual(
    users.map((user) => [user.address, user.messageCount]),
    [
      ['big@list.example', 1],
      ['small@list.example', 2],
      ['none@list.example', 0],
    ],
  );
  assert.ok((users[0]!.storageUsed as number) > 200 * 1024);
  assert.equal(users[0]!.quota, 10_000_000);
  assert.equal(users[0]!.id, big);
  assert.deepEqual(Object.keys(users[0]!).sort(), [
    'address',
    'created',
    'disabled',
    'id',
    'messageCount',
    'name',
    'quota',
    'role',
    'storageUsed',
  ]);
  assert.ok(!JSON.stringify(answer.body).includes('argon2'), 'no password hashes');

  const first = await call('GET', '/users?search=list.example&first=2');
  assert.equal(first.body.hasNextPage, true);
  const second = await call(
    'GET',
    `/users?search=list.example&first=2&after=${encodeURIComponent(String(first.body.endCursor))}`,
  );
  assert.equal(second.body.hasNextPage, false);
  assert.deepEqual(
    [...(first.body.users as { address: string }[]), ...(second.body.users as { address: string }[])].map(
      (user) => user.address,
    ),
    ['big@list.example', 'none@list.example', 'small@list.example'],
  );
});

test('GET /users refuses bad parameters with 400 naming the field', async () => {
  const cases: [string, string][] = [
    ['first=201', 'first'],
    ['first=abc', 'first'],
    ['orderBy=password', 'orderBy'],
    ['descending=maybe', 'descending'],
    ['after=garbage', 'after'],
    ['first=1&first=2', 'first'],
  ];
  for (const [query, field] of cases) {
    const answer = await call('GET', `/users?${query}`);
    assert.equal(answer.status, 400, query);
    assert.equal(answer.body.success, false);
    assert.equal(answer.body.field, field, query);
  }
});

test('GET /users/:id answers one account; unknown or malformed ids are 404', async () => {
  const id = await api.createUser('single@example.com');
  await storeMessage(api.services.store, id, plainMessage('one'));
  const answer = await call('GET', `/users/${id}`);
  assert.equal(answer.status, 200);
  const user = answer.body.user as Record<string, unknown>;
  assert.equal(user.address, 'single@example.com');
  assert.equal(user.messageCount, 1);
  for (const missing of [new ObjectId().toHexString(), 'bogus']) {
    const none = await call('GET', `/users/${missing}`);
    assert.equal(none.status, 404);
    assert.equal(none.body.code, 'NOT_FOUND');
  }
});

test('PUT /users/:id changes quota, name, role, disabled and password', async () => {
  const id = await api.createUser('edit@example.com');
  const session = await api.signIn('edit@example.com');
  const answer = await call('PUT', `/users/${id}`, {
    body: { quota: 2048, name: 'Edited', role: 'admin', password: 'a whole new secret' },
  });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const user = answer.body.user as Record<string, unknown>;
  assert.equal(user.quota, 2048);
  assert.equal(user.name, 'Edited');
  assert.equal(user.role, 'admin');
  const stored = await api.store.db.collection('users').findOne({ _id: new ObjectId(id) });
  assert.equal(await verifyPassword(stored!.passwordHash, 'a whole new secret'), true);
  // the new password ended the old session
  const me = await api.gql('{ me { address } }', {}, session);
  assert.equal(me.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');

  const unlimited = await call('PUT', `/users/${id}`, { body: { quota: null, disabled: true } });
  assert.equal((unlimited.body.user as Record<string, unknown>).quota, null);
  assert.equal((unlimited.body.user as Record<string, unknown>).disabled, true);
  await assert.rejects(api.signIn('edit@example.com', 'a whole new secret'));
  await call('PUT', `/users/${id}`, { body: { disabled: false } });
  assert.ok(await api.signIn('edit@example.com', 'a whole new secret'));
});

test('PUT /users/:id refuses bad bodies with 400 naming the field, and changes nothing', async () => {
  const id = await api.createUser('strict@example.com', { quota: 100 });
  const cases: [unknown, string, string | undefined][] = [
    [{ quota: -1 }, 'INVALID_FIELD', 'quota'],
    [{ quota: '100' }, 'INVALID_FIELD', 'quota'],
    [{ password: 'short' }, 'PASSWORD_TOO_SHORT', 'password'],
    [{ role: 'root' }, 'INVALID_FIELD', 'role'],
    [{ disabled: 'yes' }, 'INVALID_FIELD', 'disabled'],
    [{ name: 42 }, 'INVALID_FIELD', 'name'],
    [{ address: 'new@example.com' }, 'UNKNOWN_FIELD', 'address'],
    [['quota', 5], 'INVALID_BODY', undefined],
  ];
  for (const [body, code, field] of cases) {
    const answer = await call('PUT', `/users/${id}`, { body });
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.equal(answer.body.code, code, JSON.stringify(body));
    assert.equal(answer.body.field, field, JSON.stringify(body));
  }
  const stored = await api.store.db.collection('users').findOne({ _id: new ObjectId(id) });
  assert.equal(stored?.quota, 100);
  assert.equal(await verifyPassword(stored!.passwordHash, PASSWORD), true);
  const missing = await call('PUT', `/users/${new ObjectId().toHexString()}`, { body: { quota: 1 } });
  assert.equal(missing.status, 404);
});

test('DELETE /users/:id removes the account and everything it owns; a second DELETE is 404', async () => {
  const gone = await api.createUser('gone@example.com');
  const stays = await api.createUser('stays@example.com');
  const attachment = bigAttachment();
  await storeMessage(api.services.store, gone, messageWithAttachment('shared', attachment));
  await storeMessage(api.services.store, stays, messageWithAttachment('shared', attachment));
  await storeMessage(api.services.store, gone, messageWithAttachment('own', bigAttachment()), 'Trash');
  const db = api.store.db;
  const refs = new Set(
    (
      await db
        .collection('messages')
        .find({ user: { $in: [new ObjectId(gone), new ObjectId(stays)] } })
        .toArray()
    ).flatMap((message) => message.parts as string[]),
  );
  assert.equal(refs.size, 2);

  const answer = await call('DELETE', `/users/${gone}`);
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body, { success: true, id: gone });
  const user = new ObjectId(gone);
  assert.equal(await db.collection('users').countDocuments({ _id: user }), 0);
  for (const collection of ['mailboxes', 'messages', 'journal', 'sessions', 'accessTokens']) {
    assert.equal(await db.collection(collection).countDocuments({ user }), 0, collection);
  }
  const parts = (await listParts(db)).filter((part) => refs.has(part.ref));
  assert.equal(parts.length, 1);
  assert.equal(parts[0]!.refs, 1);

  const again = await call('DELETE', `/users/${gone}`);
  assert.equal(again.status, 404);
  assert.equal(again.body.code, 'NOT_FOUND');
});
