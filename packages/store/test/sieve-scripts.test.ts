import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  SIEVE_SCRIPT_LIMITS,
  activateSieveScript,
  deleteSieveScript,
  getActiveSieveScript,
  getSieveScript,
  listSieveScripts,
  putSieveScript,
  renameSieveScript,
  sieveSpaceAvailable,
  StoreError,
} from '@wildduck/store';
import { openStore, newUser } from './support.js';

let store: TestDatabase;
before(async () => {
  store = await openStore('sieve-scripts');
});
after(async () => {
  await store.drop();
});

const keep = 'require "fileinto";\nfileinto "Archive";\n';

/** Asserts that `action` fails with a StoreError of `code`. */
async function failsWith(action: () => Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(action, (error: unknown) => error instanceof StoreError && error.code === code);
}

test('a script is stored, listed, read, replaced (size in UTF-8 bytes) and kept apart per user', async () => {
  const { user } = await newUser(store.db, 'sieve-one@example.com');
  const { user: other } = await newUser(store.db, 'sieve-two@example.com');
  const created = await putSieveScript(store.db, user, 'vacation', keep);
  assert.equal(created.size, Buffer.byteLength(keep));
  assert.equal(created.active, false);
  await putSieveScript(store.db, user, 'abc', 'keep;');
  const replaced = await putSieveScript(store.db, user, 'vacation', '# Grüße\nkeep;');
  assert.equal(replaced.size, 15); // ü and ß are two bytes each
  assert.equal(replaced.created.getTime(), created.created.getTime());
  assert.deepEqual(
    (await listSieveScripts(store.db, user)).map((script) => script.name),
    ['abc', 'vacation'],
  );
  assert.equal((await getSieveScript(store.db, user, 'vacation'))?.content, '# Grüße\nkeep;');
  assert.deepEqual(await listSieveScripts(store.db, other), []);
  assert.equal(await getSieveScript(store.db, other, 'vacation'), null);
  await failsWith(() => activateSieveScript(store.db, other, 'vacation'), 'NOT_FOUND');
  await failsWith(() => deleteSieveScript(store.db, other, 'vacation'), 'NOT_FOUND');
  await failsWith(() => renameSieveScript(store.db, other, 'vacation', 'x'), 'NOT_FOUND');
});

test('one script at most is active; the active one cannot be deleted', async () => {
  const { user } = await newUser(store.db, 'sieve-active@example.com');
  await putSieveScript(store.db, user, 'a', 'keep;');
  await putSieveScript(store.db, user, 'b', 'keep;');
  assert.equal(await getActiveSieveScript(store.db, user), null);
  await activateSieveScript(store.db, user, 'a');
  assert.equal((await getActiveSieveScript(store.db, user))?.name, 'a');
  await activateSieveScript(store.db, user, 'b');
  assert.deepEqual(
    (await listSieveScripts(store.db, user)).map((script) => [script.name, script.active]),
    [
      ['a', false],
      ['b', true],
    ],
  );
  await failsWith(() => activateSieveScript(store.db, user, 'nope'), 'NOT_FOUND');
  assert.equal((await getActiveSieveScript(store.db, user))?.name, 'b', 'a failed SETACTIVE changes nothing');
  await failsWith(() => deleteSieveScript(store.db, user, 'b'), 'ACTIVE');
  await putSieveScript(store.db, user, 'b', 'discard;');
  assert.equal(
    (await getActiveSieveScript(store.db, user))?.content,
    'discard;',
    'replacing keeps it active',
  );
  await activateSieveScript(store.db, user, null);
  assert.equal(await getActiveSieveScript(store.db, user), null);
  await deleteSieveScript(store.db, user, 'b');
  await failsWith(() => deleteSieveScript(store.db, user, 'b'), 'NOT_FOUND');
});

test('concurrent activations never leave two scripts active', async () => {
  const { user } = await newUser(store.db, 'sieve-race@example.com');
  const names = ['r1', 'r2', 'r3', 'r4'];
  for (const name of names) await putSieveScript(store.db, user, name, 'keep;');
  for (let round = 0; round < 5; round++) {
    await Promise.all(names.map((name) => activateSieveScript(store.db, user, name)));
    const active = (await listSieveScripts(store.db, user)).filter((script) => script.active);
    assert.ok(active.length <= 1, `round ${round}: ${active.length} active`);
  }
});

test('rename keeps content and active state, refuses a taken or bad name', async () => {
  const { user } = await newUser(store.db, 'sieve-rename@example.com');
  await putSieveScript(store.db, user, 'old', 'keep;');
  await putSieveScript(store.db, user, 'taken', 'discard;');
  await activateSieveScript(store.db, user, 'old');
  const renamed = await renameSieveScript(store.db, user, 'old', 'new');
  assert.equal(renamed.name, 'new');
  assert.equal(await getSieveScript(store.db, user, 'old'), null);
  assert.equal((await getActiveSieveScript(store.db, user))?.name, 'new');
  await failsWith(() => renameSieveScript(store.db, user, 'new', 'taken'), 'ALREADY_EXISTS');
  await failsWith(() => renameSieveScript(store.db, user, 'new', 'bad\nname'), 'INVALID_NAME');
  assert.equal((await getSieveScript(store.db, user, 'taken'))?.content, 'discard;');
});

test('quota: script size and script count; names RFC 5804 refuses', async () => {
  const { user } = await newUser(store.db, 'sieve-quota@example.com');
  const { maxScriptBytes, maxScripts, maxNameLength } = SIEVE_SCRIPT_LIMITS;
  await failsWith(() => putSieveScript(store.db, user, 'big', '#'.repeat(maxScriptBytes + 1)), 'SIEVE_QUOTA');
  await putSieveScript(store.db, user, 'exact', '#'.repeat(maxScriptBytes));
  await failsWith(() => putSieveScript(store.db, user, '', 'keep;'), 'INVALID_NAME');
  await failsWith(() => putSieveScript(store.db, user, 'a\u0000b', 'keep;'), 'INVALID_NAME');
  await failsWith(
    () => putSieveScript(store.db, user, 'x'.repeat(maxNameLength + 1), 'keep;'),
    'INVALID_NAME',
  );
  await putSieveScript(store.db, user, 'x'.repeat(maxNameLength), 'keep;');
  assert.equal(await sieveSpaceAvailable(store.db, user, 'more', maxScriptBytes), true);
  assert.equal(await sieveSpaceAvailable(store.db, user, 'more', maxScriptBytes + 1), false);
  for (let n = 2; n < maxScripts; n++) await putSieveScript(store.db, user, `s${n}`, 'keep;');
  assert.equal((await listSieveScripts(store.db, user)).length, maxScripts);
  assert.equal(await sieveSpaceAvailable(store.db, user, 'more', 10), false);
  assert.equal(await sieveSpaceAvailable(store.db, user, 's2', 10), true, 'replacing needs no new slot');
  await failsWith(() => putSieveScript(store.db, user, 'more', 'keep;'), 'SIEVE_QUOTA');
  await putSieveScript(store.db, user, 's2', 'discard;');
  assert.equal((await listSieveScripts(store.db, user)).length, maxScripts);
});

test('concurrent uploads of new scripts never go beyond the count limit', async () => {
  const { user } = await newUser(store.db, 'sieve-count-race@example.com');
  const { maxScripts } = SIEVE_SCRIPT_LIMITS;
  const results = await Promise.allSettled(
    Array.from({ length: maxScripts + 8 }, (_, n) => putSieveScript(store.db, user, `c${n}`, 'keep;')),
  );
  for (const result of results)
    if (result.status === 'rejected') assert.equal((result.reason as StoreError).code, 'SIEVE_QUOTA');
  const stored = (await listSieveScripts(store.db, user)).length;
  assert.ok(stored <= maxScripts, `${stored} scripts stored`);
  assert.ok(results.filter((result) => result.status === 'fulfilled').length === stored);
});
