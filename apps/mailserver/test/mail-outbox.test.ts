/**
 * The filters' outgoing-mail outbox: redirects beside a kept copy and vacation replies are written
 * to the store before the delivery is answered and sent by MailOutboxSender, so a smarthost that is
 * down or a sender that stops loses none of them; two senders on one store send an entry once; a
 * permanent refusal is recorded for the user. Real LMTP, the real store, the smarthost sink.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { MongoClient, ObjectId } from 'mongodb';
import { pino } from 'pino';
import {
  claimMailOutbox,
  countMailOutbox,
  enqueueMailOutbox,
  getMailSettings,
  setForwarding,
  setVacation,
  storeContext,
} from '@wildduck/store';
import { MailOutboxSender, type MailOutboxSenderOptions } from '@wildduck/delivery';
import { SERVER_NAME, startMail, type MailHarness } from './mail-harness.js';
import { readMailbox } from './raw-client.js';
import { SmtpDialog } from './smtp-dialog.js';
import { REFUSED_PREFIX, startRelaySink, type Relayed } from './outside-world.js';

let mail: MailHarness;
/** The smarthost the delivery servers are told of; each test starts its own senders. */
let sink: Awaited<ReturnType<typeof startRelaySink>>;
const senders: MailOutboxSender[] = [];

before(async () => {
  sink = await startRelaySink();
  mail = await startMail('mail-outbox', { smarthost: sink.url, outboxSender: false });
});
after(async () => {
  await Promise.all(senders.map((sender) => sender.close()));
  await mail.close();
  await sink.close();
});

/** A sender as the mail server runs one, polling quickly, retrying after `retryDelaysMs`. */
function startSender(smarthost: string, options: Partial<MailOutboxSenderOptions> = {}): MailOutboxSender {
  const sender = new MailOutboxSender({
    deps: {
      ctx: mail.ctx,
      bus: mail.bus,
      serverName: SERVER_NAME,
      smarthost,
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    },
    pollIntervalMs: 50,
    retryDelaysMs: [200],
    ...options,
  }).start();
  senders.push(sender);
  return sender;
}

let counter = 0;
async function newUser(): Promise<{ address: string; id: ObjectId }> {
  const address = `outbox${++counter}-${randomBytes(3).toString('hex')}@example.com`;
  return { address, id: new ObjectId(await mail.createUser(address)) };
}

const remote = (name: string) => `${name}-${randomBytes(4).toString('hex')}@remote.example`;

function message(to: string, subject: string): string {
  return (
    `From: Someone <someone@remote.example>\r\nTo: <${to}>\r\nSubject: ${subject}\r\n` +
    `Message-ID: <${randomBytes(6).toString('hex')}@remote.example>\r\n\r\nHello there.\r\n`
  );
}

async function lmtp(from: string, to: string, raw: string): Promise<string> {
  const { dialog } = await SmtpDialog.open(mail.lmtpPort);
  try {
    assert.match(await dialog.send('LHLO client.example'), /^250/);
    assert.match(await dialog.send(`MAIL FROM:<${from}>`), /^250/);
    assert.match(await dialog.send(`RCPT TO:<${to}>`), /^250/);
    assert.match(await dialog.send('DATA'), /^354/);
    dialog.write(`${raw}.\r\n`);
    const reply = await dialog.reply();
    await dialog.send('QUIT');
    return reply;
  } finally {
    dialog.close();
  }
}

async function waitFor<T>(look: () => T | undefined | Promise<T | undefined>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await look();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sentTo = (relayed: Relayed[], address: string) => relayed.filter((entry) => entry.to.includes(address));
const outboxRows = () => mail.store.db.collection('mailOutbox').find({}).toArray();

/** A port nothing listens on (for now). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a forward beside a kept copy while the smarthost is down is sent once it is back', async () => {
  const port = await freePort();
  const user = await newUser();
  const target = remote('fwd');
  await setForwarding(
    mail.store.db,
    user.id,
    { enabled: true, addresses: [target], keepCopy: true },
    mail.ctx.locks,
  );
  startSender(`smtp://127.0.0.1:${port}`);
  assert.match(await lmtp('someone@remote.example', user.address, message(user.address, 'later')), /^250 /);
  // the entry is in the store by the time the client has its answer
  assert.equal((await outboxRows()).filter((row) => String(row.user) === user.id.toHexString()).length, 1);
  assert.equal((await readMailbox(mail.port, user.address)).length, 1, 'the copy is kept');
  const failed = await waitFor(async () => {
    const [row] = await outboxRows();
    return row?.lastError ? row : undefined;
  }, 'a failed attempt');
  assert.match(String(failed.lastError), /relay could not be reached/);

  const back = await startRelaySink(port);
  try {
    const sent = await waitFor(
      () => sentTo(back.relayed, target)[0],
      'the forward once the smarthost is back',
    );
    assert.equal(sent.from, user.address);
    const raw = sent.raw.toString();
    assert.match(raw, new RegExp(`^Delivered-To: ${user.address}\r\n`));
    assert.doesNotMatch(raw, /^Return-Path:/m);
    assert.match(raw, /Subject: later\r\n/);
    assert.match(raw, /\r\n\r\nHello there\.\r\n$/);
    await waitFor(async () => (await countMailOutbox(mail.store.db)) === 0 || undefined, 'an empty outbox');
    await pause(500);
    assert.equal(sentTo(back.relayed, target).length, 1, 'sent once');
    assert.equal((await getMailSettings(mail.store.db, user.id)).lastFilterError, null);
  } finally {
    await Promise.all(senders.splice(0).map((sender) => sender.close()));
    await back.close();
  }
});

test('a vacation reply survives a restart of the sender, and an entry whose sender died mid-send', async () => {
  const user = await newUser();
  await setVacation(
    mail.store.db,
    user.id,
    { enabled: true, subject: 'Away', text: 'Back soon.', start: null, end: null, days: 3 },
    mail.ctx.locks,
  );
  const first = startSender(sink.url);
  await first.close();
  const colleague = remote('colleague');
  assert.match(await lmtp(colleague, user.address, message(user.address, 'there?')), /^250 /);
  await pause(300);
  assert.equal(sentTo(sink.relayed, colleague).length, 0, 'no sender runs');
  assert.equal(await countMailOutbox(mail.store.db), 1, 'the reply waits in the outbox');

  startSender(sink.url);
  const reply = await waitFor(() => sentTo(sink.relayed, colleague)[0], 'the reply after the restart');
  assert.equal(reply.from, '');
  assert.match(reply.raw.toString(), /^Subject: Away\r$/m);
  await waitFor(async () => (await countMailOutbox(mail.store.db)) === 0 || undefined, 'an empty outbox');
  await Promise.all(senders.splice(0).map((sender) => sender.close()));

  // a sender that claimed an entry and stopped before sending it: taken up when its lease ends
  const other = remote('other');
  assert.match(await lmtp(other, user.address, message(user.address, 'hello?')), /^250 /);
  const claimed = await claimMailOutbox(mail.store.db, { worker: 'died', limit: 10, leaseMs: 600 });
  assert.equal(claimed.length, 1);
  startSender(sink.url, { leaseMs: 600 });
  await pause(300);
  assert.equal(sentTo(sink.relayed, other).length, 0, 'not while the lease lasts');
  await waitFor(() => sentTo(sink.relayed, other)[0], 'the reply after the lease');
  await waitFor(async () => (await countMailOutbox(mail.store.db)) === 0 || undefined, 'an empty outbox');
  await pause(300);
  assert.equal(sentTo(sink.relayed, colleague).length, 1, 'each reply once');
  assert.equal(sentTo(sink.relayed, other).length, 1, 'each reply once');
  await Promise.all(senders.splice(0).map((sender) => sender.close()));
});

test('two senders on one store send each entry once', async () => {
  const user = await newUser();
  const addresses = Array.from({ length: 12 }, (_, index) => remote(`many${index}`));
  await enqueueMailOutbox(
    mail.store.db,
    addresses.map((to) => ({
      kind: 'vacation' as const,
      user: user.id,
      from: '',
      to: [to],
      content: { message: Buffer.from(`To: <${to}>\r\nSubject: once\r\n\r\nOnce only.\r\n`) },
    })),
  );
  const client = await MongoClient.connect(mail.store.uri);
  try {
    startSender(sink.url, { concurrency: 3 });
    const second = new MailOutboxSender({
      deps: {
        ctx: storeContext(client.db(mail.store.name)),
        bus: mail.bus,
        serverName: SERVER_NAME,
        smarthost: sink.url,
      },
      pollIntervalMs: 50,
      concurrency: 3,
    }).start();
    senders.push(second);
    second.wake();
    await waitFor(
      () => addresses.every((to) => sentTo(sink.relayed, to).length > 0) || undefined,
      'every entry sent',
    );
    await waitFor(async () => (await countMailOutbox(mail.store.db)) === 0 || undefined, 'an empty outbox');
    await pause(500);
    for (const to of addresses) assert.equal(sentTo(sink.relayed, to).length, 1, `${to} once`);
    assert.equal(await mail.store.db.collection('mailOutboxClaims').countDocuments({}), 0);
  } finally {
    await Promise.all(senders.splice(0).map((sender) => sender.close()));
    await client.close();
  }
});

test('a permanent refusal is recorded for the user and the entry removed; a redirect of a deleted copy is dropped', async () => {
  const user = await newUser();
  const refused = `${REFUSED_PREFIX}${remote('gone')}`;
  await setForwarding(
    mail.store.db,
    user.id,
    { enabled: true, addresses: [refused], keepCopy: true },
    mail.ctx.locks,
  );
  assert.match(await lmtp('someone@remote.example', user.address, message(user.address, 'no')), /^250 /);
  startSender(sink.url);
  const error = await waitFor(
    async () => (await getMailSettings(mail.store.db, user.id)).lastFilterError ?? undefined,
    'the recorded refusal',
  );
  assert.equal(error.script, 'redirect');
  assert.match(error.message, /refused/);
  assert.match(error.message, /no such mailbox at the far end/);
  assert.equal(await countMailOutbox(mail.store.db), 0);
  assert.equal((await readMailbox(mail.port, user.address)).length, 1, 'the copy stays');

  // the user deleted the copy before it could be sent: nothing to send, nothing recorded
  const target = remote('deleted');
  await enqueueMailOutbox(mail.store.db, [
    {
      kind: 'redirect',
      user: user.id,
      from: user.address,
      to: [target],
      content: { sourceMessages: [new ObjectId()], skip: 0 },
    },
  ]);
  await waitFor(async () => (await countMailOutbox(mail.store.db)) === 0 || undefined, 'the entry dropped');
  assert.equal(sentTo(sink.relayed, target).length, 0);
  assert.equal((await getMailSettings(mail.store.db, user.id)).lastFilterError?.message, error.message);
  await Promise.all(senders.splice(0).map((sender) => sender.close()));
});

test('bad entries are refused and nothing is written', async () => {
  const user = await newUser();
  await assert.rejects(
    enqueueMailOutbox(mail.store.db, [
      { kind: 'vacation', user: user.id, from: '', to: [], content: { message: Buffer.from('x') } },
    ]),
    /no recipient/,
  );
  await assert.rejects(
    enqueueMailOutbox(mail.store.db, [
      {
        kind: 'redirect',
        user: user.id,
        from: user.address,
        to: ['a@b.example'],
        content: { sourceMessages: [], skip: 0 },
      },
    ]),
    /nothing to send/,
  );
  assert.equal(await countMailOutbox(mail.store.db), 0);
});
