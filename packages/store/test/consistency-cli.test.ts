import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { TestDatabase } from '@wildduck/embedded-store';
import { PARTS_BUCKET } from '@wildduck/schema';
import { appendMessage, storeContext } from '@wildduck/store';
import { openStore, newUser, simpleMessage, streamOf } from './support.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

let store: TestDatabase;
before(async () => {
  store = await openStore('fsck-cli');
});
after(async () => {
  await store.drop();
});

/** Runs `npm run fsck` as the product does (without npm), against this test's database. */
function fsck(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'scripts/fsck.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, MONGODB_URI: store.uri, MONGODB_DB: store.name } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('npm run fsck exits 1 with one line per finding, 0 after --repair, and checks one user with --user', async () => {
  const ctx = storeContext(store.db, undefined, { largeBodyThreshold: 1024 });
  const { user, inbox } = await newUser(store.db, 'cli@example.com');
  await newUser(store.db, 'other@example.com');
  const outcome = await appendMessage(
    ctx,
    user,
    inbox._id!,
    streamOf(simpleMessage('big', 'words '.repeat(400))),
  );
  assert.ok(outcome.ok);

  const clean = await fsck('--grace-minutes', '0');
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, /^fsck: 2 users, 12 mailboxes, 1 messages, 1 parts: 0 findings, clean$/m);

  await store.db.collection('users').updateOne({ _id: user }, { $inc: { storageUsed: 500 } });
  await store.db.collection(`${PARTS_BUCKET}.files`).updateMany({}, { $set: { 'metadata.refs': 3 } });
  const found = await fsck('--grace-minutes', '0');
  assert.equal(found.code, 1, found.stdout + found.stderr);
  const lines = found.stdout.trim().split('\n');
  assert.equal(lines.length, 3, found.stdout);
  assert.match(found.stdout, /^part-refcount ids=[0-9a-f]{64} expected=1 actual=3$/m);
  assert.match(
    found.stdout,
    /^storage-counter user=cli@example\.com ids=[0-9a-f]{24} expected=(\d+) actual=\d+$/m,
  );
  assert.match(lines[2]!, /: 2 findings, not repaired \(run with --repair\)$/);

  const oneUser = await fsck('--user', 'other@example.com');
  assert.equal(oneUser.code, 0, oneUser.stdout + oneUser.stderr);
  assert.match(
    oneUser.stdout,
    /^fsck: 1 users, 6 mailboxes, 0 messages, 0 parts \(one user: .*\): 0 findings, clean$/m,
  );

  const repaired = await fsck('--grace-minutes', '0', '--repair');
  assert.equal(repaired.code, 0, repaired.stdout + repaired.stderr);
  assert.match(repaired.stdout, /^repaired part-refcount .*: refs 3 -> 1$/m);
  assert.match(
    repaired.stdout,
    /^repaired storage-counter user=cli@example\.com .*: storageUsed \d+ -> \d+$/m,
  );
  assert.match(repaired.stdout, /: 2 findings, 2 repaired, 0 left$/m);

  const after = await fsck('--grace-minutes', '0');
  assert.equal(after.code, 0, after.stdout + after.stderr);

  const unknown = await fsck('--user', 'nobody@example.com');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no user nobody@example\.com/);
});
