/**
 * The store's consistency check as an admin query, and its repair as an admin mutation: a storage
 * counter broken on purpose is found, repaired, and the next check is clean; users may not call it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import { startApi, type ApiHarness } from './graphql-harness.js';
import { codes, plainMessage, storeMessage } from './auth-support.js';

let api: ApiHarness;
let admin: string;
let userId: string;

before(async () => {
  api = await startApi('gqlfsck');
  await api.createUser('admin@example.com', { role: 'admin' });
  admin = await api.signIn('admin@example.com');
  userId = await api.createUser('fsck@example.com');
  await storeMessage(api.services.store, userId, plainMessage('counted'));
});
after(async () => {
  await api.close();
});

const CHECK = `query ($userId: ID) {
  consistencyCheck(userId: $userId) {
    findings { kind userId ids expected actual repairable }
    scope { users mailboxes messages allUsers }
  }
}`;
const REPAIR = `mutation ($userId: ID) { repairConsistency(userId: $userId) { changed action finding { kind } } }`;

interface Check {
  consistencyCheck: {
    findings: {
      kind: string;
      userId: string | null;
      expected: string;
      actual: string;
      repairable: boolean;
    }[];
    scope: { users: number; mailboxes: number; messages: number; allUsers: boolean };
  };
}

test('a clean user has no findings; a broken storage counter is found, repaired, then clean', async () => {
  const clean = await api.gql<Check>(CHECK, { userId }, admin);
  assert.equal(clean.errors, undefined);
  assert.deepEqual(clean.data!.consistencyCheck.findings, []);
  assert.equal(clean.data!.consistencyCheck.scope.users, 1);
  assert.equal(clean.data!.consistencyCheck.scope.messages, 1);

  const users = api.store.db.collection('users');
  const right = (await users.findOne({ _id: new ObjectId(userId) }))!.storageUsed as number;
  await users.updateOne({ _id: new ObjectId(userId) }, { $set: { storageUsed: right + 12345 } });

  const broken = await api.gql<Check>(CHECK, { userId }, admin);
  const found = broken.data!.consistencyCheck.findings;
  assert.deepEqual(
    found.map((finding) => [
      finding.kind,
      finding.userId,
      finding.expected,
      finding.actual,
      finding.repairable,
    ]),
    [['storage-counter', userId, String(right), String(right + 12345), true]],
  );

  const repaired = await api.gql<{
    repairConsistency: { changed: boolean; action: string; finding: { kind: string } }[];
  }>(REPAIR, { userId }, admin);
  assert.equal(repaired.errors, undefined);
  assert.deepEqual(
    repaired.data!.repairConsistency.map((change) => [change.finding.kind, change.changed]),
    [['storage-counter', true]],
  );
  assert.equal((await users.findOne({ _id: new ObjectId(userId) }))!.storageUsed, right);
  assert.deepEqual((await api.gql<Check>(CHECK, { userId }, admin)).data!.consistencyCheck.findings, []);
});

test('only administrators may check or repair; an id that cannot be a user is NOT_FOUND', async () => {
  const user = await api.signIn('fsck@example.com');
  assert.deepEqual(codes(await api.gql(CHECK, {}, user)), ['FORBIDDEN']);
  assert.deepEqual(codes(await api.gql(REPAIR, {}, user)), ['FORBIDDEN']);
  assert.deepEqual(codes(await api.gql(CHECK, {}, null)), ['UNAUTHENTICATED']);
  assert.deepEqual(codes(await api.gql(CHECK, { userId: 'not-an-id' }, admin)), ['NOT_FOUND']);
});
