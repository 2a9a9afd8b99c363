import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { GraphQLError } from 'graphql';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { startApi, PASSWORD, type ApiHarness } from './graphql-harness.js';
import { firstError, plainMessage, storeMessage } from './auth-support.js';
import type { Scope } from '../src/auth/scopes.js';
import { requireAdmin, requireUser, type Viewer } from '../src/graphql/viewer.js';
import { SIGN_IN_LIMITS } from '../src/services.js';

const API_TOKEN = 'graphql-auth-api-token';
let api: ApiHarness;

before(async () => {
  api = await startApi('gqlauth', { apiToken: API_TOKEN });
});
after(async () => {
  await api.close();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const SIGN_IN = `mutation ($u: String!, $p: String!) {
  signIn(username: $u, password: $p) { token expires user { id address role } }
}`;
const ME = '{ me { id address role name quota storageUsed disabled created messageCount } }';
const CREATE_TOKEN = `mutation ($name: String!, $scopes: [Scope!]!, $days: Int) {
  createAccessToken(name: $name, scopes: $scopes, expiresInDays: $days) {
    token accessToken { id name scopes created expires lastUsed }
  }
}`;
const LIST_TOKENS = '{ accessTokens { id name scopes created expires lastUsed } }';
const REVOKE = 'mutation ($id: ID!) { revokeAccessToken(id: $id) }';

async function newToken(session: string, scopes: Scope[], name = 'app', days: number | null = null) {
  const answer = await api.gql<{
    createAccessToken: { token: string; accessToken: { id: string; lastUsed: string | null } };
  }>(CREATE_TOKEN, { name, scopes, days }, session);
  assert.ok(answer.data?.createAccessToken, JSON.stringify(answer.errors));
  return answer.data.createAccessToken;
}

test('signIn answers a random session token with an expiry; only its SHA-256 is stored', async () => {
  const id = await api.createUser('Sign.In@Example.com'.toLowerCase());
  const answer = await api.gql<{
    signIn: { token: string; expires: string; user: { id: string; address: string; role: string } };
  }>(SIGN_IN, { u: 'Sign.In@Example.COM', p: PASSWORD });
  assert.equal(answer.errors, undefined);
  const session = answer.data!.signIn;
  assert.match(session.token, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(session.user, { id, address: 'sign.in@example.com', role: 'user' });
  const days = (new Date(session.expires).getTime() - Date.now()) / 86_400_000;
  assert.ok(days > 6.9 && days <= 7, `expires in ${days} days`);

  const stored = await api.store.db
    .collection('sessions')
    .find({ user: new ObjectId(id) })
    .toArray();
  assert.equal(stored.length, 1);
  assert.equal(stored[0]!.tokenHash, sha256(session.token));
  assert.ok(!JSON.stringify(stored).includes(session.token), 'the token itself is not stored');

  const again = await api.signIn('sign.in@example.com');
  assert.notEqual(again, session.token, 'every sign-in gets a new token');
});

test('a wrong password, an unknown address and a disabled account answer UNAUTHENTICATED alike', async () => {
  const id = await api.createUser('wrong@example.com');
  const wrong = firstError(await api.gql(SIGN_IN, { u: 'wrong@example.com', p: 'not the password' }));
  const unknown = firstError(await api.gql(SIGN_IN, { u: 'nobody@example.com', p: PASSWORD }));
  await api.store.db.collection('users').updateOne({ _id: new ObjectId(id) }, { $set: { disabled: true } });
  const disabled = firstError(await api.gql(SIGN_IN, { u: 'wrong@example.com', p: PASSWORD }));
  for (const error of [wrong, unknown, disabled]) {
    assert.equal(error.extensions.code, 'UNAUTHENTICATED');
    assert.equal(error.message, 'Wrong address or password');
    assert.equal(error.extensions.stacktrace, undefined);
  }
});

test('failed sign-ins are rate-limited per account: RATE_LIMITED even with the right password', async () => {
  await api.createUser('guessed@example.com');
  for (let attempt = 0; attempt < SIGN_IN_LIMITS.perUser.attempts; attempt++) {
    const error = firstError(await api.gql(SIGN_IN, { u: 'guessed@example.com', p: `guess ${attempt}` }));
    assert.equal(error.extensions.code, 'UNAUTHENTICATED');
  }
  const limited = firstError(await api.gql(SIGN_IN, { u: 'Guessed@example.com', p: PASSWORD }));
  assert.equal(limited.extensions.code, 'RATE_LIMITED');
  // other accounts from the same address still sign in
  await api.createUser('bystander@example.com');
  assert.ok(await api.signIn('bystander@example.com'));
});

test('failed sign-ins are rate-limited per client address across accounts', async () => {
  const saved = api.services.signInLimiters;
  api.services.signInLimiters = {
    user: new MemoryRateLimiter(SIGN_IN_LIMITS.perUser),
    address: new MemoryRateLimiter({ attempts: 3, windowSeconds: 300 }),
  };
  try {
    await api.createUser('sprayed@example.com');
    for (const victim of ['a@example.com', 'b@example.com', 'c@example.com']) {
      assert.equal(
        firstError(await api.gql(SIGN_IN, { u: victim, p: 'password1' })).extensions.code,
        'UNAUTHENTICATED',
      );
    }
    const limited = firstError(await api.gql(SIGN_IN, { u: 'sprayed@example.com', p: PASSWORD }));
    assert.equal(limited.extensions.code, 'RATE_LIMITED');
  } finally {
    api.services.signInLimiters = saved;
  }
});

test('me answers the signed-in user with its message count; no or a bad token is UNAUTHENTICATED', async () => {
  const id = await api.createUser('me@example.com', { quota: 1_000_000 });
  await storeMessage(api.services.store, id, plainMessage('one'));
  await storeMessage(api.services.store, id, plainMessage('two'), 'Archive');
  const token = await api.signIn('me@example.com');
  const answer = await api.gql<{ me: Record<string, unknown> }>(ME, {}, token);
  assert.equal(answer.errors, undefined);
  const me = answer.data!.me;
  assert.equal(me.id, id);
  assert.equal(me.address, 'me@example.com');
  assert.equal(me.role, 'user');
  assert.equal(me.name, null);
  assert.equal(me.quota, 1_000_000);
  assert.equal(me.disabled, false);
  assert.equal(me.messageCount, 2);
  assert.ok((me.storageUsed as number) > 0);
  assert.ok(!Number.isNaN(Date.parse(me.created as string)));

  for (const bad of [null, 'not-a-token', `${token}x`, 'wdpat_nothing']) {
    assert.equal(firstError(await api.gql(ME, {}, bad)).extensions.code, 'UNAUTHENTICATED');
  }
});

test('the API token is an administrator without a mailbox: me is FORBIDDEN', async () => {
  assert.equal(firstError(await api.gql(ME, {}, API_TOKEN)).extensions.code, 'FORBIDDEN');
});

test('signOut ends the session that made the request at once, and only that one', async () => {
  await api.createUser('leaving@example.com');
  const first = await api.signIn('leaving@example.com');
  const second = await api.signIn('leaving@example.com');
  const answer = await api.gql<{ signOut: boolean }>('mutation { signOut }', {}, first);
  assert.equal(answer.data?.signOut, true);
  assert.equal(firstError(await api.gql(ME, {}, first)).extensions.code, 'UNAUTHENTICATED');
  assert.equal(
    (await api.gql<{ me: { address: string } }>(ME, {}, second)).data?.me.address,
    'leaving@example.com',
  );
  assert.equal(
    firstError(await api.gql('mutation { signOut }', {}, first)).extensions.code,
    'UNAUTHENTICATED',
  );
  assert.equal(firstError(await api.gql('mutation { signOut }')).extensions.code, 'UNAUTHENTICATED');
  assert.equal(firstError(await api.gql('mutation { signOut }', {}, API_TOKEN)).extensions.code, 'FORBIDDEN');
});

test('an expired session is refused', async () => {
  const id = await api.createUser('expired@example.com');
  const token = await api.signIn('expired@example.com');
  await api.store.db
    .collection('sessions')
    .updateOne({ user: new ObjectId(id) }, { $set: { expires: new Date(Date.now() - 1000) } });
  assert.equal(firstError(await api.gql(ME, {}, token)).extensions.code, 'UNAUTHENTICATED');
});

test('a session token works over graphql-ws too; a bad one is UNAUTHENTICATED there', async () => {
  await api.createUser('socket@example.com');
  const token = await api.signIn('socket@example.com');
  const ask = async (client: ReturnType<ApiHarness['wsClient']>) => {
    const results: { data?: unknown; errors?: readonly { extensions?: Record<string, unknown> }[] }[] = [];
    for await (const result of client.iterate({ query: '{ me { address } }' })) results.push(result);
    return results[0]!;
  };
  assert.deepEqual((await ask(api.wsClient(token))).data, { me: { address: 'socket@example.com' } });
  const refused = await ask(api.wsClient('nonsense'));
  assert.equal(refused.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
});

test('createAccessToken shows a wdpat_ secret once; accessTokens lists them without secrets', async () => {
  const id = await api.createUser('tokens@example.com');
  const session = await api.signIn('tokens@example.com');
  const created = await newToken(session, ['read', 'subscribe'], 'Mail app', 30);
  assert.match(created.token, /^wdpat_[A-Za-z0-9_-]{43}$/);
  const stored = await api.store.db.collection('accessTokens').findOne({ user: new ObjectId(id) });
  assert.equal(stored?.tokenHash, sha256(created.token));
  assert.ok(!JSON.stringify(stored).includes(created.token));

  const listed = await api.gql<{ accessTokens: Record<string, unknown>[] }>(LIST_TOKENS, {}, session);
  assert.equal(listed.data?.accessTokens.length, 1);
  const [entry] = listed.data!.accessTokens;
  assert.equal(entry!.id, created.accessToken.id);
  assert.equal(entry!.name, 'Mail app');
  assert.deepEqual(entry!.scopes, ['read', 'subscribe']);
  const days = (Date.parse(entry!.expires as string) - Date.parse(entry!.created as string)) / 86_400_000;
  assert.equal(Math.round(days), 30);
  assert.ok(!JSON.stringify(listed).includes(created.token.slice(6)), 'no secret in the list');

  const forever = await newToken(session, ['read'], 'CLI', null);
  const again = await api.gql<{ accessTokens: { id: string; expires: string | null }[] }>(
    LIST_TOKENS,
    {},
    session,
  );
  assert.equal(again.data?.accessTokens.find((token) => token.id === forever.accessToken.id)?.expires, null);
});

test('createAccessToken checks its input: BAD_USER_INPUT naming the field', async () => {
  await api.createUser('input@example.com');
  const session = await api.signIn('input@example.com');
  const cases: [Record<string, unknown>, string][] = [
    [{ name: '  ', scopes: ['read'] }, 'name'],
    [{ name: 'x'.repeat(101), scopes: ['read'] }, 'name'],
    [{ name: 'app', scopes: [] }, 'scopes'],
    [{ name: 'app', scopes: ['read'], days: 0 }, 'expiresInDays'],
    [{ name: 'app', scopes: ['read'], days: 5000 }, 'expiresInDays'],
  ];
  for (const [variables, field] of cases) {
    const error = firstError(await api.gql(CREATE_TOKEN, variables, session));
    assert.equal(error.extensions.code, 'BAD_USER_INPUT', JSON.stringify(variables));
    assert.equal(error.extensions.field, field);
  }
  assert.equal(
    firstError(await api.gql(CREATE_TOKEN, { name: 'app', scopes: ['read'] })).extensions.code,
    'UNAUTHENTICATED',
  );
});

test('a token works for what its scopes allow and is FORBIDDEN the rest', async () => {
  await api.createUser('scoped@example.com');
  const session = await api.signIn('scoped@example.com');
  const readOnly = await newToken(session, ['read']);
  const full = await newToken(session, ['read', 'write', 'send', 'subscribe']);
  const subscribeOnly = await newToken(session, ['subscribe']);

  assert.equal(
    (await api.gql<{ me: { address: string } }>(ME, {}, readOnly.token)).data?.me.address,
    'scoped@example.com',
  );
  assert.equal(
    (await api.gql<{ accessTokens: unknown[] }>(LIST_TOKENS, {}, readOnly.token)).data?.accessTokens.length,
    3,
  );
  // write: revoking; and no personal token may mint more tokens, whatever its scopes
  const revoke = firstError(await api.gql(REVOKE, { id: full.accessToken.id }, readOnly.token));
  assert.equal(revoke.extensions.code, 'FORBIDDEN');
  assert.match(revoke.message, /write/);
  for (const token of [readOnly.token, full.token]) {
    assert.equal(
      firstError(await api.gql(CREATE_TOKEN, { name: 'more', scopes: ['read'] }, token)).extensions.code,
      'FORBIDDEN',
    );
  }
  assert.equal(firstError(await api.gql(ME, {}, subscribeOnly.token)).extensions.code, 'FORBIDDEN');
  // personal tokens never sign out a session
  assert.equal(
    firstError(await api.gql('mutation { signOut }', {}, full.token)).extensions.code,
    'FORBIDDEN',
  );
  // a token with write may revoke its own user's tokens
  assert.equal(
    (await api.gql<{ revokeAccessToken: boolean }>(REVOKE, { id: readOnly.accessToken.id }, full.token)).data
      ?.revokeAccessToken,
    true,
  );
  assert.equal(firstError(await api.gql(ME, {}, readOnly.token)).extensions.code, 'UNAUTHENTICATED');
});

test('requireUser refuses a read-only token every write, send and subscribe operation', () => {
  const viewer: Viewer = {
    kind: 'user',
    userId: new ObjectId(),
    address: 'guard@example.com',
    role: 'admin',
    scopes: new Set<Scope>(['read']),
    credentialId: new ObjectId(),
    credential: 'token',
  };
  assert.equal(requireUser(viewer, 'read'), viewer);
  for (const scope of ['write', 'send', 'subscribe'] as const) {
    assert.throws(
      () => requireUser(viewer, scope),
      (error: unknown) => error instanceof GraphQLError && error.extensions.code === 'FORBIDDEN',
    );
  }
  const codeOf = (work: () => unknown) => {
    try {
      work();
      return 'ok';
    } catch (error) {
      return (error as GraphQLError).extensions.code;
    }
  };
  assert.equal(
    codeOf(() => requireUser(null, 'read')),
    'UNAUTHENTICATED',
  );
  assert.equal(
    codeOf(() => requireUser({ kind: 'server' }, 'read')),
    'FORBIDDEN',
  );
  // an admin's personal token is no admin credential; the admin's session and the API token are
  assert.equal(
    codeOf(() => requireAdmin(viewer)),
    'FORBIDDEN',
  );
  assert.equal(
    codeOf(() => requireAdmin({ ...viewer, credential: 'session' })),
    'ok',
  );
  assert.equal(
    codeOf(() => requireAdmin({ ...viewer, credential: 'session', role: 'user' })),
    'FORBIDDEN',
  );
  assert.equal(
    codeOf(() => requireAdmin({ kind: 'server' })),
    'ok',
  );
  assert.equal(
    codeOf(() => requireAdmin(null)),
    'UNAUTHENTICATED',
  );
});

test("a token of user A can never read or revoke user B's tokens", async () => {
  await api.createUser('alice@example.com');
  await api.createUser('bob@example.com');
  const alice = await api.signIn('alice@example.com');
  const bob = await api.signIn('bob@example.com');
  const aliceToken = await newToken(alice, ['read', 'write'], 'alice app');
  const bobToken = await newToken(bob, ['read', 'write'], 'bob app');

  for (const credential of [alice, aliceToken.token]) {
    const listed = await api.gql<{ accessTokens: { id: string; name: string }[] }>(
      LIST_TOKENS,
      {},
      credential,
    );
    assert.deepEqual(
      listed.data?.accessTokens.map((token) => token.name),
      ['alice app'],
    );
    const refused = firstError(await api.gql(REVOKE, { id: bobToken.accessToken.id }, credential));
    assert.equal(refused.extensions.code, 'NOT_FOUND');
  }
  assert.equal(firstError(await api.gql(REVOKE, { id: 'not-an-id' }, alice)).extensions.code, 'NOT_FOUND');
  // Bob's token still works and is still listed
  const bobMe = await api.gql<{ me: { address: string } }>(ME, {}, bobToken.token);
  assert.equal(bobMe.data?.me.address, 'bob@example.com');
  const bobList = await api.gql<{ accessTokens: { id: string }[] }>(LIST_TOKENS, {}, bob);
  assert.deepEqual(
    bobList.data?.accessTokens.map((token) => token.id),
    [bobToken.accessToken.id],
  );
});

test('revokeAccessToken stops the token at once; revoking twice is NOT_FOUND', async () => {
  await api.createUser('revoker@example.com');
  const session = await api.signIn('revoker@example.com');
  const token = await newToken(session, ['read']);
  assert.ok((await api.gql(ME, {}, token.token)).data);
  const answer = await api.gql<{ revokeAccessToken: boolean }>(REVOKE, { id: token.accessToken.id }, session);
  assert.equal(answer.data?.revokeAccessToken, true);
  assert.equal(firstError(await api.gql(ME, {}, token.token)).extensions.code, 'UNAUTHENTICATED');
  assert.equal(
    firstError(await api.gql(REVOKE, { id: token.accessToken.id }, session)).extensions.code,
    'NOT_FOUND',
  );
});

test('an expired access token is refused; lastUsed is written at most once a minute', async () => {
  const id = await api.createUser('lastused@example.com');
  const session = await api.signIn('lastused@example.com');
  const token = await newToken(session, ['read'], 'app', 1);
  assert.equal(token.accessToken.lastUsed, null);
  await api.gql(ME, {}, token.token);
  const tokens = api.store.db.collection('accessTokens');
  const firstUse = (await tokens.findOne({ user: new ObjectId(id) }))?.lastUsed as Date;
  assert.ok(firstUse instanceof Date && Date.now() - firstUse.getTime() < 10_000);
  await api.gql(ME, {}, token.token);
  assert.equal(
    ((await tokens.findOne({ user: new ObjectId(id) }))?.lastUsed as Date).getTime(),
    firstUse.getTime(),
  );
  // a use more than a minute after the last note writes a new one
  await tokens.updateOne({ user: new ObjectId(id) }, { $set: { lastUsed: new Date(Date.now() - 120_000) } });
  await api.gql(ME, {}, token.token);
  assert.ok(
    Date.now() - ((await tokens.findOne({ user: new ObjectId(id) }))?.lastUsed as Date).getTime() < 10_000,
  );

  await tokens.updateOne({ user: new ObjectId(id) }, { $set: { expires: new Date(Date.now() - 1000) } });
  assert.equal(firstError(await api.gql(ME, {}, token.token)).extensions.code, 'UNAUTHENTICATED');
});

test("a disabled user's sessions and tokens stop working", async () => {
  const id = await api.createUser('stopped@example.com');
  const session = await api.signIn('stopped@example.com');
  const token = await newToken(session, ['read']);
  await api.store.db.collection('users').updateOne({ _id: new ObjectId(id) }, { $set: { disabled: true } });
  for (const credential of [session, token.token]) {
    assert.equal(firstError(await api.gql(ME, {}, credential)).extensions.code, 'UNAUTHENTICATED');
  }
});
