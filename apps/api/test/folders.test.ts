import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { pino } from 'pino';
import { ImapServer } from '@wildduck/imap-core';
import { JunkReporter } from '@wildduck/mail-service';
import { MemoryChangeBus } from '@wildduck/change-bus';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { parseObjectId, storageUsage } from '@wildduck/store';
import { StoreImapBackend } from '../../mailserver/src/imap/store-backend.js';
import { loadOrCreateCertificate } from '../../mailserver/src/tls.js';
import { LOGIN_LIMITS } from '../../mailserver/src/runtime.js';
import { startApi, PASSWORD, type ApiHarness } from './graphql-harness.js';
import { errorOf, textMessage } from './mail-fixtures.js';

/**
 * Folder management through GraphQL (create nested, rename with children, delete to Trash, empty
 * Trash and Junk), checked from an IMAP client on the same store and change bus, as a mail client
 * on another instance would see it.
 */

const bus = new MemoryChangeBus();
let api: ApiHarness;
let imap: ImapServer;
let imapPort: number;
const imapClients: ImapFlow[] = [];

before(async () => {
  api = await startApi('folders', { bus });
  const ctx = api.services.store;
  const logger = pino({ level: 'silent' });
  const tls = await loadOrCreateCertificate({ dataDir: mkdtempSync(join(tmpdir(), 'wd-tls-')) });
  const backend = new StoreImapBackend({
    ctx,
    bus,
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
    junkReporter: new JunkReporter({ ctx, bus, apiUrl: api.url, logger }),
  });
  imap = new ImapServer({ backend, tls, allowPlaintextLogin: true });
  imapPort = (await imap.listen(0)).port;
});

after(async () => {
  await Promise.all(imapClients.map((client) => client.logout().catch(() => {})));
  await imap.close();
  await api.close();
});

let counter = 0;

interface User {
  address: string;
  id: string;
  token: string;
  imap: ImapFlow;
}

/** A new user, signed in to GraphQL and logged in over IMAP. */
async function newUser(name: string): Promise<User> {
  const address = `${name}${++counter}@example.com`;
  const id = await api.createUser(address);
  const token = await api.signIn(address);
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: imapPort,
    secure: false,
    auth: { user: address, pass: PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await client.connect();
  imapClients.push(client);
  return { address, id, token, imap: client };
}

/** The user's mailboxes as IMAP LIST shows them, sorted. */
async function listed(user: User): Promise<string[]> {
  return (await user.imap.list()).map((box) => box.path).sort();
}

/** Mailbox ids by path, from GraphQL. */
async function mailboxIds(user: User): Promise<Record<string, string>> {
  const answer = await api.gql<{ mailboxes: { id: string; path: string }[] }>(
    '{ mailboxes { id path } }',
    {},
    user.token,
  );
  return Object.fromEntries(answer.data!.mailboxes.map((box) => [box.path, box.id]));
}

/** Subjects in an IMAP mailbox, sorted. */
async function subjectsIn(user: User, path: string): Promise<string[]> {
  const lock = await user.imap.getMailboxLock(path);
  try {
    const subjects: string[] = [];
    if ((user.imap.mailbox as { exists: number }).exists === 0) return [];
    for await (const message of user.imap.fetch('1:*', { envelope: true })) {
      subjects.push(message.envelope?.subject ?? '');
    }
    return subjects.sort();
  } finally {
    lock.release();
  }
}

async function append(user: User, path: string, subject: string): Promise<void> {
  await user.imap.append(path, textMessage({ subject }));
}

const CREATE = 'mutation ($p: String!) { createMailbox(path: $p) { id path name } }';
const RENAME = 'mutation ($id: ID!, $p: String!) { renameMailbox(id: $id, path: $p) { id path name } }';
const DELETE_TO_TRASH = 'mutation ($id: ID!) { deleteMailboxToTrash(id: $id) }';
const EMPTY = 'mutation ($id: ID!) { emptyMailbox(id: $id) }';

const DEFAULT_BOXES = ['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent Mail', 'Trash'];

test('createMailbox of a nested path makes the missing parents, as IMAP CREATE does', async () => {
  const alice = await newUser('nest');
  const created = await api.gql<{ createMailbox: { path: string; name: string } }>(
    CREATE,
    { p: 'Clients/Acme/2026' },
    alice.token,
  );
  assert.equal(created.data?.createMailbox.path, 'Clients/Acme/2026', JSON.stringify(created.errors));
  assert.equal(created.data.createMailbox.name, '2026');
  assert.deepEqual(
    await listed(alice),
    [...DEFAULT_BOXES, 'Clients', 'Clients/Acme', 'Clients/Acme/2026'].sort(),
  );
  // a parent that exists already is no clash; the same full path is
  const sibling = await api.gql(CREATE, { p: 'Clients/Beta' }, alice.token);
  assert.ok(sibling.data, JSON.stringify(sibling.errors));
  const again = await api.gql(CREATE, { p: 'Clients/Acme' }, alice.token);
  assert.deepEqual([errorOf(again).code, errorOf(again).field], ['BAD_USER_INPUT', 'path']);
  assert.deepEqual(
    await listed(alice),
    [...DEFAULT_BOXES, 'Clients', 'Clients/Acme', 'Clients/Acme/2026', 'Clients/Beta'].sort(),
  );
});

test('renameMailbox moves the folders below with it (IMAP RENAME) and refuses what IMAP users would regret', async () => {
  const alice = await newUser('rename');
  await api.gql(CREATE, { p: 'Work/Projects/Old' }, alice.token);
  await append(alice, 'Work/Projects', 'project mail');
  let ids = await mailboxIds(alice);

  const moved = await api.gql<{ renameMailbox: { id: string; path: string; name: string } }>(
    RENAME,
    { id: ids.Work, p: 'Archive/Work' },
    alice.token,
  );
  assert.deepEqual(moved.data?.renameMailbox, { id: ids.Work, path: 'Archive/Work', name: 'Work' });
  assert.deepEqual(
    await listed(alice),
    [...DEFAULT_BOXES, 'Archive/Work', 'Archive/Work/Projects', 'Archive/Work/Projects/Old'].sort(),
  );
  assert.deepEqual(
    await subjectsIn(alice, 'Archive/Work/Projects'),
    ['project mail'],
    'messages stay with their folder',
  );
  const before = ids;
  ids = await mailboxIds(alice);
  assert.equal(ids['Archive/Work/Projects'], before['Work/Projects'], 'a child keeps its id');

  // back to the top level, under another name
  const top = await api.gql(RENAME, { id: ids['Archive/Work'], p: 'Jobs' }, alice.token);
  assert.ok(top.data, JSON.stringify(top.errors));
  assert.deepEqual(
    await listed(alice),
    [...DEFAULT_BOXES, 'Jobs', 'Jobs/Projects', 'Jobs/Projects/Old'].sort(),
  );
  ids = await mailboxIds(alice);

  const refusals: [string, { id: string; p: string }, string][] = [
    ['INBOX', { id: ids.INBOX!, p: 'Old inbox' }, 'id'],
    ['the Trash folder', { id: ids.Trash!, p: 'Bin' }, 'id'],
    ['the Sent folder', { id: ids['Sent Mail']!, p: 'Jobs/Sent' }, 'id'],
    ['a name that exists', { id: ids['Jobs/Projects/Old']!, p: 'Jobs/Projects' }, 'path'],
    ['a name that exists (special)', { id: ids.Jobs!, p: 'Junk' }, 'path'],
    ['into itself', { id: ids.Jobs!, p: 'Jobs/Jobs' }, 'path'],
    ['into its own child', { id: ids.Jobs!, p: 'Jobs/Projects/Jobs' }, 'path'],
    ['to INBOX', { id: ids.Jobs!, p: 'inbox' }, 'path'],
    ['an empty level', { id: ids.Jobs!, p: 'a//b' }, 'path'],
  ];
  for (const [what, variables, field] of refusals) {
    const answer = await api.gql(RENAME, variables, alice.token);
    assert.deepEqual([errorOf(answer).code, errorOf(answer).field], ['BAD_USER_INPUT', field], what);
  }
  assert.deepEqual(
    await listed(alice),
    [...DEFAULT_BOXES, 'Jobs', 'Jobs/Projects', 'Jobs/Projects/Old'].sort(),
    'nothing changed',
  );
});

test('deleteMailboxToTrash: the folder and those below it go, their messages land in Trash', async () => {
  const alice = await newUser('delete');
  await api.gql(CREATE, { p: 'Work/Projects/Deep' }, alice.token);
  await api.gql(CREATE, { p: 'Workshop' }, alice.token);
  await append(alice, 'Work', 'work one');
  await append(alice, 'Work/Projects', 'project one');
  await append(alice, 'Work/Projects', 'project two');
  await append(alice, 'Work/Projects/Deep', 'deep one');
  await append(alice, 'Workshop', 'not below Work');
  await append(alice, 'Trash', 'already in trash');
  const ids = await mailboxIds(alice);
  // a client watching Trash hears of the moved messages
  const watcher = await newUserClient(alice);
  await watcher.mailboxOpen('Trash');
  const existsSeen: number[] = [];
  watcher.on('exists', (event: { count: number }) => existsSeen.push(event.count));

  const deleted = await api.gql<{ deleteMailboxToTrash: boolean }>(
    DELETE_TO_TRASH,
    { id: ids.Work },
    alice.token,
  );
  assert.equal(deleted.data?.deleteMailboxToTrash, true, JSON.stringify(deleted.errors));
  assert.deepEqual(await listed(alice), [...DEFAULT_BOXES, 'Workshop'].sort());
  assert.deepEqual(await subjectsIn(alice, 'Trash'), [
    'already in trash',
    'deep one',
    'project one',
    'project two',
    'work one',
  ]);
  assert.deepEqual(await subjectsIn(alice, 'Workshop'), ['not below Work']);
  // NOOP asks for what changed meanwhile (the session hears it from the change bus)
  await watcher.noop();
  await until(() => existsSeen.includes(5), 'the watching IMAP client to see 5 messages in Trash');

  // a folder inside Trash: its messages are deleted for good
  await api.gql(CREATE, { p: 'Trash/Old stuff' }, alice.token);
  await append(alice, 'Trash/Old stuff', 'gone for good');
  const usedBefore = (await storageUsage(api.store.db, parseObjectId(alice.id)!))!.storageUsed;
  const inTrash = await api.gql(
    DELETE_TO_TRASH,
    { id: (await mailboxIds(alice))['Trash/Old stuff'] },
    alice.token,
  );
  assert.ok(inTrash.data, JSON.stringify(inTrash.errors));
  assert.deepEqual(await listed(alice), [...DEFAULT_BOXES, 'Workshop'].sort());
  assert.equal((await subjectsIn(alice, 'Trash')).length, 5, 'nothing more in Trash');
  const usedAfter = (await storageUsage(api.store.db, parseObjectId(alice.id)!))!.storageUsed;
  assert.ok(usedAfter < usedBefore, `storage given back (${usedBefore} -> ${usedAfter})`);

  // INBOX and special-use folders, and a folder holding one, are refused; nothing changes
  await api.gql(CREATE, { p: 'Holder' }, alice.token);
  const holderSent = await api.gql(RENAME, { id: ids['Sent Mail'], p: 'Holder/Sent Mail' }, alice.token);
  assert.equal(errorOf(holderSent).field, 'id', 'special-use folders stay where they are');
  const fresh = await mailboxIds(alice);
  for (const path of ['INBOX', 'Trash', 'Junk', 'Sent Mail', 'Drafts', 'Archive']) {
    const refused = await api.gql(DELETE_TO_TRASH, { id: fresh[path] }, alice.token);
    assert.deepEqual([errorOf(refused).code, errorOf(refused).field], ['BAD_USER_INPUT', 'id'], path);
  }
  assert.deepEqual(await listed(alice), [...DEFAULT_BOXES, 'Holder', 'Workshop'].sort());
  const gone = await api.gql(DELETE_TO_TRASH, { id: ids.Work }, alice.token);
  assert.equal(errorOf(gone).code, 'NOT_FOUND');
});

test('deleteMailboxToTrash refuses a folder with INBOX or a special-use folder below it', async () => {
  const alice = await newUser('below');
  // IMAP can make a special-use folder anywhere (CREATE-SPECIAL-USE) or move one (RENAME)
  await alice.imap.mailboxCreate('Box');
  await alice.imap.mailboxRename('Archive', 'Box/Archive');
  await append(alice, 'Box', 'stays');
  const refused = await api.gql(DELETE_TO_TRASH, { id: (await mailboxIds(alice)).Box }, alice.token);
  assert.deepEqual([errorOf(refused).code, errorOf(refused).field], ['BAD_USER_INPUT', 'id']);
  assert.match(refused.errors?.[0]?.message ?? '', /Archive/);
  assert.deepEqual(await subjectsIn(alice, 'Box'), ['stays']);
  assert.ok((await listed(alice)).includes('Box/Archive'));
});

test('emptyMailbox deletes every message of Trash or Junk for good; other folders are refused', async () => {
  const alice = await newUser('empty');
  for (let index = 0; index < 7; index++) await append(alice, 'Trash', `trash ${index}`);
  for (let index = 0; index < 3; index++) await append(alice, 'Junk', `junk ${index}`);
  await append(alice, 'INBOX', 'keep me');
  const ids = await mailboxIds(alice);
  const used = async () => (await storageUsage(api.store.db, parseObjectId(alice.id)!))!.storageUsed;
  const before = await used();

  const trash = await api.gql<{ emptyMailbox: number }>(EMPTY, { id: ids.Trash }, alice.token);
  assert.equal(trash.data?.emptyMailbox, 7, JSON.stringify(trash.errors));
  assert.deepEqual(await subjectsIn(alice, 'Trash'), []);
  const junk = await api.gql<{ emptyMailbox: number }>(EMPTY, { id: ids.Junk }, alice.token);
  assert.equal(junk.data?.emptyMailbox, 3);
  assert.deepEqual(await subjectsIn(alice, 'Junk'), []);
  assert.deepEqual(await subjectsIn(alice, 'INBOX'), ['keep me']);
  const status = await alice.imap.status('Trash', { messages: true, unseen: true });
  assert.deepEqual(status && [status.messages, status.unseen], [0, 0]);
  const after = await used();
  assert.ok(after < before && after > 0, `storage given back for the deleted only (${before} -> ${after})`);
  const again = await api.gql<{ emptyMailbox: number }>(EMPTY, { id: ids.Trash }, alice.token);
  assert.equal(again.data?.emptyMailbox, 0);

  await api.gql(CREATE, { p: 'Mine' }, alice.token);
  const mine = (await mailboxIds(alice)).Mine!;
  for (const [what, id] of [
    ['INBOX', ids.INBOX],
    ['Archive', ids.Archive],
    ['Sent', ids['Sent Mail']],
    ['a user folder', mine],
  ] as const) {
    const refused = await api.gql(EMPTY, { id }, alice.token);
    assert.deepEqual([errorOf(refused).code, errorOf(refused).field], ['BAD_USER_INPUT', 'id'], what);
  }
  assert.deepEqual(await subjectsIn(alice, 'INBOX'), ['keep me']);
});

test("another user's folder ids are NOT_FOUND, and nothing of theirs changes", async () => {
  const alice = await newUser('owner');
  const mallory = await newUser('other');
  await api.gql(CREATE, { p: 'Private/Sub' }, alice.token);
  await append(alice, 'Private', 'secret');
  await append(alice, 'Trash', 'binned');
  const ids = await mailboxIds(alice);
  const attempts: [string, string, Record<string, unknown>][] = [
    ['deleteMailboxToTrash', DELETE_TO_TRASH, { id: ids.Private }],
    ['emptyMailbox', EMPTY, { id: ids.Trash }],
    ['renameMailbox', RENAME, { id: ids.Private, p: 'Stolen' }],
    ['deleteMailboxToTrash (not an id)', DELETE_TO_TRASH, { id: 'nonsense' }],
  ];
  for (const [what, query, variables] of attempts) {
    const answer = await api.gql(query, variables, mallory.token);
    assert.equal(errorOf(answer).code, 'NOT_FOUND', what);
  }
  const unsigned = await api.gql(EMPTY, { id: ids.Trash }, null);
  assert.equal(errorOf(unsigned).code, 'UNAUTHENTICATED');
  assert.deepEqual(await listed(alice), [...DEFAULT_BOXES, 'Private', 'Private/Sub'].sort());
  assert.deepEqual(await subjectsIn(alice, 'Private'), ['secret']);
  assert.deepEqual(await subjectsIn(alice, 'Trash'), ['binned']);
  assert.deepEqual(await listed(mallory), DEFAULT_BOXES);
});

/** A second IMAP connection of the same user (e.g. a client on another instance). */
async function newUserClient(user: User): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: imapPort,
    secure: false,
    auth: { user: user.address, pass: PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await client.connect();
  imapClients.push(client);
  return client;
}

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
