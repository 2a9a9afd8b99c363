import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { listParts, storageUsage, storeContext } from '@wildduck/store';
import { createSubmissionServer } from '../src/delivery/submission-server.js';
import { LOGIN_LIMITS } from '../src/runtime.js';
import {
  listenOnFreePort,
  SERVER_NAME,
  startMailWithRelaySink,
  type RelayingMailHarness,
} from './mail-harness.js';
import { RawImapClient, readMailbox } from './raw-client.js';
import { SmtpClient } from './smtp-client.js';
import { REFUSED_PREFIX, type Relayed } from './outside-world.js';

let mail: RelayingMailHarness;
let relayed: Relayed[];

before(async () => {
  mail = await startMailWithRelaySink('submission');
  relayed = mail.relayed;
});
after(() => mail.close());

/** A fresh account per test, so the tests never see each other's mail or rate limits. */
let counter = 0;
async function newUser(name: string): Promise<{ address: string; id: ObjectId }> {
  const address = `${name}-${++counter}-${randomBytes(3).toString('hex')}@example.com`;
  return { address, id: new ObjectId(await mail.createUser(address)) };
}

function remoteAddress(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}@remote.example`;
}

/** EHLO, STARTTLS, EHLO again: ready for AUTH. */
async function secureSession(port = mail.submissionPort): Promise<SmtpClient> {
  const { client, greeting } = await SmtpClient.open(port);
  assert.equal(greeting.code, 220, greeting.line);
  assert.equal((await client.command('EHLO client.test')).code, 250);
  assert.equal((await client.startTls()).code, 220);
  const again = await client.command('EHLO client.test');
  assert.equal(again.code, 250);
  return client;
}

/** A secure session signed in as `address`. */
async function signedIn(address: string, port = mail.submissionPort): Promise<SmtpClient> {
  const client = await secureSession(port);
  const auth = await client.authPlain(address, 'secretpass');
  assert.equal(auth.code, 235, auth.line);
  return client;
}

function transport(user: string, extra: { authMethod?: string; port?: number; pass?: string } = {}) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: extra.port ?? mail.submissionPort,
    secure: false,
    requireTLS: true,
    name: 'client.test',
    tls: { rejectUnauthorized: false },
    auth: { user, pass: extra.pass ?? 'secretpass' },
    ...(extra.authMethod ? { authMethod: extra.authMethod } : {}),
  });
}

/** Every message of a mailbox over IMAP: the exact bytes (BODY[]) and the flags. */
function mailboxMessages(address: string, mailbox = 'INBOX') {
  return readMailbox(mail.port, address, mailbox);
}

async function messageCount(user: ObjectId): Promise<number> {
  return mail.store.db.collection('messages').countDocuments({ user });
}

async function storageUsed(user: ObjectId): Promise<number> {
  return (await storageUsage(mail.store.db, user))!.storageUsed;
}

/** The header block (latin1 text, up to the blank line) and the body bytes after it. */
function splitMessage(raw: Buffer): { header: string; body: Buffer } {
  const end = raw.indexOf('\r\n\r\n');
  assert.ok(end >= 0, 'the message has a header block');
  return { header: raw.subarray(0, end + 2).toString('latin1'), body: raw.subarray(end + 4) };
}

/** The unfolded value of the first header field named `name`, or undefined. */
function headerValue(header: string, name: string): string | undefined {
  const match = new RegExp(
    `^${name}:[ \\t]*((?:[^\\r\\n]*\\r\\n[ \\t][^\\r\\n]*)*[^\\r\\n]*)\\r\\n`,
    'im',
  ).exec(header);
  return match?.[1]!.replace(/\r\n[ \t]/g, ' ');
}

/** Runs a Python script (`python3 -c`) with JSON arguments; resolves its stdout. */
function python(script: string, args: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, JSON.stringify(args)], {
      env: { ...process.env, PYTHONUTF8: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`python3 exited ${code}: ${stderr}`)),
    );
  });
}

/** A submission server on the same store whose smarthost is `smarthost` (and limit `maxMessageSize`). */
async function submissionServerWith(
  smarthost: string,
  maxMessageSize?: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createSubmissionServer({
    ctx: maxMessageSize ? storeContext(mail.store.db, undefined, { maxMessageSize }) : mail.ctx,
    bus: mail.bus,
    serverName: SERVER_NAME,
    tls: mail.tls,
    logger: pino({ level: 'silent' }),
    smarthost,
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
  });
  const port = await listenOnFreePort(server);
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('MAIL before AUTH is 530, AUTH before STARTTLS is 538, AUTH PLAIN works after STARTTLS', async () => {
  const user = await newUser('order');
  const { client } = await SmtpClient.open(mail.submissionPort);
  try {
    const features = (await client.command('EHLO client.test')).lines;
    assert.ok(features.includes('STARTTLS'), features.join(' | '));
    const mailFrom = await client.command(`MAIL FROM:<${user.address}>`);
    assert.equal(mailFrom.code, 530, mailFrom.line);
    const early = await client.authPlain(user.address, 'secretpass');
    assert.equal(early.code, 538, early.line);
    assert.equal((await client.startTls()).code, 220);
    const secureFeatures = (await client.command('EHLO client.test')).lines;
    assert.ok(
      secureFeatures.some((line) => /^AUTH .*PLAIN/.test(line) && line.includes('LOGIN')),
      secureFeatures.join(' | '),
    );
    const auth = await client.authPlain(user.address, 'secretpass');
    assert.equal(auth.code, 235, auth.line);
    assert.equal((await client.command(`MAIL FROM:<${user.address}>`)).code, 250);
  } finally {
    await client.close();
  }
});

test('nodemailer signs in with AUTH PLAIN and with AUTH LOGIN', async () => {
  const user = await newUser('methods');
  for (const authMethod of ['PLAIN', 'LOGIN']) {
    const client = transport(user.address, { authMethod });
    try {
      assert.equal(await client.verify(), true, authMethod);
    } finally {
      client.close();
    }
  }
});

test('a wrong password is 535 5.7.8; after 10 failures even the right one gets 454 4.7.0', async () => {
  const user = await newUser('limited');
  const other = await newUser('unlimited');
  const wrong = transport(user.address, { pass: 'wrongpass' });
  try {
    await assert.rejects(wrong.verify(), (error: { responseCode?: number; response?: string }) => {
      assert.equal(error.responseCode, 535);
      assert.match(error.response ?? '', /^535 5\.7\.8 /);
      return true;
    });
  } finally {
    wrong.close();
  }
  const client = await secureSession();
  try {
    for (let attempt = 2; attempt <= 10; attempt++) {
      const reply = await client.authPlain(user.address, 'wrongpass');
      assert.ok(reply.line.startsWith('535 5.7.8 '), `attempt ${attempt}: ${reply.line}`);
    }
    const limited = await client.authPlain(user.address, 'secretpass');
    assert.equal(limited.code, 454, limited.line);
    assert.ok(limited.line.startsWith('454 4.7.0 '), limited.line);
    // the limit is the account's: another account from the same address still signs in
    const fine = await client.authPlain(other.address, 'secretpass');
    assert.equal(fine.code, 235, fine.line);
  } finally {
    await client.close();
  }
});

test("an envelope sender that is not the user's is 553 5.7.1; someone else's From: is 550 5.7.1, nothing stored", async () => {
  const user = await newUser('honest');
  const rcpt = await newUser('rcpt');
  const client = await signedIn(user.address);
  try {
    const forged = await client.command('MAIL FROM:<ceo@example.com>');
    assert.equal(forged.code, 553, forged.line);
    assert.ok(forged.line.startsWith('553 5.7.1 '), forged.line);
    assert.equal((await client.command(`MAIL FROM:<${user.address}>`)).code, 250);
    assert.equal((await client.command(`RCPT TO:<${rcpt.address}>`)).code, 250);
    const reply = await client.data(
      Buffer.from(
        `From: The CEO <ceo@example.com>\r\nTo: <${rcpt.address}>\r\nSubject: wire the money\r\n\r\nNow.\r\n`,
      ),
    );
    assert.equal(reply.code, 550, reply.line);
    assert.ok(reply.line.startsWith('550 5.7.1 '), reply.line);
  } finally {
    await client.close();
  }
  assert.equal(await messageCount(user.id), 0, 'no Sent copy');
  assert.equal(await messageCount(rcpt.id), 0, 'no local copy');
  assert.equal((await mailboxMessages(user.address, 'Sent Mail')).length, 0);
  assert.ok(!relayed.some((entry) => entry.from === user.address), 'nothing relayed');
});

test('local, remote and Bcc recipients: Bcc only in the Sent copy, trace headers on local copies, Message-ID and Date added', async () => {
  const sender = await newUser('sender');
  const local = await newUser('local');
  const hidden = await newUser('hidden');
  const remote = remoteAddress('remote');
  const body = Buffer.from('Hello both,\r\n\r\nsee you at 10.\r\n.and a line with a leading dot\r\n');
  const message = Buffer.concat([
    Buffer.from(
      `From: Sender <${sender.address}>\r\nTo: Local <${local.address}>, <${remote}>\r\n` +
        `Bcc: <${hidden.address}>\r\nSubject: meeting\r\nMIME-Version: 1.0\r\n` +
        `Content-Type: text/plain; charset=us-ascii\r\n\r\n`,
    ),
    body,
  ]);
  const client = transport(sender.address);
  let response: string;
  try {
    const info = await client.sendMail({
      envelope: { from: sender.address, to: [local.address, remote, hidden.address] },
      raw: message,
    });
    assert.deepEqual([...info.accepted].sort(), [local.address, remote, hidden.address].sort());
    response = info.response;
  } finally {
    client.close();
  }
  assert.match(response, /^250 /);
  const messageId = /(<[^>\s]+@[^>\s]+>)/.exec(response)?.[1];
  assert.ok(messageId, `the reply names the Message-ID: ${response}`);

  // the sender's Sent copy: exactly one, \Seen, Bcc kept, no delivery headers
  const sent = await mailboxMessages(sender.address, 'Sent Mail');
  assert.equal(sent.length, 1);
  assert.match(sent[0]!.flags, /\\Seen/);
  const sentCopy = splitMessage(sent[0]!.raw);
  assert.equal(headerValue(sentCopy.header, 'Bcc'), `<${hidden.address}>`);
  assert.equal(headerValue(sentCopy.header, 'Delivered-To'), undefined);
  assert.equal(headerValue(sentCopy.header, 'Return-Path'), undefined);
  assert.equal(headerValue(sentCopy.header, 'Message-ID'), messageId);
  const date = headerValue(sentCopy.header, 'Date');
  assert.ok(date && !Number.isNaN(Date.parse(date)), `a Date was added: ${date}`);
  assert.ok(Math.abs(Date.parse(date) - Date.now()) < 5 * 60_000);
  assert.ok(sentCopy.body.equals(body));
  assert.equal((await mailboxMessages(sender.address)).length, 0, 'nothing in the sender INBOX');

  // the local recipients: trace headers, no Bcc, the same Message-ID and Date
  for (const recipient of [local, hidden]) {
    const inbox = await mailboxMessages(recipient.address);
    assert.equal(inbox.length, 1, recipient.address);
    const copy = splitMessage(inbox[0]!.raw);
    assert.match(
      copy.header,
      new RegExp(`^Return-Path: <${sender.address}>\r\nDelivered-To: ${recipient.address}\r\nReceived: `),
    );
    const received = headerValue(copy.header, 'Received') ?? '';
    assert.match(
      received,
      new RegExp(`by ${SERVER_NAME.replace(/\./g, '\\.')} with ESMTPSA id \\S+ for <${recipient.address}>`),
    );
    assert.equal(headerValue(copy.header, 'Bcc'), undefined, `no Bcc for ${recipient.address}`);
    assert.equal(headerValue(copy.header, 'Message-ID'), messageId);
    assert.equal(headerValue(copy.header, 'Date'), date);
    assert.ok(copy.body.equals(body));
    assert.match(inbox[0]!.flags, /^(?!.*\\Seen)/, 'unread');
  }

  // the smarthost: only the remote address, the user as envelope sender, no Bcc
  const out = relayed.filter((entry) => entry.from === sender.address);
  assert.equal(out.length, 1);
  assert.deepEqual(out[0]!.to, [remote]);
  const relayedCopy = splitMessage(out[0]!.raw);
  assert.equal(headerValue(relayedCopy.header, 'Bcc'), undefined);
  assert.equal(headerValue(relayedCopy.header, 'Delivered-To'), undefined);
  assert.equal(headerValue(relayedCopy.header, 'Message-ID'), messageId);
  assert.match(
    headerValue(relayedCopy.header, 'Received') ?? '',
    new RegExp(`by ${SERVER_NAME.replace(/\./g, '\\.')} with ESMTPSA`),
  );
  assert.ok(relayedCopy.body.equals(body));
});

test('a smarthost that cannot be reached: 451 4.4.1 and nothing stored anywhere', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const server = await submissionServerWith(`smtp://127.0.0.1:${deadPort}`);
  const sender = await newUser('stranded');
  const local = await newUser('neighbour');
  const storageBefore = [await storageUsed(sender.id), await storageUsed(local.id)];
  const client = await signedIn(sender.address, server.port);
  try {
    assert.equal((await client.command(`MAIL FROM:<${sender.address}>`)).code, 250);
    assert.equal((await client.command(`RCPT TO:<${local.address}>`)).code, 250);
    assert.equal((await client.command(`RCPT TO:<${remoteAddress('far')}>`)).code, 250);
    const reply = await client.data(
      Buffer.from(`From: <${sender.address}>\r\nTo: <${local.address}>\r\nSubject: lost\r\n\r\nHello.\r\n`),
    );
    assert.equal(reply.code, 451, reply.line);
    assert.ok(reply.line.startsWith('451 4.4.1 '), reply.line);
  } finally {
    await client.close();
    await server.close();
  }
  assert.equal(await messageCount(sender.id), 0, 'no Sent copy');
  assert.equal(await messageCount(local.id), 0, 'no local copy');
  assert.deepEqual([await storageUsed(sender.id), await storageUsed(local.id)], storageBefore);
  assert.equal((await mailboxMessages(sender.address, 'Sent Mail')).length, 0);
  assert.equal((await mailboxMessages(local.address)).length, 0);
});

test('the smarthost refuses one of two remote recipients: 250, and a report in the sender INBOX names it', async () => {
  const sender = await newUser('partly');
  const accepted = remoteAddress('taken');
  const refused = remoteAddress(`${REFUSED_PREFIX}gone`);
  const client = await signedIn(sender.address);
  try {
    assert.equal((await client.command(`MAIL FROM:<${sender.address}>`)).code, 250);
    assert.equal((await client.command(`RCPT TO:<${accepted}>`)).code, 250);
    assert.equal((await client.command(`RCPT TO:<${refused}>`)).code, 250);
    const reply = await client.data(
      Buffer.from(
        `From: <${sender.address}>\r\nTo: <${accepted}>, <${refused}>\r\nSubject: to two\r\n` +
          `Message-ID: <partly-${randomBytes(4).toString('hex')}@example.com>\r\nDate: Tue, 3 Nov 2026 09:00:00 +0000\r\n\r\nHi.\r\n`,
      ),
    );
    assert.equal(reply.code, 250, reply.line);
  } finally {
    await client.close();
  }
  const out = relayed.filter((entry) => entry.from === sender.address);
  assert.equal(out.length, 1);
  assert.deepEqual(out[0]!.to, [accepted]);
  assert.equal((await mailboxMessages(sender.address, 'Sent Mail')).length, 1);
  const inbox = await mailboxMessages(sender.address);
  assert.equal(inbox.length, 1, 'one report');
  const report = inbox[0]!.raw.toString('utf8');
  assert.ok(report.includes(`<${refused}>`), report);
  assert.ok(!report.includes(`<${accepted}>:`), 'the accepted address is not reported');
  assert.match(report, /no such mailbox at the far end/);
});

test('a message over the size limit is answered 552 and no copy is kept or relayed', async () => {
  const limit = 1024 * 1024;
  // only a local recipient, so the smarthost is never used
  const server = await submissionServerWith('smtp://127.0.0.1:1', limit);
  const sender = await newUser('oversize');
  const local = await newUser('oversize-rcpt');
  const partsBefore = (await listParts(mail.store.db)).length;
  const client = await signedIn(sender.address, server.port);
  try {
    assert.equal((await client.command(`MAIL FROM:<${sender.address}>`)).code, 250);
    assert.equal((await client.command(`RCPT TO:<${local.address}>`)).code, 250);
    const line = `${'y'.repeat(998)}\r\n`;
    const reply = await client.data(
      Buffer.from(
        `From: <${sender.address}>\r\nTo: <${local.address}>\r\nSubject: too big\r\n\r\n` +
          line.repeat(Math.ceil((limit * 1.5) / line.length)),
      ),
    );
    assert.equal(reply.code, 552, reply.line);
  } finally {
    await client.close();
    await server.close();
  }
  assert.equal(await messageCount(sender.id), 0, 'no Sent copy');
  assert.equal(await messageCount(local.id), 0, 'no local copy');
  assert.equal(await storageUsed(sender.id), 0);
  assert.equal(await storageUsed(local.id), 0);
  assert.equal((await listParts(mail.store.db)).length, partsBefore, 'no part is left');
});

const SMTPLIB_SUBMIT = `
import json, smtplib, ssl, sys
from email.message import EmailMessage
args = json.loads(sys.argv[1])
message = EmailMessage()
message['From'] = args['from']
message['To'] = args['to']
message['Subject'] = 'sent with smtplib'
message.set_content('Sent with smtplib, naïvely.\\n')
with smtplib.SMTP(args['host'], args['port'], local_hostname='client.test') as smtp:
    smtp.starttls(context=ssl._create_unverified_context())
    smtp.login(args['from'], args['password'])
    refused = smtp.send_message(message)
print(json.dumps({'refused': refused}))
`;

test('smtplib: STARTTLS, login and send_message; the Sent copy appears', async () => {
  const sender = await newUser('python');
  const rcpt = await newUser('pyrcpt');
  const output = await python(SMTPLIB_SUBMIT, {
    host: '127.0.0.1',
    port: mail.submissionPort,
    from: sender.address,
    to: rcpt.address,
    password: 'secretpass',
  });
  assert.deepEqual(JSON.parse(output), { refused: {} });
  const sent = await mailboxMessages(sender.address, 'Sent Mail');
  assert.equal(sent.length, 1);
  assert.match(sent[0]!.flags, /\\Seen/);
  assert.equal(headerValue(splitMessage(sent[0]!.raw).header, 'Subject'), 'sent with smtplib');
  const inbox = await mailboxMessages(rcpt.address);
  assert.equal(inbox.length, 1);
  assert.match(inbox[0]!.raw.toString('utf8'), /naïvely/);
});

test('a 30 MB attachment to a local user comes back over IMAP byte for byte', async () => {
  const sender = await newUser('bigsend');
  const rcpt = await newUser('bigrcpt');
  const attachment = randomBytes(30 * 1024 * 1024)
    .toString('base64')
    .replace(/.{76}/g, '$&\r\n');
  const body = Buffer.from(
    `--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThe file is attached.\r\n` +
      `--b1\r\nContent-Type: application/octet-stream; name="big.bin"\r\n` +
      `Content-Disposition: attachment; filename="big.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n` +
      `${attachment}\r\n--b1--\r\n`,
  );
  const message = Buffer.concat([
    Buffer.from(
      `From: <${sender.address}>\r\nTo: <${rcpt.address}>\r\nSubject: big file\r\n` +
        `MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n`,
    ),
    body,
  ]);
  const client = transport(sender.address);
  try {
    const info = await client.sendMail({
      envelope: { from: sender.address, to: [rcpt.address] },
      raw: message,
    });
    assert.match(info.response, /^250 /);
  } finally {
    client.close();
  }
  const imap = await RawImapClient.open(mail.port);
  try {
    assert.match(await imap.command(`LOGIN ${rcpt.address} secretpass`), /^T\d+ OK/m);
    assert.match(await imap.command('SELECT INBOX'), /^\* 1 EXISTS/m);
    const fetched = await imap.fetchLiteral('FETCH 1 BODY.PEEK[]');
    const copy = splitMessage(fetched);
    assert.equal(copy.body.length, body.length);
    assert.ok(copy.body.equals(body), 'the body after the header block is the one sent');
  } finally {
    imap.close();
  }
  assert.equal(await messageCount(sender.id), 1, 'the Sent copy');
});
