/**
 * Two mail server PROCESSES on one store and one Redis (the way to scale out): a client idling on
 * instance A sees, at once, what happens through instance B (an LMTP delivery, a flag change, an
 * expunge); appends through both give distinct, increasing UIDs; and when Redis goes away and
 * comes back, A catches up from the journal with nothing missed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { findFreePort } from '@wildduck/embedded-store';
import { RawImapClient } from '../../apps/mailserver/test/raw-client.js';
import { DEFAULT_PASSWORD, startMailServer, type MailServerProcess } from './server-process.js';

/** A redis-server of this test's own, so it can be stopped and started again mid-test. */
class OwnRedis {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'wd-redis-'));
  constructor(readonly port: number) {}
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      {
        stdio: 'ignore',
      },
    );
    const deadline = Date.now() + 10_000;
    while (!(await this.answers())) {
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
  private async answers(): Promise<boolean> {
    const { connect } = await import('node:net');
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.write('PING\r\n');
        socket.once('data', (data) => {
          socket.destroy();
          resolve(data.toString().startsWith('+PONG'));
        });
      });
      socket.once('error', () => resolve(false));
    });
  }
}

const USER = 'cluster@example.com';
let redis: OwnRedis;
let a: MailServerProcess;
let b: MailServerProcess;

before(async () => {
  redis = new OwnRedis(await findFreePort());
  await redis.start();
  a = await startMailServer('instA', { redisUrl: redis.url });
  b = await startMailServer('instB', { redisUrl: redis.url, shareDatabase: a.databaseName });
  await a.createUser(USER);
});
after(async () => {
  await b?.stop();
  await a?.stop();
  await redis?.remove();
});

/** An IMAP session on instance A, selected on INBOX and idling, that records when each line arrived. */
async function idleOn(
  instance: MailServerProcess,
): Promise<{ client: RawImapClient; done(): Promise<void> }> {
  const client = await RawImapClient.open(instance.imapsPort, true);
  await client.command(`LOGIN ${USER} ${DEFAULT_PASSWORD}`);
  await client.command('SELECT INBOX');
  client.write('I1 IDLE\r\n');
  await client.waitFor(/^\+ /m);
  return {
    client,
    async done() {
      client.write('DONE\r\n');
      await client.waitFor(/^I1 OK/m);
      client.close();
    },
  };
}

async function deliverByLmtp(instance: MailServerProcess, subject: string): Promise<number> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: instance.lmtpPort, lmtp: true });
  await transport.sendMail({ from: 'sender@example.org', to: USER, subject, text: `body of ${subject}` });
  transport.close();
  return Date.now();
}

function imapOn(instance: MailServerProcess): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port: instance.imapsPort,
    secure: true,
    auth: { user: USER, pass: DEFAULT_PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
}

test('a delivery, a flag change and an expunge through instance B reach an IDLE session on instance A within a second', async () => {
  const idle = await idleOn(a);
  const delivered = await deliverByLmtp(b, 'through B');
  await idle.client.waitFor(/^\* 1 EXISTS\r\n/m);
  const existsAfter = Date.now() - delivered;
  assert.ok(existsAfter < 1000, `EXISTS came ${existsAfter} ms after the LMTP delivery ended`);

  const other = imapOn(b);
  await other.connect();
  await other.mailboxOpen('INBOX');
  const flagged = Date.now();
  await other.messageFlagsAdd('1', ['\\Flagged'], { uid: true });
  await idle.client.waitFor(/^\* 1 FETCH \(UID 1 FLAGS \(\\Flagged\)\)\r\n/m);
  assert.ok(Date.now() - flagged < 1000, `FETCH FLAGS came ${Date.now() - flagged} ms after STORE`);

  const expunged = Date.now();
  await other.messageDelete('1', { uid: true });
  await idle.client.waitFor(/^\* 1 EXPUNGE\r\n/m);
  assert.ok(Date.now() - expunged < 1000, `EXPUNGE came ${Date.now() - expunged} ms after it was made`);
  await other.logout();
  await idle.done();
});

test('APPENDs through both instances at once get distinct UIDs, increasing for each client', async () => {
  const clients = [imapOn(a), imapOn(b), imapOn(a), imapOn(b)];
  await Promise.all(clients.map((client) => client.connect()));
  const results = await Promise.all(
    clients.map(async (client, index) => {
      const uids: number[] = [];
      for (let round = 0; round < 10; round++) {
        const appended = await client.append('INBOX', `Subject: c${index} r${round}\r\n\r\nappend\r\n`);
        assert.ok(appended, 'APPEND succeeded');
        uids.push(Number(appended.uid));
      }
      return uids;
    }),
  );
  await Promise.all(clients.map((client) => client.logout()));
  const all = results.flat();
  assert.equal(new Set(all).size, all.length, `40 distinct UIDs: ${all.join(',')}`);
  for (const uids of results)
    assert.deepEqual(
      uids,
      [...uids].sort((x, y) => x - y),
    );
});

test('with Redis stopped, changes through B are journalled; when Redis is back, the IDLE session on A catches up', async () => {
  const check = imapOn(a);
  await check.connect();
  const before = await check.status('INBOX', { messages: true });
  await check.logout();
  const idle = await idleOn(a);

  await redis.stop();
  const subject = 'while Redis was away';
  await deliverByLmtp(b, subject);
  const other = imapOn(b);
  await other.connect();
  await other.mailboxOpen('INBOX');
  const newest = await other.fetchOne('*', { uid: true });
  assert.ok(newest);
  await other.messageFlagsAdd(String(newest.uid), ['\\Seen'], { uid: true });
  await other.logout();

  await redis.start();
  assert.ok(before);
  const count = (before.messages ?? 0) + 1;
  // the subscriber reconnects with backoff (at most 2 s between tries), then re-reads the journal
  await idle.client.waitFor(new RegExp(`^\\* ${count} EXISTS\r\n`, 'm'));
  await idle.client.waitFor(
    new RegExp(`^\\* ${count} FETCH \\(UID ${newest.uid} FLAGS \\(\\\\Seen\\)\\)\r\n`, 'm'),
  );
  await idle.done();
});

/** What the store holds for the user's INBOX: UID -> flags, sorted by UID. */
async function storedInbox(): Promise<Map<number, string[]>> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(process.env.MONGODB_URI!);
  try {
    const db = client.db(a.databaseName);
    const user = await db.collection('users').findOne({ address: USER });
    const inbox = await db.collection('mailboxes').findOne({ user: user!._id, path: 'INBOX' });
    const messages = await db.collection('messages').find({ mailbox: inbox!._id }).toArray();
    return new Map(
      messages
        .map((message) => [Number(message.uid), [...(message.flags as string[])].sort()] as const)
        .sort((x, y) => x[0] - y[0]),
    );
  } finally {
    await client.close();
  }
}

/** UID -> flags as a session sees them (FETCH 1:* answered from the instance's mailbox view). */
async function seenBy(client: ImapFlow): Promise<Map<number, string[]>> {
  const seen = new Map<number, string[]>();
  for await (const message of client.fetch('1:*', { uid: true, flags: true }))
    seen.set(message.uid, [...(message.flags ?? [])].sort());
  return new Map([...seen].sort((x, y) => x[0] - y[0]));
}

test('after changes through both instances, every session on either sees the UIDs and flags the store holds', async () => {
  const writers = [imapOn(a), imapOn(b), imapOn(a), imapOn(b)];
  await Promise.all(writers.map((client) => client.connect()));
  await Promise.all(writers.map((client) => client.mailboxOpen('INBOX')));
  // each writer appends, flags, unflags and deletes, interleaved with the others on both instances
  await Promise.all(
    writers.map(async (client, index) => {
      for (let round = 0; round < 6; round++) {
        const appended = await client.append('INBOX', `Subject: w${index} r${round}\r\n\r\nview\r\n`);
        assert.ok(appended);
        const uid = String(appended.uid);
        await client.messageFlagsAdd(uid, ['\\Seen', `$w${index}`], { uid: true });
        if (round % 2) await client.messageFlagsRemove(uid, ['\\Seen'], { uid: true });
        if (round % 3 === 2) await client.messageDelete(uid, { uid: true });
      }
    }),
  );
  const truth = await storedInbox();
  assert.ok(truth.size > 0);

  // a new session on each instance: SELECT brings its view up to the store, FETCH answers from it
  for (const instance of [a, b]) {
    const fresh = imapOn(instance);
    await fresh.connect();
    const opened = await fresh.mailboxOpen('INBOX');
    assert.equal(opened.exists, truth.size);
    assert.deepEqual(await seenBy(fresh), truth);
    const unseen = await fresh.search({ seen: false }, { uid: true });
    assert.deepEqual(
      unseen,
      [...truth].filter(([, flags]) => !flags.includes('\\Seen')).map(([uid]) => uid),
    );
    await fresh.logout();
  }
  // the writers' own sessions converge too: NOOP reports what they have not been told (FETCH may
  // not report expunges, RFC 3501 7.4.1), until what they see is the store (bounded wait)
  for (const client of writers) {
    const deadline = Date.now() + 10_000;
    let seen: Map<number, string[]>;
    do {
      await client.noop();
      seen = await seenBy(client);
    } while (!isDeepStrictEqual(seen, truth) && Date.now() < deadline);
    assert.deepEqual(seen, truth);
  }
  await Promise.all(writers.map((client) => client.logout()));
});

test('a mailbox created and subscribed through B shows in LIST and LSUB of a session on A that had listed before', async () => {
  const onA = imapOn(a);
  const onB = imapOn(b);
  await Promise.all([onA.connect(), onB.connect()]);
  const listed = async () => (await onA.list()).map((box) => box.path);
  assert.ok(!(await listed()).includes('Team'));
  await onB.mailboxCreate('Team');
  await onB.mailboxUnsubscribe('Team');
  // the news crosses instances on the bus; wait for it (bounded), then check both lists
  const deadline = Date.now() + 10_000;
  while (!(await listed()).includes('Team') && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok((await listed()).includes('Team'));
  const lsub = async () =>
    (await onA.list({ statusQuery: {} })).filter((box) => box.subscribed).map((box) => box.path);
  while ((await lsub()).includes('Team') && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(!(await lsub()).includes('Team'));
  await onB.mailboxSubscribe('Team');
  while (!(await lsub()).includes('Team') && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok((await lsub()).includes('Team'));
  await Promise.all([onA.logout(), onB.logout()]);
});
