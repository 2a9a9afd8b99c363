/**
 * Sieve filters at delivery (issue 17): LMTP, the SMTP maildrop and submission to a local
 * recipient, with real clients, the real store, and the smarthost sink for redirects, forwarding
 * and vacation replies.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { MongoClient, ObjectId } from 'mongodb';
import nodemailer from 'nodemailer';
import {
  activateSieveScript,
  findUserByAddress,
  getMailSettings,
  putSieveScript,
  setForwarding,
  setVacation,
  storeContext,
} from '@wildduck/store';
import { pino } from 'pino';
import { createDeliveryServer } from '../src/delivery/delivery-server.js';
import {
  listenOnFreePort,
  SERVER_NAME,
  startMailWithRelaySink,
  type RelayingMailHarness,
} from './mail-harness.js';
import { readMailbox } from './raw-client.js';
import { SmtpDialog } from './smtp-dialog.js';
import { REFUSED_PREFIX, type Relayed } from './outside-world.js';

let mail: RelayingMailHarness;
let relayed: Relayed[];

before(async () => {
  mail = await startMailWithRelaySink('delivery-filters');
  relayed = mail.relayed;
});
after(() => mail.close());

let counter = 0;
async function newUser(name = 'filters'): Promise<{ address: string; id: ObjectId }> {
  const address = `${name}${++counter}-${randomBytes(3).toString('hex')}@example.com`;
  return { address, id: new ObjectId(await mail.createUser(address)) };
}

function remote(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}@remote.example`;
}

/** Puts `content` as the user's active script (the store moves the user's filters stamp). */
async function activeScript(user: ObjectId, content: string): Promise<void> {
  await putSieveScript(mail.store.db, user, 'main', content, mail.ctx.locks);
  await activateSieveScript(mail.store.db, user, 'main', mail.ctx.locks);
}

function message(to: string, subject: string, extra = '', body = 'Hello there.'): string {
  return (
    `From: Someone <someone@remote.example>\r\nTo: <${to}>\r\nSubject: ${subject}\r\n` +
    `Message-ID: <${randomBytes(6).toString('hex')}@remote.example>\r\n${extra}\r\n${body}\r\n`
  );
}

/** One LMTP transaction; the replies after DATA, one per recipient. */
async function lmtp(
  from: string,
  to: readonly string[],
  raw: string,
  port = mail.lmtpPort,
): Promise<string[]> {
  const { dialog } = await SmtpDialog.open(port);
  try {
    assert.match(await dialog.send('LHLO client.example'), /^250/);
    assert.match(await dialog.send(`MAIL FROM:<${from}>`), /^250/);
    for (const rcpt of to) assert.match(await dialog.send(`RCPT TO:<${rcpt}>`), /^250/);
    assert.match(await dialog.send('DATA'), /^354/);
    dialog.write(`${raw.replace(/^\./gm, '..')}.\r\n`);
    const replies: string[] = [];
    for (let i = 0; i < to.length; i++) replies.push(await dialog.reply());
    await dialog.send('QUIT');
    return replies;
  } finally {
    dialog.close();
  }
}

async function waitFor<T>(
  look: () => T | undefined | Promise<T | undefined>,
  what: string,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await look();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Lets background follow-ups (redirects, replies) that should NOT happen have their chance. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 700));

const sentTo = (address: string) => relayed.filter((entry) => entry.to.includes(address));

test('a user without filters is delivered to INBOX as before, and has no filters stamp', async () => {
  const user = await newUser();
  const replies = await lmtp('someone@remote.example', [user.address], message(user.address, 'plain'));
  assert.match(replies[0]!, /^250 2\.0\.0 /);
  const inbox = await readMailbox(mail.port, user.address);
  assert.equal(inbox.length, 1);
  assert.match(
    inbox[0]!.raw.toString(),
    new RegExp(`^Return-Path: <someone@remote\\.example>\r\nDelivered-To: ${user.address}\r\n`),
  );
  const account = await findUserByAddress(mail.store.db, user.address);
  assert.equal(account!.filtersUpdated ?? null, null);
});

test('fileinto an existing mailbox; the filters stamp moves when the script changes', async () => {
  const user = await newUser();
  await activeScript(
    user.id,
    'require "fileinto";\nif header :contains "subject" "invoice" { fileinto "Archive"; }\n',
  );
  const stamp = (await findUserByAddress(mail.store.db, user.address))!.filtersUpdated;
  assert.ok(stamp instanceof Date);
  await lmtp('someone@remote.example', [user.address], message(user.address, 'Your invoice'));
  await lmtp('someone@remote.example', [user.address], message(user.address, 'Lunch?'));
  assert.equal((await readMailbox(mail.port, user.address, 'Archive')).length, 1);
  assert.equal((await readMailbox(mail.port, user.address)).length, 1);

  // a new script is used at once (the cache follows the stamp)
  await activeScript(user.id, 'require "fileinto";\nfileinto "Trash";\n');
  await lmtp('someone@remote.example', [user.address], message(user.address, 'Your invoice again'));
  assert.equal((await readMailbox(mail.port, user.address, 'Trash')).length, 1);
  assert.equal((await readMailbox(mail.port, user.address, 'Archive')).length, 1);
});

test('fileinto a missing mailbox: INBOX and a recorded error without :create; made (and visible over IMAP) with it', async () => {
  const user = await newUser();
  await activeScript(user.id, 'require "fileinto";\nfileinto "Nowhere";\n');
  await lmtp('someone@remote.example', [user.address], message(user.address, 'to nowhere'));
  assert.equal((await readMailbox(mail.port, user.address)).length, 1);
  await assert.rejects(readMailbox(mail.port, user.address, 'Nowhere'), /SELECT failed/);
  const error = await waitFor(
    async () => (await getMailSettings(mail.store.db, user.id)).lastFilterError ?? undefined,
    'the recorded filter error',
  );
  assert.match(error.message, /Nowhere/);

  await activeScript(user.id, 'require ["fileinto", "mailbox"];\nfileinto :create "Newsletters";\n');
  await lmtp('someone@remote.example', [user.address], message(user.address, 'news'));
  const created = await readMailbox(mail.port, user.address, 'Newsletters');
  assert.equal(created.length, 1);
  assert.match(created[0]!.raw.toString(), /Subject: news/);
});

test("mailboxexists sees the user's mailboxes (read only for a script that tests it)", async () => {
  const user = await newUser();
  await activeScript(
    user.id,
    'require ["fileinto", "mailbox"];\n' +
      'if mailboxexists "Nowhere" { fileinto "Trash"; }\n' +
      'if mailboxexists "Archive" { fileinto "Archive"; }\n',
  );
  await lmtp('someone@remote.example', [user.address], message(user.address, 'exists'));
  assert.equal((await readMailbox(mail.port, user.address, 'Archive')).length, 1);
  assert.equal((await readMailbox(mail.port, user.address, 'Trash')).length, 0);
  assert.equal((await readMailbox(mail.port, user.address)).length, 0);
});

test('imap4flags: keep :flags and addflag set the stored flags (FETCH FLAGS)', async () => {
  const user = await newUser();
  await activeScript(
    user.id,
    'require ["imap4flags", "fileinto"];\n' +
      'if header :is "subject" "important" { addflag "\\\\Flagged"; keep; }\n' +
      'else { keep :flags ["\\\\Seen", "$Label1"]; }\n',
  );
  await lmtp('someone@remote.example', [user.address], message(user.address, 'important'));
  await lmtp('someone@remote.example', [user.address], message(user.address, 'ordinary'));
  const inbox = await readMailbox(mail.port, user.address);
  assert.equal(inbox.length, 2);
  assert.match(inbox[0]!.flags, /\\Flagged/);
  assert.doesNotMatch(inbox[0]!.flags, /\\Seen/);
  assert.match(inbox[1]!.flags, /\\Seen/);
  assert.match(inbox[1]!.flags, /\$Label1/);
});

test('discard stores nothing (LMTP still answers 250); stop ends the script', async () => {
  const discarding = await newUser();
  await activeScript(discarding.id, 'discard;\n');
  const replies = await lmtp(
    'someone@remote.example',
    [discarding.address],
    message(discarding.address, 'spam'),
  );
  assert.match(replies[0]!, /^250 2\.0\.0 /);
  assert.equal((await readMailbox(mail.port, discarding.address)).length, 0);

  const stopping = await newUser();
  await activeScript(
    stopping.id,
    'require "fileinto";\nif header :contains "subject" "keep me" { stop; }\nfileinto "Archive";\n',
  );
  await lmtp('someone@remote.example', [stopping.address], message(stopping.address, 'keep me'));
  await lmtp('someone@remote.example', [stopping.address], message(stopping.address, 'file me'));
  const inbox = await readMailbox(mail.port, stopping.address);
  assert.equal(inbox.length, 1);
  assert.match(inbox[0]!.raw.toString(), /Subject: keep me/);
  assert.equal((await readMailbox(mail.port, stopping.address, 'Archive')).length, 1);
});

test('a body test (the message is spooled) files by the body', async () => {
  const user = await newUser();
  await activeScript(
    user.id,
    'require ["body", "fileinto"];\nif body :contains "password reset" { fileinto "Archive"; }\n',
  );
  const big = `${'filler text '.repeat(20_000)}\r\nyour password reset link\r\n`;
  await lmtp('someone@remote.example', [user.address], message(user.address, 'account', '', big));
  await lmtp('someone@remote.example', [user.address], message(user.address, 'other', '', 'nothing here'));
  const archived = await readMailbox(mail.port, user.address, 'Archive');
  assert.equal(archived.length, 1);
  assert.ok(archived[0]!.raw.toString().includes('your password reset link'), 'stored whole');
  assert.equal((await readMailbox(mail.port, user.address)).length, 1);
});

test('redirect goes through the smarthost as received, envelope sender the user, Delivered-To kept; no local copy', async () => {
  const user = await newUser();
  const target = remote('elsewhere');
  await activeScript(user.id, `redirect "${target}";\n`);
  const replies = await lmtp('someone@remote.example', [user.address], message(user.address, 'pass it on'));
  assert.match(replies[0]!, /^250 /);
  const sent = await waitFor(() => sentTo(target)[0], 'the redirect at the sink');
  assert.equal(sent.from, user.address, 'the envelope sender is the user (no SRS)');
  const raw = sent.raw.toString();
  assert.match(raw, new RegExp(`^Delivered-To: ${user.address}\r\n`));
  assert.match(raw, /Subject: pass it on/);
  assert.doesNotMatch(raw, /^Return-Path:/m);
  assert.equal((await readMailbox(mail.port, user.address)).length, 0);
});

test('a message already Delivered-To the user is not redirected again (a loop): it stays in INBOX', async () => {
  const user = await newUser();
  const target = remote('loop');
  await activeScript(user.id, `redirect "${target}";\n`);
  await lmtp(
    'someone@remote.example',
    [user.address],
    message(user.address, 'looping', `Delivered-To: ${user.address}\r\n`),
  );
  await settle();
  assert.equal(sentTo(target).length, 0);
  const inbox = await readMailbox(mail.port, user.address);
  assert.equal(inbox.length, 1);
  assert.match(inbox[0]!.raw.toString(), /Subject: looping/);
  const error = await waitFor(
    async () => (await getMailSettings(mail.store.db, user.id)).lastFilterError ?? undefined,
    'the loop recorded for the user',
  );
  assert.match(error.message, /loop/);
});

test('forwarding from the mail settings: with keepCopy a copy stays, without it none', async () => {
  const keeping = await newUser();
  const keepTarget = remote('fwd-keep');
  await setForwarding(
    mail.store.db,
    keeping.id,
    { enabled: true, addresses: [keepTarget], keepCopy: true },
    mail.ctx.locks,
  );
  await lmtp('someone@remote.example', [keeping.address], message(keeping.address, 'forward and keep'));
  const kept = await waitFor(() => sentTo(keepTarget)[0], 'the forwarded copy');
  assert.equal(kept.from, keeping.address);
  assert.equal((await readMailbox(mail.port, keeping.address)).length, 1);

  const moving = await newUser();
  const moveTarget = remote('fwd-move');
  await setForwarding(
    mail.store.db,
    moving.id,
    { enabled: true, addresses: [moveTarget], keepCopy: false },
    mail.ctx.locks,
  );
  await lmtp('someone@remote.example', [moving.address], message(moving.address, 'forward only'));
  await waitFor(() => sentTo(moveTarget)[0], 'the forwarded message');
  assert.equal((await readMailbox(mail.port, moving.address)).length, 0);
});

test('vacation: one reply per sender (null sender, Auto-Submitted), never to lists, automatic mail or the null sender', async () => {
  const user = await newUser();
  await setVacation(
    mail.store.db,
    user.id,
    {
      enabled: true,
      subject: 'Away until Monday',
      text: 'I am away; back on Monday.',
      start: null,
      end: null,
      days: 3,
    },
    mail.ctx.locks,
  );
  const sender = remote('colleague');
  const first = message(user.address, 'are you there?');
  await lmtp(sender, [user.address], first);
  const reply = await waitFor(() => sentTo(sender)[0], 'the vacation reply');
  assert.equal(reply.from, '', 'sent with the null envelope sender');
  const text = reply.raw.toString();
  assert.match(text, /^Auto-Submitted: auto-replied\r$/m);
  assert.match(text, /^Subject: Away until Monday\r$/m);
  assert.match(text, new RegExp(`^From: ${user.address}\r$`, 'm'));
  assert.match(text, new RegExp(`^In-Reply-To: <${/Message-ID: <([^>]+)>/.exec(first)![1]}>\r$`, 'm'));
  assert.match(text, /I am away; back on Monday\./);

  // the same sender again: no second reply within the days
  await lmtp(sender, [user.address], message(user.address, 'hello again?'));
  const list = remote('list');
  await lmtp(list, [user.address], message(user.address, 'list post', 'List-Id: <news.remote.example>\r\n'));
  const robot = remote('robot');
  await lmtp(
    robot,
    [user.address],
    message(user.address, 'notification', 'Auto-Submitted: auto-generated\r\n'),
  );
  await lmtp('', [user.address], message(user.address, 'a bounce'));
  // a new sender still gets one: the cases above had time to misbehave meanwhile
  const other = remote('other');
  await lmtp(other, [user.address], message(user.address, 'hi'));
  await waitFor(() => sentTo(other)[0], 'the reply to a second sender');
  await settle();
  assert.equal(sentTo(sender).length, 1, 'one reply per sender');
  assert.equal(sentTo(list).length, 0, 'never to a list');
  assert.equal(sentTo(robot).length, 0, 'never to automatic mail');
  assert.equal(relayed.filter((entry) => entry.from === '' && entry.to.length === 0).length, 0);
  assert.equal((await readMailbox(mail.port, user.address)).length, 6, 'every message was kept');
});

test('reject at LMTP: 550 5.7.1 for that recipient only', async () => {
  const refusing = await newUser();
  const accepting = await newUser();
  await activeScript(refusing.id, 'require "reject";\nreject "I do not accept mail about this.";\n');
  const replies = await lmtp(
    'someone@remote.example',
    [refusing.address, accepting.address],
    message(refusing.address, 'offer'),
  );
  assert.match(replies[0]!, /^550 5\.7\.1 I do not accept mail about this\./);
  assert.match(replies[1]!, /^250 2\.0\.0 /);
  assert.equal((await readMailbox(mail.port, refusing.address)).length, 0);
  assert.equal((await readMailbox(mail.port, accepting.address)).length, 1);
});

test('SMTP maildrop: one rejecting recipient of several gets no copy, the sender a notice', async () => {
  const refusing = await newUser();
  const accepting = await newUser();
  const sender = await newUser('sender');
  await activeScript(refusing.id, 'require "reject";\nreject "Not here.";\n');
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: mail.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  await transport.sendMail({
    envelope: { from: sender.address, to: [refusing.address, accepting.address] },
    raw: message(refusing.address, 'two of you'),
  });
  transport.close();
  assert.equal((await readMailbox(mail.port, refusing.address)).length, 0);
  assert.equal((await readMailbox(mail.port, accepting.address)).length, 1);
  const notice = await waitFor(
    async () => (await readMailbox(mail.port, sender.address))[0],
    'the rejection notice',
  );
  const text = notice.raw.toString();
  assert.match(text, /^Subject: Rejected: two of you\r$/m);
  assert.match(text, /Not here\./);
  assert.match(text, /^Auto-Submitted: auto-replied\r$/m);
});

test('a script that fails at run time files into INBOX and records the error', async () => {
  const user = await newUser();
  await activeScript(user.id, 'require "variables";\nset "to" "not an address";\nredirect "${to}";\n');
  const replies = await lmtp(
    'someone@remote.example',
    [user.address],
    message(user.address, 'broken filter'),
  );
  assert.match(replies[0]!, /^250 /);
  assert.equal((await readMailbox(mail.port, user.address)).length, 1);
  const error = await waitFor(
    async () => (await getMailSettings(mail.store.db, user.id)).lastFilterError ?? undefined,
    'the recorded filter error',
  );
  assert.equal(error.script, 'main');
  assert.match(error.message, /not an address/);
});

test('submission to a local recipient runs the recipient filter', async () => {
  const sender = await newUser('sender');
  const recipient = await newUser();
  await activeScript(
    recipient.id,
    'require ["fileinto", "imap4flags"];\nif address :is "from" "' +
      sender.address +
      '" { fileinto :flags "\\\\Flagged" "Archive"; }\n',
  );
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: mail.submissionPort,
    secure: false,
    requireTLS: true,
    tls: { rejectUnauthorized: false },
    auth: { user: sender.address, pass: 'secretpass' },
  });
  await transport.sendMail({
    from: sender.address,
    to: recipient.address,
    subject: 'from a colleague',
    text: 'hi',
  });
  transport.close();
  const archived = await readMailbox(mail.port, recipient.address, 'Archive');
  assert.equal(archived.length, 1);
  assert.match(archived[0]!.flags, /\\Flagged/);
  assert.equal((await readMailbox(mail.port, recipient.address)).length, 0);
  assert.equal((await readMailbox(mail.port, sender.address, 'Sent Mail')).length, 1);
});

test('vacation to a local sender: the reply is delivered to their INBOX', async () => {
  const away = await newUser();
  const colleague = await newUser('colleague');
  await activeScript(away.id, 'require "vacation";\nvacation :days 1 :subject "Out" "Back tomorrow.";\n');
  await lmtp(colleague.address, [away.address], message(away.address, 'quick question'));
  const reply = await waitFor(
    async () => (await readMailbox(mail.port, colleague.address))[0],
    'the local reply',
  );
  const text = reply.raw.toString();
  assert.match(text, /^Return-Path: <>\r$/m);
  assert.match(text, /^Subject: Out\r$/m);
  assert.match(text, /^Auto-Submitted: auto-replied\r$/m);
  assert.match(text, /Back tomorrow\./);
});

test('redirect with no smarthost configured: kept in INBOX, the failure recorded', async () => {
  const noRelay = createDeliveryServer({
    ctx: mail.ctx,
    bus: mail.bus,
    mode: 'lmtp',
    serverName: SERVER_NAME,
    logger: pino({ level: 'silent' }),
  });
  const port = await listenOnFreePort(noRelay);
  try {
    const user = await newUser();
    const target = remote('unreachable');
    await activeScript(user.id, `redirect "${target}";\n`);
    const replies = await lmtp(
      'someone@remote.example',
      [user.address],
      message(user.address, 'no relay'),
      port,
    );
    assert.match(replies[0]!, /^250 /);
    assert.equal((await readMailbox(mail.port, user.address)).length, 1);
    const error = await waitFor(
      async () => (await getMailSettings(mail.store.db, user.id)).lastFilterError ?? undefined,
      'the recorded filter error',
    );
    assert.match(error.message, /smarthost/);
    assert.equal(sentTo(target).length, 0);
  } finally {
    await new Promise<void>((resolve) => noRelay.close(() => resolve()));
  }
});

test('a redirect that keeps no copy and cannot be handed over (refused, or the smarthost down) keeps the message in INBOX', async () => {
  // refused for good by the smarthost: answered only after the attempt, so the copy is there at once
  const user = await newUser();
  const refused = `${REFUSED_PREFIX}${remote('gone')}`;
  await activeScript(user.id, `redirect "${refused}";\n`);
  const replies = await lmtp('someone@remote.example', [user.address], message(user.address, 'refused'));
  assert.match(replies[0]!, /^250 /);
  assert.equal((await readMailbox(mail.port, user.address)).length, 1);
  const error = (await getMailSettings(mail.store.db, user.id)).lastFilterError;
  assert.match(error?.message ?? '', /redirect failed/);

  // a smarthost that does not answer (nothing listens on the port)
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const downRelay = createDeliveryServer({
    ctx: mail.ctx,
    bus: mail.bus,
    mode: 'lmtp',
    serverName: SERVER_NAME,
    smarthost: `smtp://127.0.0.1:${closedPort}`,
    logger: pino({ level: 'silent' }),
  });
  const port = await listenOnFreePort(downRelay);
  try {
    const other = await newUser();
    await activeScript(other.id, `redirect "${remote('later')}";\n`);
    const answered = await lmtp(
      'someone@remote.example',
      [other.address],
      message(other.address, 'down'),
      port,
    );
    assert.match(answered[0]!, /^250 /);
    const kept = await readMailbox(mail.port, other.address);
    assert.equal(kept.length, 1, 'the message is kept, not lost');
  } finally {
    await new Promise<void>((resolve) => downRelay.close(() => resolve()));
  }
});

test('ereject at LMTP answers 550 5.7.1 too; the SMTP maildrop refuses a transaction whose one recipient rejects', async () => {
  const user = await newUser();
  await activeScript(user.id, 'require "ereject";\nereject "Go away.";\n');
  const replies = await lmtp('someone@remote.example', [user.address], message(user.address, 'hello'));
  assert.match(replies[0]!, /^550 5\.7\.1 Go away\./);

  const { dialog } = await SmtpDialog.open(mail.smtpPort);
  try {
    assert.match(await dialog.send('EHLO client.example'), /^250/);
    assert.match(await dialog.send('MAIL FROM:<someone@remote.example>'), /^250/);
    assert.match(await dialog.send(`RCPT TO:<${user.address}>`), /^250/);
    assert.match(await dialog.send('DATA'), /^354/);
    dialog.write(`${message(user.address, 'hello again')}.\r\n`);
    assert.match(await dialog.reply(), /^550 5\.7\.1 Go away\./);
  } finally {
    dialog.close();
  }
  assert.equal((await readMailbox(mail.port, user.address)).length, 0);
});

test('filters that cannot be read (the store went away after RCPT): 451 4.3.0, nothing filed past them', async () => {
  const user = await newUser();
  await activeScript(user.id, 'require "fileinto";\nfileinto "Archive";\n');
  const upstream = new URL(mail.store.uri);
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const store = connect(Number(upstream.port), upstream.hostname);
    for (const socket of [client, store]) {
      sockets.add(socket);
      socket.on('error', () => {});
    }
    client.pipe(store).pipe(client);
  });
  const proxyPort = await new Promise<number>((resolve) =>
    proxy.listen(0, '127.0.0.1', () => resolve((proxy.address() as { port: number }).port)),
  );
  const cut = () => {
    proxy.close();
    for (const socket of sockets) socket.destroy();
  };
  const client = new MongoClient(`mongodb://127.0.0.1:${proxyPort}/`, {
    serverSelectionTimeoutMS: 1500,
    socketTimeoutMS: 3000,
    connectTimeoutMS: 1500,
  });
  await client.connect();
  // a process of its own: no filters cached for this user yet
  const server = createDeliveryServer({
    ctx: storeContext(client.db(mail.store.name)),
    bus: mail.bus,
    mode: 'lmtp',
    serverName: SERVER_NAME,
    logger: pino({ level: 'silent' }),
  });
  const port = await listenOnFreePort(server);
  try {
    const { dialog } = await SmtpDialog.open(port);
    await dialog.send('LHLO client.example');
    await dialog.send('MAIL FROM:<someone@remote.example>');
    assert.match(await dialog.send(`RCPT TO:<${user.address}>`), /^250/);
    cut();
    assert.match(await dialog.send('DATA'), /^354/);
    dialog.write(`${message(user.address, 'store away')}.\r\n`);
    assert.match(await dialog.reply(60_000), /^451 4\.3\.0 /);
    dialog.close();
  } finally {
    cut();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await client.close(true).catch(() => {});
  }
  assert.equal((await readMailbox(mail.port, user.address)).length, 0);
  assert.equal((await readMailbox(mail.port, user.address, 'Archive')).length, 0);
});
