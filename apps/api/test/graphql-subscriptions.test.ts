import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import type { SMTPServer } from 'smtp-server';
import type { Client } from 'graphql-ws';
import { ImapServer } from '@wildduck/imap-core';
import { JunkReporter } from '@wildduck/mail-service';
import { MemoryChangeBus, type ChangeEvent, type ReconnectListener } from '@wildduck/change-bus';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { WebhookOutbox } from '@wildduck/webhooks';
import { findMailbox, parseObjectId, webhookOutboxStore } from '@wildduck/store';
import { StoreImapBackend } from '../../mailserver/src/imap/store-backend.js';
import { loadOrCreateCertificate } from '../../mailserver/src/tls.js';
import { LOGIN_LIMITS } from '../../mailserver/src/runtime.js';
import { createDeliveryServer } from '../../mailserver/src/delivery/delivery-server.js';
import { listenOnFreePort } from '../../mailserver/test/mail-harness.js';
import { changeHub } from '../src/changes/feed.js';
import { startApi, PASSWORD, type ApiHarness } from './graphql-harness.js';

/**
 * mailboxChanges end to end: the API, an IMAP server and an LMTP server on one real store and one
 * change bus, as separate processes would share MongoDB and Redis.
 */

/** An in-process bus whose connection can "drop" (publishes are lost) and come back (reconnect). */
class DroppingBus extends MemoryChangeBus {
  away = false;
  private readonly reconnectListeners = new Set<ReconnectListener>();

  override async publish(event: ChangeEvent): Promise<void> {
    if (!this.away) await super.publish(event);
  }

  override onReconnect(listener: ReconnectListener): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  comeBack(): void {
    this.away = false;
    for (const listener of this.reconnectListeners) listener();
  }
}

const SUBSCRIPTION = `subscription ($since: String, $mailboxId: ID) {
  mailboxChanges(since: $since, mailboxId: $mailboxId) {
    cursor type mailboxId uid modseq flags messageId path
  }
}`;

interface Change {
  cursor: string;
  type: string;
  mailboxId: string;
  uid: number | null;
  modseq: number | null;
  flags: string[] | null;
  messageId: string | null;
  path: string | null;
  /** When the client got it (ms). */
  at: number;
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; field?: string };
}

const bus = new DroppingBus();
let api: ApiHarness;
let imap: ImapServer;
let imapPort: number;
let lmtp: SMTPServer;
let lmtpPort: number;
let receiver: Server;
let webhooks: WebhookOutbox;
const webhookBodies: Record<string, unknown>[] = [];
const openClients: Client[] = [];
const imapClients: ImapFlow[] = [];

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      webhookBodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  api = await startApi('gqlsubs', { bus });
  const ctx = api.services.store;
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  webhooks = new WebhookOutbox({
    targets: [
      { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, secret: 'subscriptions' },
    ],
    store: webhookOutboxStore(api.store.db),
    logger,
    retry: { initialDelayMs: 20 },
    pollIntervalMs: 20,
  }).start();
  const tls = await loadOrCreateCertificate({ dataDir: mkdtempSync(join(tmpdir(), 'wd-tls-')) });
  const backend = new StoreImapBackend({
    ctx,
    bus,
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
    junkReporter: new JunkReporter({ ctx, bus, webhooks, apiUrl: api.url, logger }),
  });
  imap = new ImapServer({ backend, tls, allowPlaintextLogin: true });
  imapPort = (await imap.listen(0)).port;
  lmtp = createDeliveryServer({ ctx, bus, mode: 'lmtp', serverName: 'mx.test.example', logger });
  lmtpPort = await listenOnFreePort(lmtp);
});

after(async () => {
  await Promise.all(imapClients.map((client) => client.logout().catch(() => {})));
  await Promise.all(openClients.map((client) => client.dispose()));
  await new Promise<void>((resolve) => lmtp.close(() => resolve()));
  await imap.close();
  await webhooks.close();
  await api.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

let counter = 0;

/** A new user, signed in: its address, id, session token and INBOX id. */
async function newUser(name: string) {
  const address = `${name}${++counter}@example.com`;
  const id = await api.createUser(address);
  const token = await api.signIn(address);
  const inbox = await findMailbox(api.store.db, parseObjectId(id)!, 'INBOX');
  return { address, id, token, inbox: inbox!._id.toHexString() };
}

async function mailboxId(userId: string, path: string): Promise<string> {
  const mailbox = await findMailbox(api.store.db, parseObjectId(userId)!, path);
  return mailbox!._id.toHexString();
}

/** Delivers one message by LMTP; resolves at the 250 reply (the time is returned). */
async function deliver(address: string, subject: string): Promise<number> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: lmtpPort, lmtp: true });
  try {
    const info = await transport.sendMail({
      from: 'sender@example.org',
      to: address,
      subject,
      text: `This is ${subject}.`,
    });
    assert.deepEqual(info.accepted, [address]);
    return Date.now();
  } finally {
    transport.close();
  }
}

async function imapClient(address: string): Promise<ImapFlow> {
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
  return client;
}

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One graphql-ws subscription to mailboxChanges, collecting what it receives. */
class Subscriber {
  readonly changes: Change[] = [];
  errors: GraphQLErrorShape[] | null = null;
  completed = false;
  private readonly stop: () => void;

  constructor(
    readonly client: Client,
    variables: { since?: string | null; mailboxId?: string | null },
  ) {
    this.stop = client.subscribe<{ mailboxChanges: Omit<Change, 'at'> }>(
      { query: SUBSCRIPTION, variables },
      {
        next: (result) => {
          if (result.errors) this.errors = result.errors as GraphQLErrorShape[];
          else if (result.data) this.changes.push({ ...result.data.mailboxChanges, at: Date.now() });
        },
        error: (error) => {
          this.errors = Array.isArray(error)
            ? (error as GraphQLErrorShape[])
            : [{ message: String((error as Error).message ?? error) }];
        },
        complete: () => {
          this.completed = true;
        },
      },
    );
  }

  /** Subscribes and waits until the server has set the subscription up. */
  static async open(
    token: string | null,
    variables: { since?: string | null; mailboxId?: string | null } = {},
  ): Promise<Subscriber> {
    const hub = changeHub(api.services);
    const started = hub.stats().started;
    const client = api.wsClient(token);
    openClients.push(client);
    const subscriber = new Subscriber(client, variables);
    await until(
      () => hub.stats().started > started || subscriber.errors !== null,
      'the subscription to start',
    );
    return subscriber;
  }

  async waitFor(count: number, ms = 5000): Promise<Change[]> {
    await until(
      () => this.changes.length >= count || this.errors !== null,
      `${count} changes (have ${this.changes.length})`,
      ms,
    );
    assert.equal(this.errors, null, JSON.stringify(this.errors));
    return this.changes.slice(0, count);
  }

  async failure(ms = 5000): Promise<GraphQLErrorShape[]> {
    await until(() => this.errors !== null, 'an error', ms);
    return this.errors!;
  }

  get last(): Change {
    return this.changes.at(-1)!;
  }

  close(): void {
    this.stop();
  }
}

test('a subscriber gets EXISTS within a second of an LMTP delivery, with the message id', async () => {
  const alice = await newUser('alice');
  const feed = await Subscriber.open(alice.token);
  const delivered = await deliver(alice.address, 'hello');
  const [change] = await feed.waitFor(1, 1000);
  assert.ok(change!.at - delivered < 1000, `EXISTS after ${change!.at - delivered} ms`);
  assert.equal(change!.type, 'EXISTS');
  assert.equal(change!.mailboxId, alice.inbox);
  assert.equal(change!.uid, 1);
  assert.deepEqual(change!.flags, []);
  assert.ok(change!.modseq! > 1);
  const stored = await api.store.db.collection('messages').findOne({ mailbox: parseObjectId(alice.inbox) });
  assert.equal(change!.messageId, stored!._id.toHexString());
  assert.match(change!.cursor, /^[A-Za-z0-9_-]+$/);
  feed.close();
});

test('FLAGS when an IMAP client sets \\Seen, and EXPUNGE when it deletes', async () => {
  const user = await newUser('flags');
  await deliver(user.address, 'to be read');
  const feed = await Subscriber.open(user.token);
  const client = await imapClient(user.address);
  await client.mailboxOpen('INBOX');
  await client.messageFlagsAdd('1', ['\\Seen'], { uid: true });
  const [flags] = await feed.waitFor(1, 1000);
  assert.equal(flags!.type, 'FLAGS');
  assert.equal(flags!.uid, 1);
  assert.deepEqual(flags!.flags, ['\\Seen']);
  assert.equal(flags!.mailboxId, user.inbox);
  assert.match(flags!.messageId ?? '', /^[0-9a-f]{24}$/);

  await client.messageDelete('1', { uid: true });
  await until(() => feed.changes.some((change) => change.type === 'EXPUNGE'), 'EXPUNGE');
  const expunge = feed.changes.find((change) => change.type === 'EXPUNGE')!;
  assert.equal(expunge.uid, 1);
  assert.ok(expunge.modseq! > flags!.modseq!);
  feed.close();
});

test('resuming with since replays exactly what was missed, in order, then follows live', async () => {
  const user = await newUser('resume');
  const first = await Subscriber.open(user.token);
  await deliver(user.address, 'seen live');
  const [seen] = await first.waitFor(1);
  first.close();

  for (const subject of ['missed 1', 'missed 2', 'missed 3']) await deliver(user.address, subject);

  const resumed = await Subscriber.open(user.token, { since: seen!.cursor });
  const replayed = await resumed.waitFor(3);
  assert.deepEqual(
    replayed.map((change) => [change.type, change.uid, change.mailboxId]),
    [
      ['EXISTS', 2, user.inbox],
      ['EXISTS', 3, user.inbox],
      ['EXISTS', 4, user.inbox],
    ],
  );
  assert.ok(replayed[0]!.modseq! < replayed[1]!.modseq! && replayed[1]!.modseq! < replayed[2]!.modseq!);
  await pause(300);
  assert.equal(resumed.changes.length, 3, 'nothing more than what was missed');

  await deliver(user.address, 'live again');
  const [, , , live] = await resumed.waitFor(4);
  assert.equal(live!.uid, 5);

  // a cursor from the middle replays from there
  resumed.close();
  const again = await Subscriber.open(user.token, { since: replayed[1]!.cursor });
  assert.deepEqual(
    (await again.waitFor(2)).map((change) => change.uid),
    [4, 5],
  );
  again.close();
});

test('changesCursor, then subscribe with it: a change in between is not missed', async () => {
  const user = await newUser('between');
  const answer = await api.gql<{ changesCursor: string }>('{ changesCursor }', {}, user.token);
  const cursor = answer.data!.changesCursor;
  await deliver(user.address, 'in between');
  const feed = await Subscriber.open(user.token, { since: cursor });
  const [change] = await feed.waitFor(1);
  assert.equal(change!.type, 'EXISTS');
  assert.equal(change!.uid, 1);
  feed.close();
});

test("isolation: B never sees A's changes; A's mailbox id answers NOT_FOUND; A's cursor is refused", async () => {
  const a = await newUser('isoa');
  const b = await newUser('isob');
  const feedA = await Subscriber.open(a.token);
  const feedB = await Subscriber.open(b.token);
  await deliver(a.address, 'for A only');
  const [change] = await feedA.waitFor(1);
  await pause(300);
  assert.equal(feedB.changes.length, 0);

  const forged = await Subscriber.open(b.token, { mailboxId: a.inbox });
  const errors = await forged.failure();
  assert.equal(errors[0]!.extensions?.code, 'NOT_FOUND');
  const madeUp = await Subscriber.open(b.token, { mailboxId: 'not-an-id' });
  assert.equal((await madeUp.failure())[0]!.extensions?.code, 'NOT_FOUND');

  const stolen = await Subscriber.open(b.token, { since: change!.cursor });
  const stolenErrors = await stolen.failure();
  assert.equal(stolenErrors[0]!.extensions?.code, 'BAD_USER_INPUT');
  const garbage = await Subscriber.open(b.token, { since: 'bm90IGEgY3Vyc29y' });
  assert.equal((await garbage.failure())[0]!.extensions?.code, 'BAD_USER_INPUT');
  feedA.close();
  feedB.close();
});

test('without a token the subscription fails with UNAUTHENTICATED', async () => {
  const feed = await Subscriber.open(null);
  const errors = await feed.failure();
  assert.equal(errors[0]!.extensions?.code, 'UNAUTHENTICATED');
  const bad = await Subscriber.open('not-a-token');
  assert.equal((await bad.failure())[0]!.extensions?.code, 'UNAUTHENTICATED');
});

test('a personal access token without the subscribe scope gets FORBIDDEN; with it, changes', async () => {
  const user = await newUser('scoped');
  const CREATE = `mutation ($scopes: [Scope!]!) { createAccessToken(name: "app", scopes: $scopes) { token } }`;
  const readOnly = await api.gql<{ createAccessToken: { token: string } }>(
    CREATE,
    { scopes: ['read'] },
    user.token,
  );
  assert.ok(readOnly.data?.createAccessToken, JSON.stringify(readOnly.errors));
  const denied = await Subscriber.open(readOnly.data.createAccessToken.token);
  assert.equal((await denied.failure())[0]!.extensions?.code, 'FORBIDDEN');

  const subscribe = await api.gql<{ createAccessToken: { token: string } }>(
    CREATE,
    { scopes: ['subscribe'] },
    user.token,
  );
  const feed = await Subscriber.open(subscribe.data!.createAccessToken.token);
  await deliver(user.address, 'for the app');
  assert.equal((await feed.waitFor(1))[0]!.type, 'EXISTS');
  feed.close();
});

test('an IMAP MOVE into Junk is SPAM for the webhook and the subscription, and replays from a cursor', async () => {
  const user = await newUser('junk');
  const junk = await mailboxId(user.id, 'Junk');
  await deliver(user.address, 'cheap pills');
  const feed = await Subscriber.open(user.token);
  const cursor = (await api.gql<{ changesCursor: string }>('{ changesCursor }', {}, user.token)).data!
    .changesCursor;
  const client = await imapClient(user.address);
  await client.mailboxOpen('INBOX');
  assert.ok(await client.messageMove('1', 'Junk', { uid: true }));

  await until(() => feed.changes.some((change) => change.type === 'SPAM'), 'SPAM on the subscription');
  const spam = feed.changes.find((change) => change.type === 'SPAM')!;
  assert.equal(spam.mailboxId, junk);
  assert.equal(spam.path, 'Junk');
  assert.equal(spam.uid, 1);
  await until(
    () => webhookBodies.some((body) => body.type === 'SPAM' && body.user === user.id),
    'SPAM on the webhook',
  );
  const hook = webhookBodies.find((body) => body.type === 'SPAM' && body.user === user.id)!;
  assert.equal((hook.message as { id: string }).id, spam.messageId);
  // the move itself: EXISTS in Junk, EXPUNGE in INBOX
  await until(() => feed.changes.length >= 3, 'the move');
  assert.ok(feed.changes.some((change) => change.type === 'EXISTS' && change.mailboxId === junk));
  assert.ok(feed.changes.some((change) => change.type === 'EXPUNGE' && change.mailboxId === user.inbox));
  feed.close();

  // SPAM is journalled: a subscriber that was away replays it
  const replay = await Subscriber.open(user.token, { since: cursor });
  await until(() => replay.changes.some((change) => change.type === 'SPAM'), 'SPAM replayed');
  assert.equal(replay.changes.find((change) => change.type === 'SPAM')!.messageId, spam.messageId);
  await pause(200);
  assert.equal(replay.changes.filter((change) => change.type === 'SPAM').length, 1);
  replay.close();
});

test('mailbox filter: only that mailbox', async () => {
  const user = await newUser('filter');
  const junk = await mailboxId(user.id, 'Junk');
  const feed = await Subscriber.open(user.token, { mailboxId: junk });
  await deliver(user.address, 'stays in INBOX');
  const client = await imapClient(user.address);
  await client.append('Junk', 'From: x@example.org\r\nSubject: straight to Junk\r\n\r\nhi\r\n');
  const [change] = await feed.waitFor(1);
  assert.equal(change!.type, 'EXISTS');
  assert.equal(change!.mailboxId, junk);
  await pause(200);
  assert.equal(feed.changes.length, 1);
  feed.close();
});

test('mailbox created, renamed and deleted over IMAP, live and replayed from a cursor', async () => {
  const user = await newUser('folders');
  const feed = await Subscriber.open(user.token);
  const cursor = (await api.gql<{ changesCursor: string }>('{ changesCursor }', {}, user.token)).data!
    .changesCursor;
  const client = await imapClient(user.address);
  await client.mailboxCreate('Projects');
  await until(() => feed.changes.some((change) => change.type === 'MAILBOX_CREATED'), 'MAILBOX_CREATED');
  const created = feed.changes.find((change) => change.type === 'MAILBOX_CREATED')!;
  assert.equal(created.path, 'Projects');
  await client.append('Projects', 'From: x@example.org\r\nSubject: plan\r\n\r\nplan\r\n');
  await client.mailboxRename('Projects', 'Work');
  await until(() => feed.changes.some((change) => change.type === 'MAILBOX_RENAMED'), 'MAILBOX_RENAMED');
  await client.mailboxDelete('Work');
  await until(() => feed.changes.some((change) => change.type === 'MAILBOX_DELETED'), 'MAILBOX_DELETED');
  const live = feed.changes.map((change) => [change.type, change.mailboxId, change.path]);
  assert.deepEqual(live, [
    ['MAILBOX_CREATED', created.mailboxId, 'Projects'],
    ['EXISTS', created.mailboxId, null],
    ['MAILBOX_RENAMED', created.mailboxId, 'Work'],
    ['MAILBOX_DELETED', created.mailboxId, 'Work'],
  ]);
  feed.close();

  // replayed: the mailbox is gone with its journal, but its creation was followed by a deletion
  const replay = await Subscriber.open(user.token, { since: cursor });
  await until(() => replay.changes.some((change) => change.type === 'MAILBOX_DELETED'), 'replayed deletion');
  const types = replay.changes.map((change) => change.type);
  assert.ok(types.includes('MAILBOX_RENAMED'));
  assert.equal(types.filter((type) => type === 'MAILBOX_DELETED').length, 1);
  replay.close();
});

test('after the bus reconnects, what was published while it was away arrives from the journal', async () => {
  const user = await newUser('reconnect');
  const feed = await Subscriber.open(user.token);
  bus.away = true;
  await deliver(user.address, 'while Redis was away');
  await pause(300);
  assert.equal(feed.changes.length, 0, 'the publish was lost');
  bus.comeBack();
  const [change] = await feed.waitFor(1, 2000);
  assert.equal(change!.type, 'EXISTS');
  assert.equal(change!.uid, 1);
  feed.close();
});

test('200 subscribers of one user share one feed; all get EXISTS; leaving removes every listener', async () => {
  const user = await newUser('many');
  const hub = changeHub(api.services);
  const baseline = hub.stats();
  const client = api.wsClient(user.token);
  openClients.push(client);
  const feeds = Array.from({ length: 200 }, () => new Subscriber(client, {}));
  await until(() => hub.stats().started >= baseline.started + 200, '200 subscriptions');
  assert.equal(hub.stats().users, baseline.users + 1, 'one feed (one bus subscription) for the user');
  const delivered = await deliver(user.address, 'for everyone');
  await until(() => feeds.every((feed) => feed.changes.length === 1), 'EXISTS on every subscription');
  const slowest = Math.max(...feeds.map((feed) => feed.changes[0]!.at - delivered));
  assert.ok(slowest < 1000, `slowest ${slowest} ms`);
  for (const feed of feeds) feed.close();
  await until(() => hub.stats().subscribers === baseline.subscribers, 'the subscriptions to end');
  assert.equal(hub.stats().users, baseline.users);
});
