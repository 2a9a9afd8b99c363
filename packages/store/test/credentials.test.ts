import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  countUserAccessTokens,
  countUserMessages,
  deleteSession,
  deleteUserAccessToken,
  findAccessTokenByHash,
  findLiveSession,
  findUserStanding,
  insertAccessToken,
  insertSession,
  listUserAccessTokens,
  noteAccessTokenUse,
  storeContext,
  appendMessage,
  StoreError,
  type AccessTokenDocument,
  type SessionDocument,
} from '@wildduck/store';
import { openStore, newUser, simpleMessage, streamOf } from './support.js';

let store: TestDatabase;
before(async () => {
  store = await openStore('credentials');
});
after(async () => {
  await store.drop();
});

const HOUR = 60 * 60 * 1000;
let hashes = 0;
/** A distinct 64-hex token hash. */
const nextHash = () => (++hashes).toString(16).padStart(64, '0');

function session(user: ObjectId, created: Date, lifetime = HOUR): SessionDocument {
  return {
    _id: new ObjectId(),
    tokenHash: nextHash(),
    user,
    created,
    expires: new Date(created.getTime() + lifetime),
    remoteAddress: '127.0.0.1',
  };
}

function accessToken(user: ObjectId, created: Date, name = 'app'): AccessTokenDocument {
  return {
    _id: new ObjectId(),
    tokenHash: nextHash(),
    user,
    name,
    scopes: ['read'],
    created,
    expires: null,
    lastUsed: null,
  };
}

test("a new session deletes its user's expired sessions, not live ones or another user's", async () => {
  const { user } = await newUser(store.db, 'sessions@example.com');
  const { user: other } = await newUser(store.db, 'other-sessions@example.com');
  const now = new Date();
  const expired = session(user, new Date(now.getTime() - 2 * HOUR));
  const live = session(user, new Date(now.getTime() - HOUR / 2));
  const othersExpired = session(other, new Date(now.getTime() - 2 * HOUR));
  for (const each of [expired, live, othersExpired])
    await store.db.collection<SessionDocument>('sessions').insertOne(each);

  const started = session(user, now);
  await insertSession(store.db, started);
  const left = await store.db.collection('sessions').find({ user }).toArray();
  assert.deepEqual(
    left.map((each) => String(each._id)).sort(),
    [String(live._id), String(started._id)].sort(),
  );
  assert.equal(await store.db.collection('sessions').countDocuments({ _id: othersExpired._id }), 1);
});

test('a session is found by its token hash until it expires, and ends once', async () => {
  const { user } = await newUser(store.db, 'session-find@example.com');
  const now = new Date();
  const started = session(user, now);
  await insertSession(store.db, started);
  assert.equal(String((await findLiveSession(store.db, started.tokenHash, now))?._id), String(started._id));
  assert.equal(await findLiveSession(store.db, started.tokenHash, started.expires), null, 'expired');
  assert.equal(await findLiveSession(store.db, nextHash(), now), null, 'unknown hash');
  assert.equal(await deleteSession(store.db, started._id), true);
  assert.equal(await deleteSession(store.db, started._id), false);
  assert.equal(await findLiveSession(store.db, started.tokenHash, now), null, 'ended');
});

test('an invalid session or access token document is refused before anything is written', async () => {
  const { user } = await newUser(store.db, 'invalid-docs@example.com');
  const bad = { ...session(user, new Date()), tokenHash: 'not-a-hash' };
  await assert.rejects(insertSession(store.db, bad), (error: unknown) => {
    assert.ok(error instanceof StoreError);
    assert.equal(error.code, 'INVALID_DOCUMENT');
    return true;
  });
  assert.equal(await store.db.collection('sessions').countDocuments({ user }), 0);
  const badToken = { ...accessToken(user, new Date()), name: '' };
  await assert.rejects(insertAccessToken(store.db, badToken), StoreError);
  assert.equal(await countUserAccessTokens(store.db, user), 0);
});

test('access tokens: listed oldest first, counted, found by hash, use noted, deleted only by their user', async () => {
  const { user } = await newUser(store.db, 'tokens@example.com');
  const { user: other } = await newUser(store.db, 'other-tokens@example.com');
  const now = Date.now();
  const newer = accessToken(user, new Date(now), 'newer');
  const older = accessToken(user, new Date(now - HOUR), 'older');
  const others = accessToken(other, new Date(now), 'others');
  for (const each of [newer, older, others]) await insertAccessToken(store.db, each);

  assert.deepEqual(
    (await listUserAccessTokens(store.db, user)).map((each) => each.name),
    ['older', 'newer'],
  );
  assert.equal(await countUserAccessTokens(store.db, user), 2);
  assert.equal((await findAccessTokenByHash(store.db, others.tokenHash))?.name, 'others');
  assert.equal(await findAccessTokenByHash(store.db, nextHash()), null);

  const used = new Date(now + 1000);
  await noteAccessTokenUse(store.db, newer._id, used);
  assert.equal((await findAccessTokenByHash(store.db, newer.tokenHash))?.lastUsed?.getTime(), used.getTime());

  assert.equal(await deleteUserAccessToken(store.db, user, others._id), false, "another user's token");
  assert.equal(await countUserAccessTokens(store.db, other), 1);
  assert.equal(await deleteUserAccessToken(store.db, user, older._id), true);
  assert.equal(await deleteUserAccessToken(store.db, user, older._id), false);
  assert.equal(await countUserAccessTokens(store.db, user), 1);
});

test("a user's standing and message count", async () => {
  const { user, inbox } = await newUser(store.db, 'standing@example.com');
  const standing = await findUserStanding(store.db, user);
  assert.deepEqual(
    { address: standing?.address, role: standing?.role, disabled: standing?.disabled },
    { address: 'standing@example.com', role: 'user', disabled: false },
  );
  assert.equal((standing as Record<string, unknown>).passwordHash, undefined, 'no password hash read');
  assert.equal(await findUserStanding(store.db, new ObjectId()), null);

  assert.equal(await countUserMessages(store.db, user), 0);
  const ctx = storeContext(store.db);
  for (const subject of ['one', 'two'])
    assert.ok((await appendMessage(ctx, user, inbox._id!, streamOf(simpleMessage(subject)))).ok);
  assert.equal(await countUserMessages(store.db, user), 2);
});
