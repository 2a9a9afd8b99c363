/**
 * Password hashes are made at the configured argon2id cost; a hash of an older cost is made again
 * at the new one when its user signs in with the right password (and only then); an unknown
 * address is checked against a hash of the same cost.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  authenticateUser,
  configurePasswordHashing,
  createUser,
  DEFAULT_PASSWORD_HASHING,
  findUserById,
} from '@wildduck/store';
import { openStore } from './support.js';

let store: TestDatabase;
before(async () => {
  store = await openStore('passwordcost');
});
after(async () => {
  configurePasswordHashing(DEFAULT_PASSWORD_HASHING);
  await store.drop();
});

/** The m, t and p of an encoded argon2 hash. */
function costOf(hash: string): { m: number; t: number; p: number } {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
  assert.ok(match, `an argon2id hash: ${hash}`);
  return { m: Number(match[1]), t: Number(match[2]), p: Number(match[3]) };
}

test('a new password is hashed at the configured cost', async () => {
  configurePasswordHashing({ memoryKiB: 8192, timeCost: 1, parallelism: 1 });
  const user = await createUser(store.db, {
    address: 'cost@example.com',
    password: 'first password',
    quota: null,
  });
  assert.deepEqual(costOf(user.passwordHash), { m: 8192, t: 1, p: 1 });
  assert.ok(await authenticateUser(store.db, 'cost@example.com', 'first password'));
});

test('signing in with the right password makes an older-cost hash again at the new cost', async () => {
  configurePasswordHashing({ memoryKiB: 8192, timeCost: 1, parallelism: 1 });
  const user = await createUser(store.db, {
    address: 'rehash@example.com',
    password: 'my password',
    quota: null,
  });
  configurePasswordHashing({ memoryKiB: 9216, timeCost: 2, parallelism: 1 });

  // a wrong password changes nothing
  assert.equal(await authenticateUser(store.db, 'rehash@example.com', 'not my password'), null);
  assert.deepEqual(costOf((await findUserById(store.db, user._id))!.passwordHash), { m: 8192, t: 1, p: 1 });

  const signedIn = await authenticateUser(store.db, 'rehash@example.com', 'my password');
  assert.ok(signedIn);
  const stored = (await findUserById(store.db, user._id))!.passwordHash;
  assert.deepEqual(costOf(stored), { m: 9216, t: 2, p: 1 });
  assert.equal(signedIn.passwordHash, stored);
  // and the new hash is of the same password
  assert.ok(await authenticateUser(store.db, 'rehash@example.com', 'my password'));
  assert.equal(await authenticateUser(store.db, 'rehash@example.com', 'an old guess'), null);
});

test('an unknown address is refused like a wrong password', async () => {
  configurePasswordHashing({ memoryKiB: 8192, timeCost: 1, parallelism: 1 });
  assert.equal(await authenticateUser(store.db, 'nobody@example.com', 'whatever'), null);
  assert.equal(await authenticateUser(store.db, 'not an address', 'whatever'), null);
});
