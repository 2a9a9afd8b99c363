import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Double, ObjectId } from 'mongodb';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { listParts, storageUsage, storeContext } from '@wildduck/store';
import { createDeliveryServer } from '../src/delivery/delivery-server.js';
import { listenOnFreePort, SERVER_NAME, startMail, type MailHarness } from './mail-harness.js';
import { readMailbox } from './raw-client.js';
import { SmtpClient } from './smtp-client.js';

let mail: MailHarness;
before(async () => {
  mail = await startMail('smtpdrop');
});
after(async () => {
  await mail.close();
});

/** A fresh address (and account) per test, so the tests never see each other's mail. */
let counter = 0;
async function newUser(
  name: string,
  quota: number | null = null,
): Promise<{ address: string; id: ObjectId }> {
  const address = `${name}-${++counter}-${randomBytes(3).toString('hex')}@example.com`;
  return { address, id: new ObjectId(await mail.createUser(address, { quota })) };
}

/** Opens a connection and says EHLO. */
async function ehlo(port = mail.smtpPort): Promise<{ client: SmtpClient; features: string[] }> {
  const { client, greeting } = await SmtpClient.open(port);
  assert.equal(greeting.code, 220, greeting.line);
  const reply = await client.command('EHLO client.test');
  assert.equal(reply.code, 250, reply.line);
  return { client, features: reply.lines.slice(1) };
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

/** The trace block a final delivery writes on top: Return-Path, Delivered-To, Received (3 lines). */
const TRACE_BLOCK =
  /^Return-Path: <([^>\r\n]*)>\r\nDelivered-To: ([^\r\n]*)\r\n(Received: [^\r\n]*\r\n\t[^\r\n]*\r\n\t[^\r\n]*\r\n)/;

/** Splits a delivered copy into its trace headers and the bytes that follow them. */
function splitTrace(raw: Buffer): {
  returnPath: string;
  deliveredTo: string;
  received: string;
  rest: Buffer;
} {
  const text = raw.toString('latin1');
  const match = TRACE_BLOCK.exec(text);
  assert.ok(match, `a delivered copy starts with its trace headers:\n${text.slice(0, 400)}`);
  return {
    returnPath: Buffer.from(match[1]!, 'latin1').toString('utf8'),
    deliveredTo: Buffer.from(match[2]!, 'latin1').toString('utf8'),
    received: match[3]!,
    rest: raw.subarray(match[0].length),
  };
}

function simpleMessage(to: string, subject: string, body = 'Hello there.\r\n'): Buffer {
  return Buffer.from(
    `From: Sender <sender@example.org>\r\nTo: <${to}>\r\nSubject: ${subject}\r\n` +
      `Message-ID: <${randomBytes(6).toString('hex')}@example.org>\r\nDate: Tue, 3 Nov 2026 09:00:00 +0000\r\n` +
      `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`,
  );
}

/** Runs a Python script (`python3 -c`) with JSON arguments and bytes on stdin; resolves its stdout. */
function python(script: string, args: unknown, input: Buffer = Buffer.alloc(0)): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, JSON.stringify(args)], {
      env: { ...process.env, PYTHONUTF8: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`python3 exited ${code}: ${stderr}`)),
    );
    child.stdin.end(input);
  });
}

test('EHLO advertises SIZE, 8BITMIME, SMTPUTF8 and STARTTLS, and no AUTH', async () => {
  const { client, features } = await ehlo();
  try {
    assert.ok(features.includes(`SIZE ${mail.ctx.settings.maxMessageSize}`), features.join(' | '));
    for (const feature of ['8BITMIME', 'SMTPUTF8', 'STARTTLS'])
      assert.ok(features.includes(feature), `${feature} in ${features.join(' | ')}`);
    assert.ok(!features.some((feature) => feature.startsWith('AUTH')), 'the maildrop takes no AUTH');
    assert.equal((await client.startTls()).code, 220);
    const again = await client.command('EHLO client.test');
    assert.equal(again.code, 250);
    assert.ok(!again.lines.includes('STARTTLS'), 'no STARTTLS once secure');
  } finally {
    await client.close();
  }
});

test('an unknown recipient is refused at RCPT with 550 5.1.1', async () => {
  const { client } = await ehlo();
  try {
    assert.equal((await client.command('MAIL FROM:<sender@example.org>')).code, 250);
    const reply = await client.command(`RCPT TO:<nobody-${randomBytes(4).toString('hex')}@example.com>`);
    assert.equal(reply.code, 550, reply.line);
    assert.ok(reply.line.startsWith('550 5.1.1 '), reply.line);
    const data = await client.command('DATA');
    assert.equal(data.code, 503, 'no recipient was accepted');
  } finally {
    await client.close();
  }
});

test('a recipient already over quota is refused at RCPT with 552 5.2.2', async () => {
  const full = await newUser('full', 1000);
  await mail.store.db
    .collection('users')
    .updateOne({ _id: full.id }, { $set: { storageUsed: new Double(1200) } });
  const roomy = await newUser('roomy', 100_000);
  const { client } = await ehlo();
  try {
    assert.equal((await client.command('MAIL FROM:<sender@example.org>')).code, 250);
    const reply = await client.command(`RCPT TO:<${full.address}>`);
    assert.equal(reply.code, 552, reply.line);
    assert.ok(reply.line.startsWith(`552 5.2.2 <${full.address}>`), reply.line);
    // a size announced with MAIL FROM is checked against the room left, too
    assert.equal((await client.command('RSET')).code, 250);
    assert.equal((await client.command('MAIL FROM:<sender@example.org> SIZE=200000')).code, 250);
    const tooMuch = await client.command(`RCPT TO:<${roomy.address}>`);
    assert.ok(tooMuch.line.startsWith('552 5.2.2 '), tooMuch.line);
  } finally {
    await client.close();
  }
  assert.equal(await messageCount(full.id), 0);
});

test('MAIL FROM with a SIZE over the limit is refused with 552', async () => {
  const { client } = await ehlo();
  try {
    const reply = await client.command(
      `MAIL FROM:<sender@example.org> SIZE=${mail.ctx.settings.maxMessageSize + 1}`,
    );
    assert.equal(reply.code, 552, reply.line);
    const within = await client.command(
      `MAIL FROM:<sender@example.org> SIZE=${mail.ctx.settings.maxMessageSize}`,
    );
    assert.equal(within.code, 250, within.line);
  } finally {
    await client.close();
  }
});

test('a message larger than the limit is answered 552 and nothing is stored', async () => {
  const limit = 1024 * 1024;
  const server = createDeliveryServer({
    ctx: storeContext(mail.store.db, undefined, { maxMessageSize: limit }),
    bus: mail.bus,
    mode: 'smtp',
    serverName: SERVER_NAME,
    tls: mail.tls,
    logger: pino({ level: 'silent' }),
  });
  const port = await listenOnFreePort(server);
  const rcpt = await newUser('big');
  const partsBefore = (await listParts(mail.store.db)).length;
  const { client, features } = await ehlo(port);
  try {
    assert.ok(features.includes(`SIZE ${limit}`), features.join(' | '));
    assert.equal((await client.command('MAIL FROM:<sender@example.org>')).code, 250);
    assert.equal((await client.command(`RCPT TO:<${rcpt.address}>`)).code, 250);
    const line = `${'x'.repeat(998)}\r\n`;
    const oversized = simpleMessage(
      rcpt.address,
      'too big',
      line.repeat(Math.ceil((limit * 1.5) / line.length)),
    );
    const reply = await client.data(oversized);
    assert.equal(reply.code, 552, reply.line);
    // the connection is still usable, and a message within the limit goes through
    assert.equal((await client.command('MAIL FROM:<sender@example.org>')).code, 250);
    assert.equal((await client.command(`RCPT TO:<${rcpt.address}>`)).code, 250);
    const fits = await client.data(simpleMessage(rcpt.address, 'fits', line.repeat(100)));
    assert.equal(fits.code, 250, fits.line);
  } finally {
    await client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const inbox = await mailboxMessages(rcpt.address);
  assert.equal(inbox.length, 1, 'only the message within the limit was stored');
  assert.match(inbox[0]!.raw.toString('latin1'), /^Subject: fits\r$/m);
  assert.equal(await storageUsed(rcpt.id), inbox[0]!.raw.length);
  assert.equal(
    (await listParts(mail.store.db)).length,
    partsBefore,
    'no part of the oversized message is left',
  );
});

test('one recipient without room refuses the whole transaction: 552 5.2.2, no copy for anyone', async () => {
  const roomy = await newUser('allornone-a');
  const small = await newUser('allornone-b', 4000);
  // large enough for its body to go to GridFS, so parts must be given back too
  const line = `${'abcdefghij'.repeat(7)}\r\n`;
  const message = simpleMessage(roomy.address, 'for two', line.repeat(Math.ceil((200 * 1024) / line.length)));
  const partsBefore = (await listParts(mail.store.db)).length;
  const { client } = await ehlo();
  try {
    assert.equal((await client.command('MAIL FROM:<sender@example.org>')).code, 250);
    assert.equal((await client.command(`RCPT TO:<${roomy.address}>`)).code, 250);
    const accepted = await client.command(`RCPT TO:<${small.address}>`);
    assert.equal(accepted.code, 250, 'not full before the message, so accepted at RCPT');
    const reply = await client.data(message);
    assert.equal(reply.code, 552, reply.line);
    assert.ok(reply.line.startsWith(`552 5.2.2 <${small.address}>`), reply.line);
  } finally {
    await client.close();
  }
  assert.equal(await messageCount(roomy.id), 0, 'the copy already stored was taken back');
  assert.equal(await messageCount(small.id), 0);
  assert.equal(await storageUsed(roomy.id), 0);
  assert.equal(await storageUsed(small.id), 0);
  assert.equal((await mailboxMessages(roomy.address)).length, 0);
  assert.equal((await listParts(mail.store.db)).length, partsBefore, 'the shared body was released');
});

const SEND_UTF8 = `
import json, smtplib, sys
args = json.loads(sys.argv[1])
message = sys.stdin.buffer.read()
with smtplib.SMTP(args['host'], args['port'], local_hostname='client.test') as smtp:
    refused = smtp.sendmail(args['from'], [args['to']], message, mail_options=['SMTPUTF8', 'BODY=8BITMIME'])
print(json.dumps({'refused': refused}))
`;

test('smtplib delivers an 8-bit SMTPUTF8 message byte for byte, with Return-Path, Delivered-To and Received', async () => {
  const rcpt = await newUser('utf8');
  const sender = 'jörg.müller@例え.example';
  const message = Buffer.from(
    `From: Jörg Müller <${sender}>\r\nTo: <${rcpt.address}>\r\n` +
      `Subject: Grüße aus Zürich — 日本語の件名\r\nMessage-ID: <utf8-${randomBytes(4).toString('hex')}@example.org>\r\n` +
      `Date: Tue, 3 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n` +
      `Straße, Œuvre, naïve café.\r\n.a line that starts with a dot\r\nこんにちは世界 🦆\r\n`,
    'utf8',
  );
  const output = await python(
    SEND_UTF8,
    { host: '127.0.0.1', port: mail.smtpPort, from: sender, to: rcpt.address },
    message,
  );
  assert.deepEqual(JSON.parse(output), { refused: {} });

  const [copy, ...others] = await mailboxMessages(rcpt.address);
  assert.ok(copy);
  assert.equal(others.length, 0);
  const trace = splitTrace(copy.raw);
  assert.ok(
    trace.rest.equals(message),
    `the message follows the trace headers unchanged:\n${trace.rest.toString()}`,
  );
  assert.equal(trace.returnPath, sender);
  assert.equal(trace.deliveredTo, rcpt.address);
  assert.match(trace.received, /^Received: from client\.test \(\[127\.0\.0\.1\]\)\r\n/);
  assert.match(
    trace.received,
    new RegExp(`\\tby ${SERVER_NAME.replace(/\./g, '\\.')} with ESMTP id \\S+ for <${rcpt.address}>;`),
  );
  assert.equal(await storageUsed(rcpt.id), copy.raw.length);
});

test('STARTTLS works (nodemailer requireTLS) and the Received header says ESMTPS', async () => {
  const rcpt = await newUser('tls');
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: mail.smtpPort,
    secure: false,
    requireTLS: true,
    name: 'client.test',
    tls: { rejectUnauthorized: false },
  });
  const message = simpleMessage(rcpt.address, 'over TLS');
  try {
    const info = await transport.sendMail({
      envelope: { from: 'sender@example.org', to: [rcpt.address] },
      raw: message,
    });
    assert.deepEqual(info.accepted, [rcpt.address]);
    assert.match(info.response, /^250 /);
  } finally {
    transport.close();
  }
  const [copy] = await mailboxMessages(rcpt.address);
  assert.ok(copy);
  const trace = splitTrace(copy.raw);
  assert.ok(trace.rest.equals(message));
  assert.equal(trace.returnPath, 'sender@example.org');
  assert.equal(trace.deliveredTo, rcpt.address);
  assert.match(trace.received, new RegExp(`by ${SERVER_NAME.replace(/\./g, '\\.')} with ESMTPS id `));
});
