import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { verifyPassword } from '@wildduck/store';
import { createApiApp } from '@wildduck/api';

let store: TestDatabase;
let server: Server;
let base: string;

before(async () => {
  store = await openTestDatabase('usercreate');
  await applySchema(store.db);
  server = createServer(
    createApiApp({ db: store.db, logger: pino({ level: 'silent' }), apiToken: undefined }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await store.drop();
});

async function post(
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  url = `${base}/user/create`,
) {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const create = (value: unknown) => post(JSON.stringify(value));
const countUsers = () => store.db.collection('users').countDocuments();

test('creating a user answers the contract and lower-cases the address', async () => {
  const { status, body } = await create({ username: 'Username@Example.com', password: 'secretpass' });
  assert.equal(status, 200);
  assert.equal(body.success, true);
  assert.equal(body.username, 'username@example.com');
  assert.match(String(body.id), /^[0-9a-f]{24}$/);
  assert.deepEqual(Object.keys(body).sort(), ['id', 'success', 'username']);
});

test('the stored password is an argon2id hash, not the password', async () => {
  await create({ username: 'hash@example.com', password: 'correct horse' });
  const user = await store.db.collection('users').findOne({ address: 'hash@example.com' });
  assert.ok(user);
  assert.notEqual(user.passwordHash, 'correct horse');
  assert.ok(!String(user.passwordHash).includes('correct horse'));
  assert.match(String(user.passwordHash), /^\$argon2id\$/);
  assert.equal(await verifyPassword(user.passwordHash, 'correct horse'), true);
  assert.equal(await verifyPassword(user.passwordHash, 'wrong horse'), false);
});

test('a new user gets the six default mailboxes with their SPECIAL-USE flags', async () => {
  const { body } = await create({ username: 'boxes@example.com', password: 'secretpass' });
  const user = await store.db.collection('users').findOne({ address: 'boxes@example.com' });
  assert.equal(user?._id.toHexString(), body.id);
  const boxes = await store.db.collection('mailboxes').find({ user: user!._id }).toArray();
  const byPath = Object.fromEntries(boxes.map((box) => [box.path, box.specialUse]));
  assert.deepEqual(byPath, {
    INBOX: null,
    Drafts: '\\Drafts',
    'Sent Mail': '\\Sent',
    Junk: '\\Junk',
    Trash: '\\Trash',
    Archive: '\\Archive',
  });
  for (const box of boxes) {
    assert.equal(box.uidNext, 1);
    assert.ok(box.uidValidity > 0);
    assert.equal(box.subscribed, true);
  }
});

const invalidRequests: [
  string,
  string,
  Record<string, string> | undefined,
  number,
  string,
  string | undefined,
][] = [
  ['malformed JSON', '{"username": "a@example.com", ', undefined, 400, 'INVALID_JSON', undefined],
  ['a JSON array', '["a@example.com", "secretpass"]', undefined, 400, 'INVALID_BODY', undefined],
  ['an empty body', '', undefined, 400, 'INVALID_BODY', undefined],
  [
    'a missing username',
    JSON.stringify({ password: 'secretpass' }),
    undefined,
    400,
    'MISSING_FIELD',
    'username',
  ],
  [
    'an empty username',
    JSON.stringify({ username: ' ', password: 'secretpass' }),
    undefined,
    400,
    'MISSING_FIELD',
    'username',
  ],
  [
    'a username that is not an address',
    JSON.stringify({ username: 'bob', password: 'secretpass' }),
    undefined,
    400,
    'INVALID_USERNAME',
    'username',
  ],
  [
    'a username with two @',
    JSON.stringify({ username: 'a@b@example.com', password: 'secretpass' }),
    undefined,
    400,
    'INVALID_USERNAME',
    'username',
  ],
  [
    'a username of the wrong type',
    JSON.stringify({ username: 42, password: 'secretpass' }),
    undefined,
    400,
    'INVALID_FIELD',
    'username',
  ],
  [
    'a missing password',
    JSON.stringify({ username: 'p1@example.com' }),
    undefined,
    400,
    'MISSING_FIELD',
    'password',
  ],
  [
    'an empty password',
    JSON.stringify({ username: 'p2@example.com', password: '' }),
    undefined,
    400,
    'MISSING_FIELD',
    'password',
  ],
  [
    'a too short password',
    JSON.stringify({ username: 'p3@example.com', password: 'short' }),
    undefined,
    400,
    'PASSWORD_TOO_SHORT',
    'password',
  ],
  [
    'a password of the wrong type',
    JSON.stringify({ username: 'p4@example.com', password: ['x'] }),
    undefined,
    400,
    'INVALID_FIELD',
    'password',
  ],
  [
    'an unknown field',
    JSON.stringify({ username: 'p5@example.com', password: 'secretpass', admin: true }),
    undefined,
    400,
    'UNKNOWN_FIELD',
    'admin',
  ],
  [
    'a quota of the wrong type',
    JSON.stringify({ username: 'p6@example.com', password: 'secretpass', quota: '1GB' }),
    undefined,
    400,
    'INVALID_FIELD',
    'quota',
  ],
  [
    'a role that does not exist',
    JSON.stringify({ username: 'p7@example.com', password: 'secretpass', role: 'root' }),
    undefined,
    400,
    'INVALID_FIELD',
    'role',
  ],
  [
    'a body over the size limit',
    JSON.stringify({ username: 'p8@example.com', password: 'x'.repeat(70_000) }),
    undefined,
    413,
    'BODY_TOO_LARGE',
    undefined,
  ],
];

for (const [what, body, headers, status, code, field] of invalidRequests) {
  test(`${what} answers ${status} ${code} and writes nothing`, async () => {
    const usersBefore = await countUsers();
    const mailboxesBefore = await store.db.collection('mailboxes').countDocuments();
    const answer = await post(body, headers);
    assert.equal(answer.status, status);
    assert.equal(answer.body.success, false);
    assert.equal(answer.body.code, code);
    assert.equal(typeof answer.body.error, 'string');
    assert.equal(answer.body.field, field);
    if (field) assert.match(String(answer.body.error), new RegExp(field));
    assert.equal(await countUsers(), usersBefore);
    assert.equal(await store.db.collection('mailboxes').countDocuments(), mailboxesBefore);
  });
}

test('a username that exists answers 409 and changes nothing', async () => {
  await create({ username: 'taken@example.com', password: 'secretpass' });
  const before = await store.db.collection('users').findOne({ address: 'taken@example.com' });
  const { status, body } = await create({ username: 'TAKEN@example.com', password: 'otherpass1' });
  assert.equal(status, 409);
  assert.equal(body.code, 'USER_EXISTS');
  const afterwards = await store.db.collection('users').findOne({ address: 'taken@example.com' });
  assert.equal(afterwards?.passwordHash, before?.passwordHash);
  assert.equal(await store.db.collection('mailboxes').countDocuments({ user: before!._id }), 6);
});

test('20 concurrent creations of one username give exactly one success and 19 clear 409s', async () => {
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, index) =>
      create({ username: 'race@example.com', password: `password-${index}` }),
    ),
  );
  const statuses = answers.map((answer) => answer.status).sort();
  assert.deepEqual(statuses, [200, ...Array(19).fill(409)]);
  for (const answer of answers.filter((answer) => answer.status === 409)) {
    assert.equal(answer.body.code, 'USER_EXISTS');
    assert.match(String(answer.body.error), /race@example\.com already exists/);
  }
  assert.equal(await store.db.collection('users').countDocuments({ address: 'race@example.com' }), 1);
  const user = await store.db.collection('users').findOne({ address: 'race@example.com' });
  assert.equal(await store.db.collection('mailboxes').countDocuments({ user: user!._id }), 6);
});

test('unknown calls answer a JSON 404', async () => {
  const response = await fetch(`${base}/user/nothing`);
  assert.equal(response.status, 404);
  assert.deepEqual(await response.json(), {
    success: false,
    error: 'No such API call: GET /user/nothing',
    code: 'NOT_FOUND',
  });
});

test('every answer carries a request id, and a given one is kept', async () => {
  const response = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
  assert.equal(response.headers.get('x-request-id'), 'trace-123');
  const other = await fetch(`${base}/healthz`);
  assert.match(other.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
});
