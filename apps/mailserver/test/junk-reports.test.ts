import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { ImapFlow } from 'imapflow';
import { pino } from 'pino';
import type { ChangeEvent } from '@wildduck/change-bus';
import { Readable } from 'node:stream';
import { ObjectId } from 'mongodb';
import {
  appendMessage,
  countWebhookDeliveries,
  createMailbox,
  findMailbox,
  ALL_RIGHTS,
} from '@wildduck/store';
import { changeMailboxAccess } from '@wildduck/mail-service';
import { createApiApp } from '../../api/src/app.js';
import { startImap, type ImapHarness } from './harness.js';
import { startWebhookReceiver, type ReceivedHook } from './outside-world.js';

const SECRET = 'junk-test-secret';

let imap: ImapHarness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let received: ReceivedHook[];
const busEvents: ChangeEvent[] = [];
let userId: string;
let flow: ImapFlow;

before(async () => {
  receiver = await startWebhookReceiver(SECRET);
  received = receiver.hooks;
  const url = receiver.url;
  imap = await startImap('junk', { webhookTargets: [{ url, secret: SECRET }] });
  userId = await imap.createUser('junk@example.com');
  imap.bus.subscribe(userId, (event) => busEvents.push(event));
  flow = new ImapFlow({
    host: '127.0.0.1',
    port: imap.port,
    secure: false,
    auth: { user: 'junk@example.com', pass: 'secretpass' },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await flow.connect();
});
after(async () => {
  await flow.logout();
  await imap.close();
  await receiver.close();
});

/** Waits until `count` events of the kind have arrived on both the bus and the webhook. */
async function eventsOf(kind: 'SPAM' | 'NOT_SPAM', count: number) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const onBus = busEvents.filter((event) => event.type === 'account' && event.kind === kind);
    const hooks = received.filter((entry) => entry.body.type === kind);
    if (onBus.length >= count && hooks.length >= count) return { onBus, hooks };
    if (Date.now() > deadline)
      throw new Error(`expected ${count} ${kind}: bus ${onBus.length}, webhook ${hooks.length}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function deliver(subject: string): Promise<number> {
  const appended = await flow.append(
    'INBOX',
    `From: spammer@example.net\r\nTo: junk@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.net>\r\n\r\nBuy now.\r\n`,
  );
  return Number(appended.uid);
}

test('IMAP MOVE into Junk emits SPAM on the bus and to the webhook, with a way to fetch the message', async () => {
  await deliver('cheap pills');
  await flow.mailboxOpen('INBOX');
  const moved = await flow.messageMove('1', 'Junk', { uid: true });
  assert.ok(moved);
  const { onBus, hooks } = await eventsOf('SPAM', 1);
  const event = onBus[0] as Extract<ChangeEvent, { type: 'account' }>;
  assert.equal(event.path, 'Junk');
  assert.equal(event.uid, 1);
  assert.match(event.message ?? '', /^[0-9a-f]{24}$/);

  const hook = hooks[0]!;
  assert.ok(hook.verified, 'the signature verifies with the shared secret');
  const body = hook.body as {
    user: string;
    address: string;
    mailbox: { path: string };
    from: { path: string };
    message: { id: string; uid: number; subject: string; from: string; messageId: string };
    fetch: { url: string; imap: { mailbox: string; uid: number; uidValidity: number } };
  };
  assert.equal(body.user, userId);
  assert.equal(body.address, 'junk@example.com');
  assert.equal(body.mailbox.path, 'Junk');
  assert.equal(body.from.path, 'INBOX');
  assert.equal(body.message.id, event.message);
  assert.equal(body.message.subject, 'cheap pills');
  assert.equal(body.message.from, 'spammer@example.net');
  assert.deepEqual(body.fetch.imap, { mailbox: 'Junk', uid: 1, uidValidity: body.fetch.imap.uidValidity });
  // it went through the store's outbox, which the delivery leaves
  assert.match(String(hook.body.id), /^[0-9a-f-]{36}$/);
  for (let tries = 0; (await countWebhookDeliveries(imap.store.db)).pending > 0; tries++) {
    assert.ok(tries < 100, 'the delivered webhook left the outbox');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  // the fetch URL, served by the API, gives the message as stored
  const api = createApiApp({ db: imap.store.db, logger: pino({ level: 'silent' }), apiToken: undefined });
  const server = api.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const path = new URL(body.fetch.url).pathname;
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
  const text = await response.text();
  server.close();
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'message/rfc822');
  assert.match(text, /^From: spammer@example\.net\r\n.*Subject: cheap pills/s);
});

test('COPY into Junk then EXPUNGE (clients without MOVE) emits SPAM once', async () => {
  const before = busEvents.length;
  const uid = await deliver('copy then expunge');
  await flow.mailboxOpen('INBOX');
  await flow.messageCopy(String(uid), 'Junk', { uid: true });
  await flow.messageFlagsAdd(String(uid), ['\\Deleted'], { uid: true });
  await flow.mailboxClose();
  const { onBus } = await eventsOf('SPAM', 2);
  assert.equal(onBus.length, 2);
  assert.ok(busEvents.length > before);
});

test('moving out of Junk emits NOT_SPAM; Junk to Trash emits nothing', async () => {
  await flow.mailboxOpen('Junk');
  const status = await flow.status('Junk', { messages: true });
  assert.equal(status.messages, 2);
  await flow.messageMove('1', 'INBOX', { uid: true });
  const { hooks } = await eventsOf('NOT_SPAM', 1);
  assert.equal((hooks[0]!.body as { mailbox: { path: string } }).mailbox.path, 'INBOX');

  const countBefore = received.length;
  await flow.messageMove('2', 'Trash', { uid: true });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const afterTrash = received.slice(countBefore).filter((entry) => /SPAM/.test(String(entry.body.type)));
  assert.deepEqual(afterTrash, [], 'deleting spam is not a report');
});

test('moving a message of a folder shared with the user into their own Junk emits SPAM for them', async () => {
  const ownerId = await imap.createUser('teamlead@example.com');
  const owner = new ObjectId(ownerId);
  assert.ok((await createMailbox(imap.store.db, owner, 'Shared', null)).ok);
  const shared = await findMailbox(imap.store.db, owner, 'Shared');
  // shared as the owner would: the change is announced, so the server forgets what it kept of the user's access
  const sharedFolder = {
    mailbox: shared!,
    owner,
    ownerAddress: 'teamlead@example.com',
    rights: ALL_RIGHTS,
    name: 'Shared',
    shared: null,
  };
  const granted = await changeMailboxAccess(
    { ctx: imap.ctx, bus: imap.bus },
    undefined,
    sharedFolder,
    'junk@example.com',
    {
      mode: 'replace',
      rights: 'lrswite',
    },
  );
  assert.ok(granted.ok);
  const message = Buffer.from('From: spammer@example.net\r\nSubject: shared spam\r\n\r\nBuy now.\r\n');
  assert.ok((await appendMessage(imap.ctx, owner, shared!._id!, Readable.from([message]), {})).ok);
  const before = busEvents.filter((event) => event.type === 'account' && event.kind === 'SPAM').length;
  await flow.mailboxOpen('Other Users/teamlead@example.com/Shared');
  assert.ok(await flow.messageMove('1', 'Junk', { uid: true }));
  const { onBus } = await eventsOf('SPAM', before + 1);
  const event = onBus[onBus.length - 1] as Extract<ChangeEvent, { type: 'account' }>;
  assert.equal(event.path, 'Junk');
  assert.equal(event.user, userId);
  // the message left the owner's folder and is the user's now
  assert.equal(await imap.store.db.collection('messages').countDocuments({ mailbox: shared!._id! }), 0);
});
