import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ObjectId } from 'mongodb';
import { ImapFlow } from 'imapflow';
import { pino } from 'pino';
import { ImapServer } from '@wildduck/imap-core';
import { JunkReporter, deleteMailbox } from '@wildduck/mail-service';
import { createExpiringRecords, MemoryRateLimiter, type ExpiringRecords } from '@wildduck/coordination';
import { appendMessage, findMailbox, parseObjectId } from '@wildduck/store';
import { StoreImapBackend } from '../../mailserver/src/imap/store-backend.js';
import { loadOrCreateCertificate } from '../../mailserver/src/tls.js';
import { LOGIN_LIMITS } from '../../mailserver/src/runtime.js';
import { mailContextOf } from '../src/mail/mail-account.js';
import { startApi, PASSWORD, type ApiHarness } from './graphql-harness.js';
import { textMessage } from './mail-fixtures.js';

/**
 * bulkMessages and undoBulk against the real API, with an IMAP server on the same store and bus:
 * what a bulk action did is checked as an IMAP client sees it.
 */

let api: ApiHarness;
let imap: ImapServer;
let imapPort: number;
let undoRecords: ExpiringRecords;
const imapClients: ImapFlow[] = [];

before(async () => {
  api = await startApi('bulk');
  // undo records in Redis when the run has it (as openApiServices does), else in this process
  undoRecords = createExpiringRecords(
    process.env.REDIS_URL,
    `bulk-undo-test-${new ObjectId().toHexString()}`,
  );
  api.services.bulkUndo = undoRecords;
  const ctx = api.services.store;
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const tls = await loadOrCreateCertificate({ dataDir: mkdtempSync(join(tmpdir(), 'wd-tls-')) });
  const backend = new StoreImapBackend({
    ctx,
    bus: api.bus,
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
    junkReporter: new JunkReporter({ ctx, bus: api.bus, apiUrl: api.url, logger }),
  });
  imap = new ImapServer({ backend, tls, allowPlaintextLogin: true });
  imapPort = (await imap.listen(0)).port;
});

// each test's IMAP clients leave with it (an idle one would time out during the long test)
afterEach(async () => {
  await Promise.all(imapClients.splice(0).map((client) => client.logout().catch(() => {})));
});

after(async () => {
  await imap.close();
  await undoRecords.close();
  await api.close();
});

let counter = 0;

/** A new user, signed in: its address, id and session token. */
async function newUser(name: string) {
  const address = `${name}${++counter}@example.com`;
  const id = await api.createUser(address);
  const token = await api.signIn(address);
  return { address, id, token };
}
type User = Awaited<ReturnType<typeof newUser>>;

async function mailboxIdOf(user: User, path: string): Promise<string> {
  const mailbox = await findMailbox(api.store.db, parseObjectId(user.id)!, path);
  assert.ok(mailbox, `${path} exists`);
  return mailbox._id!.toHexString();
}

/** Stores messages in a mailbox through the store (a few at a time); their ids, in order. */
async function seed(user: User, path: string, subjects: readonly string[]): Promise<string[]> {
  const mailbox = new ObjectId(await mailboxIdOf(user, path));
  const ids: string[] = new Array<string>(subjects.length);
  let next = 0;
  const worker = async () => {
    while (next < subjects.length) {
      const index = next++;
      const bytes = textMessage({ subject: subjects[index]!, to: user.address });
      const outcome = await appendMessage(
        api.services.store,
        new ObjectId(user.id),
        mailbox,
        Readable.from([bytes]),
      );
      if (!outcome.ok) throw new Error(`append failed: ${outcome.code}`);
      ids[index] = outcome.id.toHexString();
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return ids;
}

async function imapClient(user: User): Promise<ImapFlow> {
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

/** Subjects and flags of a mailbox as IMAP shows them, by subject. */
async function imapView(client: ImapFlow, path: string): Promise<Map<string, Set<string>>> {
  const view = new Map<string, Set<string>>();
  const lock = await client.getMailboxLock(path);
  try {
    if ((client.mailbox as { exists: number }).exists === 0) return view;
    for await (const message of client.fetch('1:*', { envelope: true, flags: true }))
      // (an unsolicited FETCH of a flag change made meanwhile has no envelope)
      if (message.envelope) view.set(message.envelope.subject ?? '', message.flags ?? new Set());
  } finally {
    lock.release();
  }
  return view;
}

async function imapCount(client: ImapFlow, path: string): Promise<number> {
  return (await client.status(path, { messages: true })).messages ?? -1;
}

const BULK = `mutation ($selection: MessageSelection!, $action: BulkAction!, $target: ID) {
  bulkMessages(selection: $selection, action: $action, targetMailboxId: $target) { count undoToken undoSeconds }
}`;
const UNDO = 'mutation ($token: String!) { undoBulk(token: $token) }';

interface BulkAnswer {
  count: number;
  undoToken: string | null;
  undoSeconds: number | null;
}

async function bulk(
  user: User,
  selection: Record<string, unknown>,
  action: string,
  target?: string,
): Promise<BulkAnswer> {
  const answer = await api.gql<{ bulkMessages: BulkAnswer }>(
    BULK,
    { selection, action, ...(target ? { target } : {}) },
    user.token,
  );
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data!.bulkMessages;
}

async function bulkError(user: User, selection: Record<string, unknown>, action: string, target?: string) {
  const answer = await api.gql(BULK, { selection, action, ...(target ? { target } : {}) }, user.token);
  assert.ok(answer.errors?.length, `an error, got ${JSON.stringify(answer.data)}`);
  return answer.errors[0]!;
}

async function undo(user: User, token: string): Promise<number> {
  const answer = await api.gql<{ undoBulk: number }>(UNDO, { token }, user.token);
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data!.undoBulk;
}

async function undoError(user: User, token: string) {
  const answer = await api.gql(UNDO, { token }, user.token);
  assert.ok(answer.errors?.length, `an error, got ${JSON.stringify(answer.data)}`);
  return answer.errors[0]!;
}

test("MARK_READ, FLAG, MARK_UNREAD, UNFLAG by ids: IMAP sees the flags; another user's ids are not acted on", async () => {
  const alice = await newUser('flags');
  const bob = await newUser('other');
  const ids = await seed(alice, 'INBOX', ['one', 'two', 'three', 'four']);
  const [bobsId] = await seed(bob, 'INBOX', ['bob private']);
  const client = await imapClient(alice);

  assert.equal((await bulk(alice, { ids: [ids[0], ids[1], bobsId] }, 'MARK_READ')).count, 2);
  let view = await imapView(client, 'INBOX');
  assert.ok(view.get('one')!.has('\\Seen'));
  assert.ok(view.get('two')!.has('\\Seen'));
  assert.ok(!view.get('three')!.has('\\Seen'));
  const flagged = await bulk(alice, { ids: [ids[1], ids[2]] }, 'FLAG');
  assert.deepEqual(flagged, { count: 2, undoToken: null, undoSeconds: null });
  assert.equal((await bulk(alice, { ids: [ids[0]] }, 'MARK_UNREAD')).count, 1);
  assert.equal((await bulk(alice, { ids: [ids[2]] }, 'UNFLAG')).count, 1);
  view = await imapView(client, 'INBOX');
  assert.deepEqual([...view].map(([subject, flags]) => [subject, [...flags].sort()]).sort(), [
    ['four', []],
    ['one', []],
    ['three', []],
    ['two', ['\\Flagged', '\\Seen']],
  ]);

  // Bob's message, named by Alice, is untouched
  const bobs = await imapView(await imapClient(bob), 'INBOX');
  assert.deepEqual([...bobs.get('bob private')!], []);
  assert.equal((await bulk(alice, { ids: [bobsId] }, 'ARCHIVE')).count, 0);
  assert.equal(await imapCount(await imapClient(bob), 'INBOX'), 1);
});

test('select all in a mailbox with a search, less exceptIds: MOVE, then undo puts them back', async () => {
  const user = await newUser('moveall');
  const ids = await seed(user, 'INBOX', ['report 1', 'report 2', 'report 3', 'report 4', 'lunch']);
  const inbox = await mailboxIdOf(user, 'INBOX');
  const created = await api.gql<{ createMailbox: { id: string } }>(
    'mutation { createMailbox(path: "Projects") { id } }',
    {},
    user.token,
  );
  const projects = created.data!.createMailbox.id;
  const client = await imapClient(user);

  const moved = await bulk(
    user,
    { mailboxId: inbox, search: { subject: 'report' }, exceptIds: [ids[1]] },
    'MOVE',
    projects,
  );
  assert.equal(moved.count, 3);
  assert.equal(moved.undoSeconds, 60);
  assert.match(moved.undoToken!, /^[A-Za-z0-9_-]{20,}$/);
  assert.deepEqual([...(await imapView(client, 'INBOX')).keys()].sort(), ['lunch', 'report 2']);
  assert.deepEqual([...(await imapView(client, 'Projects')).keys()].sort(), [
    'report 1',
    'report 3',
    'report 4',
  ]);

  // one of them moves on before the undo: it stays where it went
  await bulk(user, { ids: [ids[3]] }, 'ARCHIVE');
  assert.equal(await undo(user, moved.undoToken!), 2);
  assert.deepEqual([...(await imapView(client, 'INBOX')).keys()].sort(), [
    'lunch',
    'report 1',
    'report 2',
    'report 3',
  ]);
  assert.equal(await imapCount(client, 'Projects'), 0);
  assert.deepEqual([...(await imapView(client, 'Archive')).keys()], ['report 4']);

  // an undo is used once
  const again = await undoError(user, moved.undoToken!);
  assert.equal(again.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(again.extensions?.field, 'token');
});

test('DELETE: into Trash with undo; in Trash, deleted for good without undo', async () => {
  const user = await newUser('delete');
  const ids = await seed(user, 'INBOX', ['keep', 'bin 1', 'bin 2']);
  const client = await imapClient(user);

  const deleted = await bulk(user, { ids: [ids[1], ids[2]] }, 'DELETE');
  assert.equal(deleted.count, 2);
  assert.ok(deleted.undoToken);
  assert.deepEqual([...(await imapView(client, 'Trash')).keys()].sort(), ['bin 1', 'bin 2']);
  assert.equal(await undo(user, deleted.undoToken!), 2);
  assert.deepEqual([...(await imapView(client, 'INBOX')).keys()].sort(), ['bin 1', 'bin 2', 'keep']);
  assert.equal(await imapCount(client, 'Trash'), 0);

  await bulk(user, { ids: [ids[1], ids[2]] }, 'DELETE');
  const trash = await mailboxIdOf(user, 'Trash');
  const purged = await bulk(user, { mailboxId: trash }, 'DELETE');
  assert.deepEqual(purged, { count: 2, undoToken: null, undoSeconds: null });
  assert.equal(await imapCount(client, 'Trash'), 0);
  const gone = await api.gql<{ message: unknown }>(
    'query ($id: ID!) { message(id: $id) { id } }',
    { id: ids[1] },
    user.token,
  );
  assert.equal(gone.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  assert.equal(await imapCount(client, 'INBOX'), 1);
});

test('REPORT_SPAM moves to Junk and raises SPAM; ARCHIVE makes Archive again when it was deleted', async () => {
  const user = await newUser('spam');
  const ids = await seed(user, 'INBOX', ['cheap pills', 'newsletter', 'friend']);
  const cursor = (await api.gql<{ changesCursor: string }>('{ changesCursor }', {}, user.token)).data!
    .changesCursor;
  const client = await imapClient(user);

  const spam = await bulk(user, { ids: [ids[0]] }, 'REPORT_SPAM');
  assert.equal(spam.count, 1);
  assert.deepEqual([...(await imapView(client, 'Junk')).keys()], ['cheap pills']);
  const types = await changeTypesSince(user, cursor, (seen) => seen.includes('SPAM'));
  assert.ok(types.includes('SPAM'), types.join(' '));

  // Archive was deleted (with the mail service, as a client would): it is made again
  const archive = await findMailbox(api.store.db, parseObjectId(user.id)!, 'Archive');
  assert.ok((await deleteMailbox(mailContextOf(api.services), parseObjectId(user.id)!, archive!)).ok);
  const archived = await bulk(user, { ids: [ids[1]] }, 'ARCHIVE');
  assert.equal(archived.count, 1);
  assert.deepEqual([...(await imapView(client, 'Archive')).keys()], ['newsletter']);
  const list = await client.list();
  assert.ok(list.some((box) => box.path === 'Archive' && box.specialUse === '\\Archive'));

  // undoing the spam report moves it back out of Junk
  assert.equal(await undo(user, spam.undoToken!), 1);
  assert.deepEqual([...(await imapView(client, 'INBOX')).keys()].sort(), ['cheap pills', 'friend']);
});

/** The change types of the user's feed after `cursor`, read until `enough` or 5 s. */
async function changeTypesSince(user: User, cursor: string, enough: (types: string[]) => boolean) {
  const client = api.wsClient(user.token);
  const types: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, 5000);
    const stop = client.subscribe<{ mailboxChanges: { type: string } }>(
      {
        query: 'subscription ($since: String) { mailboxChanges(since: $since) { type } }',
        variables: { since: cursor },
      },
      {
        next: (result) => {
          if (result.data) types.push(result.data.mailboxChanges.type);
          if (enough(types)) {
            clearTimeout(timer);
            stop();
            resolve();
          }
        },
        error: reject,
        complete: () => {},
      },
    );
  });
  await client.dispose();
  return types;
}

test("undo: another user's token does nothing; an expired token is refused, naming the token", async () => {
  const alice = await newUser('undoa');
  const mallory = await newUser('undom');
  const ids = await seed(alice, 'INBOX', ['a', 'b']);
  const client = await imapClient(alice);
  const moved = await bulk(alice, { ids }, 'ARCHIVE');
  assert.equal(moved.count, 2);

  const stolen = await undoError(mallory, moved.undoToken!);
  assert.equal(stolen.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(stolen.extensions?.field, 'token');
  assert.equal(await imapCount(client, 'Archive'), 2);
  // it was left for its owner
  assert.equal(await undo(alice, moved.undoToken!), 2);

  // a record that outlived its time (kept for one second here) is gone, as after 60 s
  const again = await bulk(alice, { ids }, 'ARCHIVE');
  const record = await undoRecords.peek(again.undoToken!);
  await undoRecords.put(again.undoToken!, record!, 1);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const expired = await undoError(alice, again.undoToken!);
  assert.equal(expired.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(expired.extensions?.field, 'token');
  assert.match(expired.message, /no longer possible.*60 seconds/);
  assert.equal(await imapCount(client, 'Archive'), 2);

  const nonsense = await undoError(alice, 'not a token!');
  assert.equal(nonsense.extensions?.field, 'token');
});

test('bad selections and targets answer BAD_USER_INPUT naming the field, and change nothing', async () => {
  const user = await newUser('bad');
  const ids = await seed(user, 'INBOX', ['x']);
  const inbox = await mailboxIdOf(user, 'INBOX');
  const client = await imapClient(user);

  for (const selection of [{}, { ids, mailboxId: inbox }, { ids, exceptIds: ids }]) {
    const error = await bulkError(user, selection, 'MARK_READ');
    assert.equal(error.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(selection));
    assert.equal(error.extensions?.field, 'selection');
  }
  const noTarget = await bulkError(user, { ids }, 'MOVE');
  assert.equal(noTarget.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(noTarget.extensions?.field, 'targetMailboxId');
  const other = await newUser('badother');
  const notMine = await bulkError(user, { ids }, 'MOVE', await mailboxIdOf(other, 'INBOX'));
  assert.equal(notMine.extensions?.code, 'NOT_FOUND');
  const foreignBox = await bulkError(user, { mailboxId: await mailboxIdOf(other, 'INBOX') }, 'MARK_READ');
  assert.equal(foreignBox.extensions?.code, 'NOT_FOUND');

  assert.equal(await imapCount(client, 'INBOX'), 1);
  assert.deepEqual([...(await imapView(client, 'INBOX')).get('x')!], []);
});

/** Messages of the timed test: 300 keep the suite short (a flag change costs a store update per message on FerretDB); BULK_FIGURES_SIZE to measure more. */
const FIGURES_SIZE = Number(process.env.BULK_FIGURES_SIZE ?? 300);

test(
  'a whole mailbox (300 messages; BULK_FIGURES_SIZE for more): MARK_READ, MOVE and undo in one request each (timed)',
  { timeout: 240_000 },
  async () => {
    const user = await newUser('whole');
    const size = FIGURES_SIZE;
    const figures: string[] = [];
    const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
      const start = Date.now();
      const result = await work();
      const ms = Date.now() - start;
      figures.push(`${what} ${ms} ms (${Math.round((size * 1000) / ms)} messages/s)`);
      console.log(`[bulk figures] ${size} messages: ${figures.at(-1)}`);
      return result;
    };
    await timed('seed (store append, 6 at a time)', () =>
      seed(
        user,
        'INBOX',
        Array.from({ length: size }, (_, index) => `bulk ${index}`),
      ),
    );
    const inbox = await mailboxIdOf(user, 'INBOX');

    const read = await timed('MARK_READ', () => slowBulk(user, { mailboxId: inbox }, 'MARK_READ'));
    assert.equal(read.count, size);
    let client = await imapClient(user);
    assert.equal((await client.status('INBOX', { unseen: true })).unseen, 0);
    await client.logout();

    const archived = await timed('ARCHIVE (a move)', () => slowBulk(user, { mailboxId: inbox }, 'ARCHIVE'));
    assert.equal(archived.count, size);
    client = await imapClient(user);
    assert.equal(await imapCount(client, 'INBOX'), 0);
    assert.equal(await imapCount(client, 'Archive'), size);
    await client.logout();

    const undone = await timed('undo', () =>
      slowPost<{ undoBulk: number }>(user, UNDO, { token: archived.undoToken }),
    );
    assert.equal(undone.undoBulk, size);
    client = await imapClient(user);
    assert.equal(await imapCount(client, 'INBOX'), size);
    assert.equal(await imapCount(client, 'Archive'), 0);
    console.log(`[bulk figures] store ${process.env.MONGODB_URI}: ${figures.join('; ')}`);
  },
);

/** bulk(), over node:http without a deadline: fetch gives up after 300 s without an answer. */
async function slowBulk(user: User, selection: Record<string, unknown>, action: string): Promise<BulkAnswer> {
  return (await slowPost<{ bulkMessages: BulkAnswer }>(user, BULK, { selection, action })).bulkMessages;
}

async function slowPost<T>(user: User, query: string, variables: Record<string, unknown>): Promise<T> {
  const body = JSON.stringify({ query, variables });
  const text = await new Promise<string>((resolve, reject) => {
    const request = httpRequest(
      `${api.url}/graphql`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      },
      (response) => {
        let data = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (data += chunk));
        response.on('end', () => resolve(data));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
  const answer = JSON.parse(text) as { data?: T; errors?: unknown };
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data!;
}
