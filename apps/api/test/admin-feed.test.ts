import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { findFreePort } from '@wildduck/embedded-store';
import { createUser } from '@wildduck/store';
import { repoRoot, startMailServer, type MailServerProcess } from '../../../e2e/imap/server-process.js';

/**
 * The administrators' feed across PROCESSES: a mail server and an API on one store and one Redis.
 * What the mail server does (an LMTP delivery, IMAP sign-ins, a quota warning) reaches a
 * subscriber of the API; a resume with `since` replays exactly what came after the cursor.
 */

const PASSWORD = 'feed-secret-1';
const QUOTA = 20_000;

interface AdminEvent {
  cursor: string;
  id: string;
  type: string;
  at: string;
  userId: string | null;
  address: string | null;
  protocol: string | null;
  remote: string | null;
  detail: string | null;
  size: number | null;
  storageUsed: number | null;
  quota: number | null;
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; field?: string };
}

const EVENT_FIELDS = 'cursor id type at userId address protocol remote detail size storageUsed quota';
const SUBSCRIPTION = `subscription ($since: String, $types: [AdminEventType!]) {
  adminEvents(since: $since, types: $types) { ${EVENT_FIELDS} }
}`;

let mail: MailServerProcess;
let api: ChildProcess;
let apiUrl: string;
let apiOutput = '';
let dataDir: string;
let adminToken: string;
let bobToken: string;
let aliceId: string;
const clients: Client[] = [];

async function graphql<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ data?: T; errors?: GraphQLErrorShape[] }> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: GraphQLErrorShape[] };
}

async function signIn(address: string): Promise<string> {
  const result = await graphql<{ signIn: { token: string } }>(
    'mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { token } }',
    { u: address, p: PASSWORD },
  );
  assert.ok(result.data, JSON.stringify(result.errors));
  return result.data.signIn.token;
}

/** A live subscription: what it got so far, and its error if it ended with one. */
interface Feed {
  events: AdminEvent[];
  error?: GraphQLErrorShape[];
  done: boolean;
  stop(): void;
}

function subscribe(token: string, variables: { since?: string; types?: string[] } = {}): Feed {
  const client = createClient({
    url: `${apiUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  const feed: Feed = { events: [], done: false, stop: () => {} };
  feed.stop = client.subscribe<{ adminEvents: AdminEvent }>(
    { query: SUBSCRIPTION, variables },
    {
      next: (result) => {
        if (result.errors) feed.error = result.errors as unknown as GraphQLErrorShape[];
        if (result.data) feed.events.push(result.data.adminEvents);
      },
      error: (error) => {
        feed.error = Array.isArray(error) ? (error as GraphQLErrorShape[]) : [{ message: String(error) }];
        feed.done = true;
      },
      complete: () => (feed.done = true),
    },
  );
  return feed;
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${apiOutput}\n${mail.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function deliver(to: string, subject: string, text: string): Promise<string[]> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: mail.lmtpPort,
    lmtp: true,
    secure: false,
    ignoreTLS: true,
  });
  try {
    const info = await transport.sendMail({ from: 'sender@outside.example', to, subject, text });
    return info.rejected.map(String);
  } catch (error) {
    // every recipient refused
    return [String((error as Error).message)];
  } finally {
    transport.close();
  }
}

async function imapSignIn(address: string, password: string): Promise<boolean> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: mail.imapsPort,
    secure: true,
    tls: { rejectUnauthorized: false },
    auth: { user: address, pass: password },
    logger: false,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.logout();
    return true;
  } catch {
    return false;
  }
}

before(async () => {
  mail = await startMailServer('adminfeed');
  const apiPort = await findFreePort();
  apiUrl = `http://127.0.0.1:${apiPort}`;
  dataDir = mkdtempSync(join(tmpdir(), 'wd-adminfeed-'));
  api = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      BIND_HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      MONGODB_URI: process.env.MONGODB_URI,
      MONGODB_DB: mail.databaseName,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      API_PORT: String(apiPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout?.on('data', (chunk: Buffer) => (apiOutput += chunk.toString()));
  api.stderr?.on('data', (chunk: Buffer) => (apiOutput += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(`${apiUrl}/healthz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (up) break;
    if (Date.now() > deadline || api.exitCode !== null)
      throw new Error(`the API did not start:\n${apiOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await createUser(mail.db, {
    address: 'admin@feed.example',
    password: PASSWORD,
    role: 'admin',
    quota: null,
  });
  await createUser(mail.db, { address: 'bob@feed.example', password: PASSWORD, role: 'user', quota: null });
  aliceId = (
    await createUser(mail.db, {
      address: 'alice@feed.example',
      password: PASSWORD,
      role: 'user',
      quota: QUOTA,
    })
  )._id.toHexString();
  adminToken = await signIn('admin@feed.example');
  bobToken = await signIn('bob@feed.example');
});

after(async () => {
  for (const client of clients) await client.dispose();
  if (api && api.exitCode === null) {
    api.kill('SIGTERM');
    await new Promise((resolve) => api.once('exit', resolve));
  }
  await mail?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a plain user is refused every admin feed field and the subscription', async () => {
  for (const query of [
    '{ adminEventsCursor }',
    '{ recentAdminEvents { id } }',
    '{ statsHistory(range: HOUR) { at } }',
    `{ userDetail(id: "${'0'.repeat(24)}") { user { id } } }`,
  ]) {
    const result = await graphql(query, {}, bobToken);
    assert.equal(result.errors?.[0]?.extensions?.code, 'FORBIDDEN', query);
  }
  const feed = subscribe(bobToken);
  await waitUntil('the refusal', () => feed.done || !!feed.error);
  assert.equal(feed.error?.[0]?.extensions?.code, 'FORBIDDEN');
  assert.equal(feed.events.length, 0);
});

test('a since that is not an adminEvents cursor is BAD_USER_INPUT naming since', async () => {
  const mailboxCursor = await graphql<{ changesCursor: string }>('{ changesCursor }', {}, bobToken);
  for (const since of [
    'not-a-cursor!',
    Buffer.from('{"v":1}').toString('base64url'),
    mailboxCursor.data!.changesCursor,
  ]) {
    const feed = subscribe(adminToken, { since });
    await waitUntil('the refusal', () => feed.done || !!feed.error);
    assert.equal(feed.error?.[0]?.extensions?.code, 'BAD_USER_INPUT', since);
    assert.equal(feed.error?.[0]?.extensions?.field, 'since');
  }
});

test('deliveries, sign-ins, failures and quota warnings from the mail server reach a subscriber of the API, and since replays exactly the missed ones', async () => {
  const cursor = (await graphql<{ adminEventsCursor: string }>('{ adminEventsCursor }', {}, adminToken)).data!
    .adminEventsCursor;
  const feed = subscribe(adminToken, { since: cursor });
  const only = subscribe(adminToken, { since: cursor, types: ['SIGN_IN_FAILED'] });

  assert.deepEqual(await deliver('alice@feed.example', 'Hello Alice', 'a small message'), []);
  assert.equal(await imapSignIn('alice@feed.example', PASSWORD), true);
  assert.equal(await imapSignIn('alice@feed.example', 'wrong password'), false);
  await signIn('bob@feed.example');
  // about 18.4 kB of 20 kB with the first: over 90 % of the quota
  assert.deepEqual(await deliver('alice@feed.example', 'Big one', `${'x'.repeat(69)}\n`.repeat(240)), []);
  // over the quota: refused, and warned again
  assert.notDeepEqual(await deliver('alice@feed.example', 'Too much', 'y'.repeat(4_000)), []);

  const has = (type: string, check: (event: AdminEvent) => boolean = () => true) =>
    feed.events.some((event) => event.type === type && check(event));
  await waitUntil(
    'every kind of event',
    () =>
      ['DELIVERY', 'SIGN_IN', 'SIGN_IN_FAILED', 'QUOTA_WARNING', 'DELIVERY_FAILED'].every((type) =>
        has(type),
      ) &&
      feed.events.filter((event) => event.type === 'QUOTA_WARNING').length === 2 &&
      feed.events.filter((event) => event.type === 'DELIVERY').length === 2 &&
      has('SIGN_IN', (event) => event.protocol === 'api'),
  );
  assert.equal(feed.error, undefined);

  const delivery = feed.events.find((event) => event.type === 'DELIVERY')!;
  assert.equal(delivery.address, 'alice@feed.example');
  assert.equal(delivery.userId, aliceId);
  assert.equal(delivery.protocol, 'lmtp');
  assert.equal(delivery.remote, 'sender@outside.example');
  assert.equal(delivery.detail, 'Hello Alice');
  assert.ok(delivery.size! > 0);

  const imap = feed.events.find((event) => event.type === 'SIGN_IN' && event.protocol === 'imap')!;
  assert.equal(imap.userId, aliceId);
  assert.equal(imap.remote, '127.0.0.1');
  const failed = feed.events.find((event) => event.type === 'SIGN_IN_FAILED')!;
  assert.equal(failed.address, 'alice@feed.example');
  assert.equal(failed.protocol, 'imap');

  const [crossing, refused] = feed.events.filter((event) => event.type === 'QUOTA_WARNING');
  assert.equal(crossing!.quota, QUOTA);
  assert.ok(crossing!.storageUsed! >= QUOTA * 0.9 && crossing!.storageUsed! <= QUOTA);
  assert.match(refused!.detail!, /refused/);
  assert.equal(feed.events.find((event) => event.type === 'DELIVERY_FAILED')!.detail, 'over quota');

  // each event once, in time order
  assert.equal(new Set(feed.events.map((event) => event.id)).size, feed.events.length);
  const times = feed.events.map((event) => Date.parse(event.at));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
  );
  // the filtered feed saw only the failed sign-in
  await waitUntil('the filtered feed', () => only.events.length >= 1);
  assert.deepEqual(
    only.events.map((event) => event.type),
    ['SIGN_IN_FAILED'],
  );

  // resume after the second event: exactly the rest, once each
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const all = [...feed.events];
  feed.stop();
  const resumed = subscribe(adminToken, { since: all[1]!.cursor });
  const more = deliver('bob@feed.example', 'While away', 'missed and replayed');
  assert.deepEqual(await more, []);
  await waitUntil('the replay and the new delivery', () =>
    resumed.events.some((event) => event.type === 'DELIVERY' && event.address === 'bob@feed.example'),
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const replayed = resumed.events.map((event) => event.id);
  assert.deepEqual(
    replayed.slice(0, all.length - 2),
    all.slice(2).map((event) => event.id),
  );
  assert.equal(replayed.length, all.length - 2 + 1);
});

test('recentAdminEvents lists the latest first, with a type filter', async () => {
  const result = await graphql<{ recentAdminEvents: AdminEvent[] }>(
    `{ recentAdminEvents(first: 3) { ${EVENT_FIELDS} } }`,
    {},
    adminToken,
  );
  const events = result.data!.recentAdminEvents;
  assert.equal(events.length, 3);
  const times = events.map((event) => Date.parse(event.at));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => b - a),
  );
  const quota = await graphql<{ recentAdminEvents: AdminEvent[] }>(
    '{ recentAdminEvents(types: [QUOTA_WARNING]) { type address } }',
    {},
    adminToken,
  );
  assert.deepEqual(
    quota.data!.recentAdminEvents.map((event) => event.type),
    ['QUOTA_WARNING', 'QUOTA_WARNING'],
  );
  const bad = await graphql('{ recentAdminEvents(first: 0) { id } }', {}, adminToken);
  assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(bad.errors?.[0]?.extensions?.field, 'first');
});

test('statsHistory counts the deliveries per minute, hour and day, with storage samples', async () => {
  const ranges = { HOUR: 60, DAY: 24, MONTH: 30 } as const;
  for (const [range, length] of Object.entries(ranges)) {
    const result = await graphql<{
      statsHistory: { at: string; deliveries: number; storage: number | null }[];
    }>(
      'query ($range: StatsRange!) { statsHistory(range: $range) { at deliveries storage } }',
      { range },
      adminToken,
    );
    const points = result.data!.statsHistory;
    assert.equal(points.length, length, range);
    const starts = points.map((point) => Date.parse(point.at));
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => a - b),
    );
    // three stored deliveries (the refused one is not counted); all in this run
    assert.equal(
      points.reduce((sum, point) => sum + point.deliveries, 0),
      3,
      range,
    );
    // the mail server samples the storage when it starts and every minute
    assert.ok(
      points.some((point) => point.storage !== null),
      range,
    );
  }
});

test('userDetail shows the mailboxes, sessions, app passwords and recent events of a user', async () => {
  const aliceToken = await signIn('alice@feed.example');
  const created = await graphql(
    'mutation { createAppPassword(name: "Phone", scopes: [imap]) { password } }',
    {},
    aliceToken,
  );
  assert.equal(created.errors, undefined);
  const read = () =>
    graphql<{
      userDetail: {
        user: { address: string; storageUsed: number; quota: number };
        mailboxes: { path: string; total: number; size: number }[];
        sessions: { client: string | null; remote: string | null; created: string; expires: string }[];
        appPasswords: { name: string }[];
        recentEvents: AdminEvent[];
      };
    }>(
      `
        query ($id: ID!) {
          userDetail(id: $id) {
            user {
              address
              storageUsed
              quota
            }
            mailboxes {
              path
              total
              size
            }
            sessions {
              id
              client
              created
              expires
              remote
            }
            appPasswords {
              name
            }
            recentEvents {
              type
              protocol
              at
            }
          }
        }
      `,
      { id: aliceId },
      adminToken,
    );
  // the recorder writes every 200 ms: alice's sign-in just now is there a moment later
  let result = await read();
  for (let tries = 0; tries < 25 && result.data?.userDetail.recentEvents[0]?.type !== 'SIGN_IN'; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    result = await read();
  }
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  const detail = result.data!.userDetail;
  assert.equal(detail.user.address, 'alice@feed.example');
  assert.equal(detail.mailboxes.length, 6);
  const inbox = detail.mailboxes.find((mailbox) => mailbox.path === 'INBOX')!;
  assert.equal(inbox.total, 2);
  assert.equal(inbox.size, detail.user.storageUsed);
  assert.equal(detail.sessions.length, 1);
  assert.equal(detail.sessions[0]!.client, 'api');
  assert.equal(detail.sessions[0]!.remote, '127.0.0.1');
  assert.deepEqual(
    detail.appPasswords.map((each) => each.name),
    ['Phone'],
  );
  const types = detail.recentEvents.map((event) => event.type);
  assert.ok(
    types.includes('DELIVERY') && types.includes('SIGN_IN') && types.includes('QUOTA_WARNING'),
    types.join(),
  );
  // newest first: alice's own sign-in to the API just now
  assert.equal(detail.recentEvents[0]!.type, 'SIGN_IN');
  assert.equal(detail.recentEvents[0]!.protocol, 'api');

  const unknown = await graphql(`{ userDetail(id: "${'a'.repeat(24)}") { user { id } } }`, {}, adminToken);
  assert.deepEqual(unknown.data, { userDetail: null });
});
