import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import { buildSchema as buildTestSchema, parse, specifiedRules, validate } from 'graphql';
import { listParts } from '@wildduck/store';
import { startApi, PASSWORD, type ApiHarness } from './graphql-harness.js';
import {
  bigAttachment,
  firstError,
  messageWithAttachment,
  plainMessage,
  storeMessage,
} from './auth-support.js';
import { costErrors, depthLimit, MAX_DEPTH } from '../src/graphql/limits.js';

const API_TOKEN = 'graphql-admin-api-token';
let api: ApiHarness;
let admin: string;
let adminId: string;

before(async () => {
  api = await startApi('gqladmin', { apiToken: API_TOKEN });
  adminId = await api.createUser('root@example.com', { role: 'admin' });
  admin = await api.signIn('root@example.com');
});
after(async () => {
  await api.close();
});

const USER_FIELDS = 'id address name role quota storageUsed disabled created messageCount';
const USERS = `query ($search: String, $first: Int, $after: String, $orderBy: UserOrder) {
  users(search: $search, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { ${USER_FIELDS} } }
  }
}`;
const USER = `query ($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`;
const STATS = '{ stats { users messages storage deliveries { minute count } } }';
const CREATE = `mutation ($input: CreateUserInput!) { createUser(input: $input) { ${USER_FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ${USER_FIELDS} } }`;
const DELETE = 'mutation ($id: ID!) { deleteUser(id: $id) }';
const ME = '{ me { address } }';

interface UserNode {
  id: string;
  address: string;
  name: string | null;
  role: string;
  quota: number | null;
  storageUsed: number;
  disabled: boolean;
  messageCount: number;
}
interface UsersAnswer {
  users: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: UserNode }[];
  };
}

test('a normal user gets FORBIDDEN on every admin field; no token gets UNAUTHENTICATED', async () => {
  const id = await api.createUser('plain@example.com');
  const token = await api.signIn('plain@example.com');
  const calls: [string, Record<string, unknown>][] = [
    [USERS, {}],
    [USER, { id }],
    [STATS, {}],
    [CREATE, { input: { address: 'x@example.com', password: PASSWORD } }],
    [UPDATE, { id, input: { role: 'admin' } }],
    [DELETE, { id }],
  ];
  for (const [query, variables] of calls) {
    const refused = firstError(await api.gql(query, variables, token));
    assert.equal(refused.extensions.code, 'FORBIDDEN', query);
    assert.equal(firstError(await api.gql(query, variables)).extensions.code, 'UNAUTHENTICATED', query);
  }
  // nothing changed
  const user = await api.store.db.collection('users').findOne({ _id: new ObjectId(id) });
  assert.equal(user?.role, 'user');
  assert.equal(await api.store.db.collection('users').countDocuments({ address: 'x@example.com' }), 0);
});

test("an admin's session and the API token may make admin calls; an admin's personal token may not", async () => {
  for (const credential of [admin, API_TOKEN]) {
    const answer = await api.gql<{ stats: { users: number } }>(STATS, {}, credential);
    assert.equal(answer.errors, undefined);
    assert.ok(answer.data!.stats.users >= 1);
  }
  const created = await api.gql<{ createAccessToken: { token: string } }>(
    'mutation { createAccessToken(name: "console", scopes: [read, write, send, subscribe]) { token } }',
    {},
    admin,
  );
  const pat = created.data!.createAccessToken.token;
  const refused = firstError(await api.gql(STATS, {}, pat));
  assert.equal(refused.extensions.code, 'FORBIDDEN');
  assert.match(refused.message, /Personal access tokens/);
});

test('createUser makes an account with its mailboxes that can sign in', async () => {
  const answer = await api.gql<{ createUser: UserNode }>(
    CREATE,
    {
      input: { address: ' New.User@Example.com ', password: 'longenough', name: 'New User', quota: 5000000 },
    },
    admin,
  );
  assert.equal(answer.errors, undefined);
  const user = answer.data!.createUser;
  assert.equal(user.address, 'new.user@example.com');
  assert.equal(user.name, 'New User');
  assert.equal(user.role, 'user');
  assert.equal(user.quota, 5_000_000);
  assert.equal(user.storageUsed, 0);
  assert.equal(user.messageCount, 0);
  assert.equal(user.disabled, false);
  const boxes = await api.store.db.collection('mailboxes').countDocuments({ user: new ObjectId(user.id) });
  assert.equal(boxes, 6);
  assert.ok(await api.signIn('new.user@example.com', 'longenough'));

  const viaToken = await api.gql<{ createUser: UserNode }>(
    CREATE,
    { input: { address: 'second-admin@example.com', password: PASSWORD, role: 'admin', quota: null } },
    API_TOKEN,
  );
  assert.equal(viaToken.data?.createUser.role, 'admin');
  assert.equal(viaToken.data?.createUser.quota, null);
});

test('createUser refuses bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
  await api.createUser('taken@example.com');
  const before = await api.store.db.collection('users').countDocuments();
  const cases: [Record<string, unknown>, string][] = [
    [{ address: 'not an address', password: PASSWORD }, 'address'],
    [{ address: 'short@example.com', password: 'seven77' }, 'password'],
    [{ address: 'huge@example.com', password: 'p'.repeat(1025) }, 'password'],
    [{ address: 'quota@example.com', password: PASSWORD, quota: -1 }, 'quota'],
    [{ address: 'quota@example.com', password: PASSWORD, quota: 1.5 }, 'quota'],
    [{ address: 'named@example.com', password: PASSWORD, name: 'n'.repeat(257) }, 'name'],
    [{ address: 'TAKEN@example.com', password: PASSWORD }, 'address'],
  ];
  for (const [input, field] of cases) {
    const error = firstError(await api.gql(CREATE, { input }, admin));
    assert.equal(error.extensions.code, 'BAD_USER_INPUT', JSON.stringify(input));
    assert.equal(error.extensions.field, field, JSON.stringify(input));
  }
  assert.equal(await api.store.db.collection('users').countDocuments(), before);
});

test('users pages through accounts with a cursor and a total, filtered by search', async () => {
  for (let index = 1; index <= 7; index++) await api.createUser(`page${index}@paging.example`);
  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const answer: { data?: UsersAnswer | null; errors?: unknown } = await api.gql<UsersAnswer>(
      USERS,
      { search: 'PAGING.example', first: 3, after },
      admin,
    );
    assert.equal(answer.errors, undefined);
    const page: UsersAnswer['users'] = answer.data!.users;
    assert.equal(page.totalCount, 7);
    seen.push(...page.edges.map((edge) => edge.node.address));
    assert.equal(page.pageInfo.endCursor, page.edges.at(-1)?.cursor ?? null);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  assert.deepEqual(
    seen,
    [1, 2, 3, 4, 5, 6, 7].map((index) => `page${index}@paging.example`),
  );

  const descending = await api.gql<UsersAnswer>(
    USERS,
    { search: 'paging', first: 2, orderBy: { field: 'address', descending: true } },
    admin,
  );
  assert.deepEqual(
    descending.data!.users.edges.map((edge) => edge.node.address),
    ['page7@paging.example', 'page6@paging.example'],
  );
  const next = await api.gql<UsersAnswer>(
    USERS,
    {
      search: 'paging',
      first: 2,
      after: descending.data!.users.pageInfo.endCursor,
      orderBy: { field: 'address', descending: true },
    },
    admin,
  );
  assert.deepEqual(
    next.data!.users.edges.map((edge) => edge.node.address),
    ['page5@paging.example', 'page4@paging.example'],
  );
  // regex characters in the search are literal
  const literal = await api.gql<UsersAnswer>(USERS, { search: 'page.*' }, admin);
  assert.equal(literal.data?.users.totalCount, 0);
});

test('users lists storage used and message counts, and orders by them', async () => {
  const heavy = await api.createUser('heavy@storage.example');
  const light = await api.createUser('light@storage.example');
  await api.createUser('empty@storage.example');
  await storeMessage(api.services.store, heavy, messageWithAttachment('big', bigAttachment()));
  await storeMessage(api.services.store, heavy, plainMessage('small'));
  await storeMessage(api.services.store, light, plainMessage('small'));

  const answer = await api.gql<UsersAnswer>(
    USERS,
    { search: '@storage.example', orderBy: { field: 'storageUsed', descending: true } },
    admin,
  );
  const nodes = answer.data!.users.edges.map((edge) => edge.node);
  assert.deepEqual(
    nodes.map((node) => [node.address, node.messageCount]),
    [
      ['heavy@storage.example', 2],
      ['light@storage.example', 1],
      ['empty@storage.example', 0],
    ],
  );
  assert.ok(nodes[0]!.storageUsed > 200 * 1024);
  assert.ok(nodes[1]!.storageUsed > 0 && nodes[1]!.storageUsed < 1000);
  assert.equal(nodes[2]!.storageUsed, 0);

  // paging by storage keeps the order across pages
  const firstPage = await api.gql<UsersAnswer>(
    USERS,
    { search: '@storage.example', first: 1, orderBy: { field: 'storageUsed' } },
    admin,
  );
  const secondPage = await api.gql<UsersAnswer>(
    USERS,
    {
      search: '@storage.example',
      first: 2,
      after: firstPage.data!.users.pageInfo.endCursor,
      orderBy: { field: 'storageUsed' },
    },
    admin,
  );
  assert.deepEqual(
    [...firstPage.data!.users.edges, ...secondPage.data!.users.edges].map((edge) => edge.node.address),
    ['empty@storage.example', 'light@storage.example', 'heavy@storage.example'],
  );
  const byCreated = await api.gql<UsersAnswer>(
    USERS,
    { search: '@storage.example', orderBy: { field: 'created', descending: true } },
    admin,
  );
  assert.equal(byCreated.data!.users.edges[0]!.node.address, 'empty@storage.example');
});

test('users refuses a bad cursor and pages larger than 200: BAD_USER_INPUT naming the argument', async () => {
  const cursor = firstError(await api.gql(USERS, { after: 'bm9uc2Vuc2U' }, admin));
  assert.equal(cursor.extensions.code, 'BAD_USER_INPUT');
  assert.equal(cursor.extensions.field, 'after');
  // a cursor of another order is refused too
  const page = await api.gql<UsersAnswer>(USERS, { first: 1 }, admin);
  const other = firstError(
    await api.gql(
      USERS,
      { after: page.data!.users.pageInfo.endCursor, orderBy: { field: 'created' } },
      admin,
    ),
  );
  assert.equal(other.extensions.field, 'after');
  for (const first of [201, -1]) {
    const error = firstError(await api.gql(USERS, { first }, admin));
    assert.equal(error.extensions.code, 'BAD_USER_INPUT');
    assert.equal(error.extensions.field, 'first');
  }
  const literal = firstError(await api.gql('{ users(first: 1000) { totalCount } }', {}, admin));
  assert.equal(literal.extensions.code, 'BAD_USER_INPUT');
  assert.equal(literal.extensions.stacktrace, undefined);
});

test('user answers one account, or null', async () => {
  const id = await api.createUser('one@example.com', { quota: 1234 });
  const answer = await api.gql<{ user: UserNode | null }>(USER, { id }, API_TOKEN);
  assert.equal(answer.data?.user?.address, 'one@example.com');
  assert.equal(answer.data?.user?.quota, 1234);
  for (const missing of [new ObjectId().toHexString(), 'bogus']) {
    const none = await api.gql<{ user: UserNode | null }>(USER, { id: missing }, admin);
    assert.equal(none.errors, undefined);
    assert.equal(none.data?.user, null);
  }
});

test('updateUser changes quota, name and role; unknown ids are NOT_FOUND, bad input BAD_USER_INPUT', async () => {
  const id = await api.createUser('change@example.com');
  const answer = await api.gql<{ updateUser: UserNode }>(
    UPDATE,
    { id, input: { quota: 10_000_000_000, name: 'Changed', role: 'admin' } },
    admin,
  );
  assert.equal(answer.errors, undefined);
  assert.equal(answer.data!.updateUser.quota, 10_000_000_000);
  assert.equal(answer.data!.updateUser.name, 'Changed');
  assert.equal(answer.data!.updateUser.role, 'admin');
  const unlimited = await api.gql<{ updateUser: UserNode }>(
    UPDATE,
    { id, input: { quota: null, name: null } },
    admin,
  );
  assert.equal(unlimited.data!.updateUser.quota, null);
  assert.equal(unlimited.data!.updateUser.name, null);
  assert.equal(unlimited.data!.updateUser.role, 'admin', 'absent fields stay as they were');
  const stored = await api.store.db.collection('users').findOne({ _id: new ObjectId(id) });
  assert.equal(stored?.quota, null);

  for (const missing of [new ObjectId().toHexString(), 'bogus']) {
    const error = firstError(await api.gql(UPDATE, { id: missing, input: { quota: 1 } }, admin));
    assert.equal(error.extensions.code, 'NOT_FOUND');
  }
  const cases: [Record<string, unknown>, string][] = [
    [{ password: 'short' }, 'password'],
    [{ password: null }, 'password'],
    [{ quota: -5 }, 'quota'],
    [{ role: null }, 'role'],
    [{ disabled: null }, 'disabled'],
  ];
  for (const [input, field] of cases) {
    const error = firstError(await api.gql(UPDATE, { id, input }, admin));
    assert.equal(error.extensions.code, 'BAD_USER_INPUT', JSON.stringify(input));
    assert.equal(error.extensions.field, field);
  }
});

test('updateUser with a new password re-hashes it and ends every session of the user', async () => {
  const id = await api.createUser('rotate@example.com');
  const sessions = [await api.signIn('rotate@example.com'), await api.signIn('rotate@example.com')];
  const answer = await api.gql(UPDATE, { id, input: { password: 'brand new password' } }, admin);
  assert.equal(answer.errors, undefined);
  for (const session of sessions) {
    assert.equal(firstError(await api.gql(ME, {}, session)).extensions.code, 'UNAUTHENTICATED');
  }
  const stored = await api.store.db.collection('users').findOne({ _id: new ObjectId(id) });
  assert.match(String(stored?.passwordHash), /^\$argon2id\$/);
  assert.ok(!String(stored?.passwordHash).includes('brand new password'));
  assert.equal(
    firstError(
      await api.gql('mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { token } }', {
        u: 'rotate@example.com',
        p: PASSWORD,
      }),
    ).extensions.code,
    'UNAUTHENTICATED',
  );
  assert.ok(await api.signIn('rotate@example.com', 'brand new password'));
});

test('updateUser disabled ends the sessions and refuses sign-in; enabling lets the user back in', async () => {
  const id = await api.createUser('paused@example.com');
  const session = await api.signIn('paused@example.com');
  const answer = await api.gql<{ updateUser: UserNode }>(UPDATE, { id, input: { disabled: true } }, admin);
  assert.equal(answer.data?.updateUser.disabled, true);
  assert.equal(firstError(await api.gql(ME, {}, session)).extensions.code, 'UNAUTHENTICATED');
  assert.equal(await api.store.db.collection('sessions').countDocuments({ user: new ObjectId(id) }), 0);
  await assert.rejects(api.signIn('paused@example.com'));
  await api.gql(UPDATE, { id, input: { disabled: false } }, API_TOKEN);
  assert.ok(await api.signIn('paused@example.com'));
});

test('stats counts users, messages, storage and the messages stored per minute in the last hour', async () => {
  const id = await api.createUser('stats@example.com');
  const before = await api.gql<{
    stats: {
      users: number;
      messages: number;
      storage: number;
      deliveries: { minute: string; count: number }[];
    };
  }>(STATS, {}, admin);
  await storeMessage(api.services.store, id, plainMessage('counted 1'));
  await storeMessage(api.services.store, id, plainMessage('counted 2'));
  const answer = await api.gql<typeof before.data & object>(STATS, {}, admin);
  const stats = answer.data!.stats;
  assert.equal(stats.users, await api.store.db.collection('users').countDocuments());
  assert.equal(stats.messages, await api.store.db.collection('messages').countDocuments());
  assert.equal(stats.messages, before.data!.stats.messages + 2);
  const users = await api.store.db.collection('users').find().toArray();
  assert.equal(
    stats.storage,
    users.reduce((sum, user) => sum + Number(user.storageUsed), 0),
  );
  assert.ok(stats.storage > before.data!.stats.storage);
  assert.equal(stats.deliveries.length, 60);
  const minutes = stats.deliveries.map((entry) => Date.parse(entry.minute));
  for (let index = 1; index < 60; index++) assert.equal(minutes[index]! - minutes[index - 1]!, 60_000);
  assert.ok(Date.now() - minutes[59]! < 60_000 + 5_000);
  const total = stats.deliveries.reduce((sum, entry) => sum + entry.count, 0);
  assert.equal(total - before.data!.stats.deliveries.reduce((sum, entry) => sum + entry.count, 0), 2);
});

test('deleteUser removes every message, mailbox, journal entry, session and token, and releases its parts', async () => {
  const doomed = await api.createUser('doomed@example.com');
  const keeper = await api.createUser('keeper@example.com');
  const shared = bigAttachment();
  // the same attachment for both users: one GridFS part with two references
  await storeMessage(api.services.store, doomed, messageWithAttachment('shared', shared));
  await storeMessage(api.services.store, keeper, messageWithAttachment('shared', shared));
  // one part only the doomed user refers to, twice (a copy in another mailbox)
  const own = bigAttachment();
  await storeMessage(api.services.store, doomed, messageWithAttachment('own', own));
  await storeMessage(api.services.store, doomed, messageWithAttachment('own again', own), 'Archive');
  await storeMessage(api.services.store, doomed, plainMessage('small'));
  const session = await api.signIn('doomed@example.com');
  await api.gql('mutation { createAccessToken(name: "x", scopes: [read]) { token } }', {}, session);

  const db = api.store.db;
  const refsOf = async (owner: string) =>
    (
      await db
        .collection('messages')
        .find({ user: new ObjectId(owner) })
        .toArray()
    ).flatMap((message) => message.parts as string[]);
  const ours = new Set([...(await refsOf(doomed)), ...(await refsOf(keeper))]);
  const partsBefore = (await listParts(db)).filter((part) => ours.has(part.ref));
  const keeperBefore = await db.collection('users').findOne({ _id: new ObjectId(keeper) });
  assert.equal(partsBefore.length, 2);
  assert.deepEqual(partsBefore.map((part) => part.refs).sort(), [2, 2]);

  const answer = await api.gql<{ deleteUser: boolean }>(DELETE, { id: doomed }, admin);
  assert.equal(answer.errors, undefined);
  assert.equal(answer.data?.deleteUser, true);

  const user = new ObjectId(doomed);
  for (const collection of ['users', 'mailboxes', 'messages', 'journal', 'sessions', 'accessTokens']) {
    const filter = collection === 'users' ? { _id: user } : { user };
    assert.equal(await db.collection(collection).countDocuments(filter), 0, `${collection} left`);
  }
  const partsAfter = (await listParts(db)).filter((part) => ours.has(part.ref));
  assert.equal(partsAfter.length, 1, 'the part only the deleted user had is gone');
  assert.equal(partsAfter[0]!.refs, 1, "the shared part keeps the other user's reference");
  const keeperMessages = await db
    .collection('messages')
    .find({ user: new ObjectId(keeper) })
    .toArray();
  assert.deepEqual(
    keeperMessages.flatMap((message) => message.parts),
    [partsAfter[0]!.ref],
  );
  // no chunk without its file is left behind
  const fileIds = new Set(
    (await db.collection('parts.files').find().toArray()).map((file) => String(file._id)),
  );
  for (const id of await db.collection('parts.chunks').distinct('files_id')) {
    assert.ok(fileIds.has(String(id)), 'no orphan chunks');
  }
  const keeperAfter = await db.collection('users').findOne({ _id: new ObjectId(keeper) });
  assert.equal(Number(keeperAfter?.storageUsed), Number(keeperBefore?.storageUsed));
  assert.equal(firstError(await api.gql(ME, {}, session)).extensions.code, 'UNAUTHENTICATED');

  assert.equal(firstError(await api.gql(DELETE, { id: doomed }, admin)).extensions.code, 'NOT_FOUND');
  assert.equal(firstError(await api.gql(DELETE, { id: 'bogus' }, API_TOKEN)).extensions.code, 'NOT_FOUND');
});

test('a query nested too deep is refused with a clear error, before anything runs', async () => {
  let deep = 'id';
  for (let level = 0; level < MAX_DEPTH + 1; level++) deep = `f${level} { ${deep} }`;
  const error = firstError(await api.gql(`{ me { ${deep} } }`, {}, admin));
  assert.equal(error.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(error.message, /nested \d+ fields deep; the limit is 12/);
  assert.equal(error.extensions.stacktrace, undefined);

  // over graphql-ws the same
  const client = api.wsClient(admin);
  const results: { errors?: readonly { message: string }[] }[] = [];
  try {
    for await (const result of client.iterate({ query: `{ me { ${deep} } }` })) results.push(result);
  } catch (errors) {
    results.push({ errors: errors as { message: string }[] });
  }
  assert.ok(
    results.some((result) => result.errors?.some((e) => /the limit is 12/.test(e.message))),
    JSON.stringify(results),
  );
});

test('depthLimit counts fields through fragments and lets a query at the limit through', () => {
  const schema = buildTestSchema('type Node { name: String child: Node } type Query { root: Node }');
  const nested = (levels: number) => {
    let body = 'name';
    for (let level = 1; level < levels; level++) body = `child { ${body} }`;
    return `{ root { ${body} } }`;
  };
  const rules = [...specifiedRules, depthLimit(12)];
  assert.deepEqual(validate(schema, parse(nested(11)), rules), []);
  const tooDeep = validate(schema, parse(nested(12)), rules);
  assert.equal(tooDeep.length, 1);
  assert.match(tooDeep[0]!.message, /nested 13 fields deep/);
  const viaFragments = parse(
    `{ root { ...A } } fragment A on Node { child { child { child { ...B } } } }
     fragment B on Node { child { child { child { child { child { child { child { child { name } } } } } } } } }`,
  );
  assert.equal(validate(schema, viaFragments, rules).length, 1);
  // introspection is not counted
  const introspection = parse(`{ __schema { types { fields { type { ofType { ofType { ofType { ofType {
    ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } } }`);
  assert.deepEqual(validate(schema, introspection, rules), []);
});

test('a query that could answer more than 10,000 nodes is refused, over HTTP and graphql-ws', async () => {
  const page = 'users(first: 200) { edges { node { id address name role quota storageUsed created } } }';
  const query = `{ a: ${page} b: ${page} c: ${page} d: ${page} e: ${page} f: ${page} g: ${page} h: ${page} }`;
  const error = firstError(await api.gql(query, {}, admin));
  assert.equal(error.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(error.message, /more than 10000 items/);

  // the variables count: first: $n is checked with the value sent
  const variable = firstError(
    await api.gql('query ($n: Int) { users(first: $n) { totalCount } }', { n: 500 }, admin),
  );
  assert.equal(variable.extensions.code, 'BAD_USER_INPUT');
  assert.equal(variable.extensions.field, 'first');

  const client = api.wsClient(admin);
  const results: { errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[] = [];
  try {
    for await (const result of client.iterate({ query })) results.push(result);
  } catch (errors) {
    results.push({ errors: errors as { message: string }[] });
  }
  assert.ok(
    results.some((result) => result.errors?.some((e) => /more than 10000 items/.test(e.message))),
    JSON.stringify(results),
  );

  // a modest page passes
  const fine = await api.gql('{ users(first: 200) { edges { node { id } } } }', {}, admin);
  assert.equal(fine.errors, undefined);
});

test('costErrors multiplies nested pages and reads defaults, literals and variables', () => {
  const schema = buildTestSchema(
    'type Item { id: ID children(first: Int = 10): [Item] } type Query { items(first: Int = 50): [Item] }',
  );
  const cost = (query: string, variables: Record<string, unknown> = {}) =>
    costErrors(schema, parse(query), null, variables, { maxNodes: 1000 });
  // 1 + 50 items x (id + children 1 + 10 x id) = 1 + 50 * 12 = 601
  assert.deepEqual(cost('{ items { id children { id } } }'), []);
  // 1 + 50 x (1 + 1 + 20) = 1101
  assert.match(cost('{ items { id children(first: 20) { id } } }')[0]!.message, /more than 1000/);
  assert.deepEqual(
    cost('query ($n: Int) { items(first: $n) { id children(first: 20) { id } } }', { n: 10 }),
    [],
  );
  const [tooLarge] = cost('{ items(first: 201) { id } }');
  assert.equal(tooLarge!.extensions.code, 'BAD_USER_INPUT');
  assert.equal(tooLarge!.extensions.field, 'first');
});

test('the admin who signed in is listed like everyone else', async () => {
  const answer = await api.gql<{ user: UserNode }>(USER, { id: adminId }, admin);
  assert.equal(answer.data?.user.role, 'admin');
});
