/**
 * Delivery to shared addresses (team inboxes, issue 19): an address of a mailbox delivers into that
 * mailbox as its owner's mail (the owner's Sieve filters, the owner's quota), over LMTP and the SMTP
 * maildrop with real clients on the real store; the owner's vacation reply never answers it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';
import nodemailer from 'nodemailer';
import {
  activateSieveScript,
  createMailbox,
  createMailboxAddress,
  deleteMailboxAndMessages,
  putSieveScript,
  setVacation,
  storageUsage,
  updateUser,
} from '@wildduck/store';
import { startMailWithRelaySink, type RelayingMailHarness } from './mail-harness.js';
import { readMailbox } from './raw-client.js';
import { SmtpDialog } from './smtp-dialog.js';

let mail: RelayingMailHarness;

before(async () => {
  mail = await startMailWithRelaySink('team-inbox-delivery');
});
after(() => mail.close());

const unique = () => randomBytes(3).toString('hex');

/** An owner with a `Team` mailbox that a fresh team address delivers into. */
async function teamInbox(options: { quota?: number } = {}) {
  const owner = `owner-${unique()}@example.com`;
  const id = new ObjectId(await mail.createUser(owner, { quota: options.quota ?? null }));
  const created = await createMailbox(mail.store.db, id, 'Team');
  assert.ok(created.ok && created.mailbox);
  const team = `team-${unique()}@example.com`;
  await createMailboxAddress(mail.store.db, { address: team, mailbox: created.mailbox });
  return { owner, id, team, mailbox: created.mailbox };
}

function message(to: string, subject: string, from = 'someone@remote.example'): string {
  return (
    `From: <${from}>\r\nTo: <${to}>\r\nSubject: ${subject}\r\n` +
    `Message-ID: <${unique()}${unique()}@remote.example>\r\n\r\nHello team.\r\n`
  );
}

/** One LMTP transaction; the replies after DATA, one per recipient. */
async function lmtp(from: string, to: readonly string[], raw: string): Promise<string[]> {
  const { dialog } = await SmtpDialog.open(mail.lmtpPort);
  try {
    assert.match(await dialog.send('LHLO client.example'), /^250/);
    assert.match(await dialog.send(`MAIL FROM:<${from}>`), /^250/);
    for (const rcpt of to) assert.match(await dialog.send(`RCPT TO:<${rcpt}>`), /^250/);
    assert.match(await dialog.send('DATA'), /^354/);
    dialog.write(`${raw}.\r\n`);
    const replies: string[] = [];
    for (let i = 0; i < to.length; i++) replies.push(await dialog.reply());
    await dialog.send('QUIT');
    return replies;
  } finally {
    dialog.close();
  }
}

/** The reply to `RCPT TO:<address>` (after `MAIL FROM` with `mailFrom`). */
async function rcptReply(address: string, mailFrom = '<sender@remote.example>'): Promise<string> {
  const { dialog } = await SmtpDialog.open(mail.lmtpPort);
  try {
    await dialog.send('LHLO client.example');
    assert.match(await dialog.send(`MAIL FROM:${mailFrom}`), /^250/);
    return await dialog.send(`RCPT TO:<${address}>`);
  } finally {
    dialog.close();
  }
}

async function storageOf(user: ObjectId): Promise<number> {
  return (await storageUsage(mail.store.db, user))!.storageUsed;
}

test('mail to a team address lands in the shared mailbox, Delivered-To the team address, charged to the owner', async () => {
  const { owner, id, team } = await teamInbox();
  const raw = message(team, 'for the team');
  const replies = await lmtp('someone@remote.example', [team], raw);
  assert.match(replies[0]!, new RegExp(`^250 2\\.0\\.0 <${team}> delivered`));

  const shared = await readMailbox(mail.port, owner, 'Team');
  assert.equal(shared.length, 1);
  assert.equal((await readMailbox(mail.port, owner)).length, 0, 'nothing in the owner’s INBOX');
  const stored = shared[0]!.raw;
  assert.match(
    stored.toString(),
    new RegExp(`^Return-Path: <someone@remote\\.example>\r\nDelivered-To: ${team}\r\n`),
  );
  assert.ok(stored.toString().endsWith(raw));
  assert.equal(await storageOf(id), stored.length, 'the owner’s storage holds the copy');
});

test('the SMTP maildrop (nodemailer) delivers to a team address too', async () => {
  const { owner, team } = await teamInbox();
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: mail.smtpPort,
    secure: false,
    ignoreTLS: true,
    name: 'client.test',
  });
  try {
    const info = await transport.sendMail({
      envelope: { from: 'someone@remote.example', to: [team] },
      raw: message(team, 'over smtp'),
    });
    assert.deepEqual(info.accepted, [team]);
  } finally {
    transport.close();
  }
  const shared = await readMailbox(mail.port, owner, 'Team');
  assert.equal(shared.length, 1);
  assert.match(shared[0]!.raw.toString(), /^Subject: over smtp\r$/m);
});

test('the owner’s Sieve filter applies to team mail; keep and the implicit keep file into the shared mailbox', async () => {
  const { owner, id, team } = await teamInbox();
  await putSieveScript(
    mail.store.db,
    id,
    'main',
    'require "fileinto";\n' +
      'if header :contains "subject" "invoice" { fileinto "Archive"; }\n' +
      'elsif header :contains "subject" "keep this" { keep; fileinto "Archive"; }\n',
    mail.ctx.locks,
  );
  await activateSieveScript(mail.store.db, id, 'main', mail.ctx.locks);

  await lmtp('someone@remote.example', [team], message(team, 'Your invoice'));
  await lmtp('someone@remote.example', [team], message(team, 'keep this please'));
  await lmtp('someone@remote.example', [team], message(team, 'lunch?'));
  // and the same script for the owner's own mail keeps into the owner's INBOX, as before
  await lmtp('someone@remote.example', [owner], message(owner, 'personal'));

  const subjects = async (path: string) =>
    (await readMailbox(mail.port, owner, path)).map(
      (entry) => /^Subject: (.*)\r$/m.exec(entry.raw.toString())?.[1],
    );
  assert.deepEqual(await subjects('Archive'), ['Your invoice', 'keep this please']);
  assert.deepEqual(await subjects('Team'), ['keep this please', 'lunch?']);
  assert.deepEqual(await subjects('INBOX'), ['personal']);
});

test('one transaction to the owner and to the team address stores one copy in each', async () => {
  const { owner, team } = await teamInbox();
  const replies = await lmtp('someone@remote.example', [owner, team], message(team, 'both'));
  assert.match(replies[0]!, new RegExp(`^250 2\\.0\\.0 <${owner}> delivered`));
  assert.match(replies[1]!, new RegExp(`^250 2\\.0\\.0 <${team}> delivered`));
  const inbox = await readMailbox(mail.port, owner);
  const shared = await readMailbox(mail.port, owner, 'Team');
  assert.equal(inbox.length, 1);
  assert.equal(shared.length, 1);
  assert.match(inbox[0]!.raw.toString(), new RegExp(`^Delivered-To: ${owner}\r$`, 'm'));
  assert.match(shared[0]!.raw.toString(), new RegExp(`^Delivered-To: ${team}\r$`, 'm'));
});

test('a full or disabled owner refuses team mail as it refuses its own', async () => {
  const full = await teamInbox({ quota: 3000 });
  assert.match(await rcptReply(full.team, '<sender@remote.example> SIZE=5000'), /^552 5\.2\.2 /);
  const replies = await lmtp(
    'someone@remote.example',
    [full.team],
    `${message(full.team, 'big')}${'x'.repeat(4000)}\r\n`,
  );
  assert.match(replies[0]!, new RegExp(`^552 5\\.2\\.2 <${full.team}>`));
  assert.equal(await storageOf(full.id), 0);

  const disabled = await teamInbox();
  await updateUser(mail.ctx, disabled.id, { disabled: true });
  assert.match(await rcptReply(disabled.team), /^550 5\.2\.1 /);
});

test('an unknown address is still 550, and so is a team address whose mailbox was deleted', async () => {
  assert.match(await rcptReply(`nobody-${unique()}@example.com`), /^550 5\.1\.1 /);
  const { owner, id, team, mailbox } = await teamInbox();
  assert.match(await rcptReply(team), /^250/);
  assert.equal(await deleteMailboxAndMessages(mail.ctx, id, mailbox), 'deleted');
  assert.match(await rcptReply(team), /^550 5\.1\.1 /);
  // the owner's own address is not affected
  assert.match(await rcptReply(owner), /^250/);
});

test('the owner’s vacation reply does not answer mail to a team address', async () => {
  const { owner, id, team } = await teamInbox();
  await setVacation(
    mail.store.db,
    id,
    { enabled: true, subject: 'Away', text: 'I am away.', start: null, end: null, days: 3 },
    mail.ctx.locks,
  );
  const sender = `colleague-${unique()}@remote.example`;
  const replies = await lmtp(sender, [team], message(team, 'team question', sender));
  assert.match(replies[0]!, /^250 /);
  // follow-ups are written before the LMTP reply: no reply was claimed nor queued for the owner
  assert.equal(await mail.store.db.collection('vacationReplies').countDocuments({ user: id }), 0);
  assert.equal(await mail.store.db.collection('mailOutbox').countDocuments({ user: id }), 0);

  // the same sender writing to the owner's own address does get the reply: the vacation is on
  await lmtp(sender, [owner], message(owner, 'personal question', sender));
  const deadline = Date.now() + 10_000;
  while (!mail.relayed.some((entry) => entry.to.includes(sender))) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the vacation reply');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const answered = mail.relayed.filter((entry) => entry.to.includes(sender));
  assert.equal(answered.length, 1);
  assert.match(answered[0]!.raw.toString(), /^Subject: Away\r$/m);
});
