import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  insertAppPassword,
  putSieveScript,
  savePendingTwoFactorSecret,
  InProcessLockManager,
  StoreError,
  clearFilterError,
  deleteUserAndData,
  defaultMailSettings,
  getMailSettings,
  recordFilterError,
  setFilterRules,
  setForwarding,
  setVacation,
  storeContext,
  type FilterRuleInput,
} from '@wildduck/store';
import { openStore, newUser } from './support.js';

let store: TestDatabase;
before(async () => {
  store = await openStore('mail-settings');
});
after(async () => {
  await store.drop();
});

const vacation = {
  enabled: true,
  subject: 'Away',
  text: 'Back on Monday.',
  start: new Date('2026-12-01T00:00:00Z'),
  end: new Date('2026-12-24T00:00:00Z'),
  days: 3,
};

const rule = (name: string, extra: Partial<FilterRuleInput> = {}): FilterRuleInput => ({
  name,
  enabled: true,
  field: 'subject',
  match: 'contains',
  value: name,
  actions: [{ type: 'move', mailbox: 'Archive' }],
  stop: false,
  ...extra,
});

test('a user who never saved anything gets the defaults, and no document is made by reading', async () => {
  const { user } = await newUser(store.db, 'defaults@example.com');
  assert.deepEqual(await getMailSettings(store.db, user), defaultMailSettings());
  assert.equal(await store.db.collection('mailSettings').countDocuments({ _id: user }), 0);
});

test('each part is set on its own and the others keep their values', async () => {
  const { user } = await newUser(store.db, 'parts@example.com');
  const afterVacation = await setVacation(store.db, user, vacation);
  assert.deepEqual(afterVacation.vacation, vacation);
  assert.deepEqual(afterVacation.forwarding, defaultMailSettings().forwarding);
  assert.ok(afterVacation.updated instanceof Date);

  await setForwarding(store.db, user, { enabled: true, addresses: ['far@example.net'], keepCopy: false });
  const rules = await setFilterRules(store.db, user, [rule('invoices'), rule('news', { stop: true })]);
  assert.equal(rules.filterRules.length, 2);

  const read = await getMailSettings(store.db, user);
  assert.deepEqual(read.vacation, vacation);
  assert.deepEqual(read.forwarding, { enabled: true, addresses: ['far@example.net'], keepCopy: false });
  assert.deepEqual(
    read.filterRules.map((each) => [each.name, each.stop]),
    [
      ['invoices', false],
      ['news', true],
    ],
  );
  // one document under the user's id
  const documents = await store.db.collection('mailSettings').find({ _id: user }).toArray();
  assert.equal(documents.length, 1);
});

test('rules get ids when they have none and keep the ids they have; actions store only what they use', async () => {
  const { user } = await newUser(store.db, 'rule-ids@example.com');
  const first = await setFilterRules(store.db, user, [
    rule('a'),
    rule('b', { actions: [{ type: 'markRead' }, { type: 'forward', address: 'x@example.net' }] }),
  ]);
  const [a, b] = first.filterRules;
  assert.match(a!.id, /^[0-9a-f]{24}$/);
  assert.notEqual(a!.id, b!.id);
  assert.deepEqual(b!.actions, [{ type: 'markRead' }, { type: 'forward', address: 'x@example.net' }]);

  // reordered, b kept by id, a new rule added
  const second = await setFilterRules(store.db, user, [{ ...b!, name: 'b2' }, rule('c')]);
  assert.equal(second.filterRules[0]!.id, b!.id);
  assert.equal(second.filterRules[0]!.name, 'b2');
  assert.notEqual(second.filterRules[1]!.id, a!.id);

  await assert.rejects(
    setFilterRules(store.db, user, [rule('x', { id: 'same' }), rule('y', { id: 'same' })]),
    (error: unknown) => error instanceof StoreError && error.code === 'INVALID_SETTINGS',
  );
  assert.deepEqual((await getMailSettings(store.db, user)).filterRules, second.filterRules);
});

test('a malformed setting is refused with INVALID_SETTINGS and changes nothing', async () => {
  const { user } = await newUser(store.db, 'malformed@example.com');
  await setVacation(store.db, user, vacation);
  const isInvalid = (error: unknown) => error instanceof StoreError && error.code === 'INVALID_SETTINGS';
  await assert.rejects(setVacation(store.db, user, { ...vacation, days: 0 }), isInvalid);
  await assert.rejects(setVacation(store.db, user, { ...vacation, subject: 'x'.repeat(201) }), isInvalid);
  await assert.rejects(setFilterRules(store.db, user, [rule('bad', { field: 'body' as 'from' })]), isInvalid);
  await assert.rejects(setFilterRules(store.db, user, [rule('empty', { value: '' })]), isInvalid);
  const read = await getMailSettings(store.db, user);
  assert.deepEqual(read.vacation, vacation);
  assert.deepEqual(read.filterRules, []);
});

test('a filter error is recorded without touching the settings or their time, and can be cleared', async () => {
  const { user } = await newUser(store.db, 'filter-error@example.com');
  // recorded before any setting was saved: the document is made with the defaults
  await recordFilterError(store.db, user, { script: 'rules', message: 'mailbox missing' });
  let read = await getMailSettings(store.db, user);
  assert.equal(read.lastFilterError?.script, 'rules');
  assert.equal(read.updated, null);
  assert.deepEqual(read.vacation, defaultMailSettings().vacation);

  const saved = await setVacation(store.db, user, vacation);
  await recordFilterError(store.db, user, { script: 'mine', message: 'x'.repeat(5000) });
  read = await getMailSettings(store.db, user);
  assert.equal(read.lastFilterError?.script, 'mine');
  assert.equal(read.lastFilterError?.message.length, 2000);
  assert.ok(read.lastFilterError!.at instanceof Date);
  assert.deepEqual(read.updated, saved.updated);
  assert.deepEqual(read.vacation, vacation);

  await clearFilterError(store.db, user);
  assert.equal((await getMailSettings(store.db, user)).lastFilterError, null);
});

test("one user's settings are not another's", async () => {
  const { user: one } = await newUser(store.db, 'one-settings@example.com');
  const { user: two } = await newUser(store.db, 'two-settings@example.com');
  await setForwarding(store.db, one, { enabled: true, addresses: ['a@example.net'], keepCopy: true });
  assert.deepEqual(await getMailSettings(store.db, two), defaultMailSettings());
});

test('writes under the settings lock do not lose each other, even the first ones racing to make the document', async () => {
  const { user } = await newUser(store.db, 'racing@example.com');
  const locks = new InProcessLockManager();
  await Promise.all([
    setVacation(store.db, user, vacation, locks),
    setForwarding(store.db, user, { enabled: true, addresses: ['r@example.net'], keepCopy: true }, locks),
    setFilterRules(store.db, user, [rule('r')], locks),
    recordFilterError(store.db, user, { script: 'rules', message: 'boom' }, locks),
  ]);
  const read = await getMailSettings(store.db, user);
  assert.deepEqual(read.vacation, vacation);
  assert.deepEqual(read.forwarding.addresses, ['r@example.net']);
  assert.equal(read.filterRules.length, 1);
  assert.equal(read.lastFilterError?.message, 'boom');
});

test("deleting a user deletes the user's settings, Sieve scripts, app passwords and two-factor secret", async () => {
  const { user } = await newUser(store.db, 'leaving@example.com');
  await setVacation(store.db, user, vacation);
  await putSieveScript(store.db, user, 'mine', 'keep;');
  await insertAppPassword(store.db, {
    _id: new ObjectId(),
    user,
    name: 'phone',
    secretHash: 'a'.repeat(64),
    scopes: ['imap'],
    created: new Date(),
    lastUsed: null,
    lastAddress: null,
  });
  await savePendingTwoFactorSecret(store.db, user, 'JBSWY3DPEHPK3PXP', new Date());
  assert.equal(await deleteUserAndData(storeContext(store.db), user), true);
  for (const [collection, filter] of [
    ['mailSettings', { _id: user }],
    ['sieveScripts', { user }],
    ['appPasswords', { user }],
    ['twoFactor', { user }],
  ] as const)
    assert.equal(await store.db.collection(collection).countDocuments(filter), 0, collection);
});
