import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import {
  findUserByAddress,
  storageUsage,
  storeContext,
  sweepAbandonedUploads,
  toNumber,
} from '@wildduck/store';
import { createDeliveryServer } from '../src/delivery/delivery-server.js';
import { listenOnFreePort, SERVER_NAME, startMail, type MailHarness } from './mail-harness.js';
import { RawImapClient } from './raw-client.js';
import { SmtpDialog } from './smtp-dialog.js';

let mail: MailHarness;
before(async () => {
  mail = await startMail('lmtp');
});
after(async () => {
  await mail.close();
});

let counter = 0;
/** A fresh account for one test. */
async function newUser(options: { quota?: number } = {}): Promise<string> {
  const address = `lmtp${++counter}-${randomBytes(2).toString('hex')}@example.com`;
  await mail.createUser(address, options);
  return address;
}

async function inboxMessages(address: string) {
  const user = await findUserByAddress(mail.store.db, address);
  return mail.store.db
    .collection('messages')
    .find({ user: user!._id }, { projection: { uid: 1, size: 1, headerLines: 1 } })
    .toArray();
}

async function storageOf(address: string): Promise<number> {
  const user = await findUserByAddress(mail.store.db, address);
  return (await storageUsage(mail.store.db, user!._id))!.storageUsed;
}

function textMessage(subject: string, bodyBytes = 2000): string {
  return (
    `From: sender@example.org\r\nTo: someone@example.com\r\nSubject: ${subject}\r\n` +
    `Message-ID: <${randomBytes(6).toString('hex')}@example.org>\r\n\r\n` +
    `${'lorem ipsum '.repeat(Math.ceil(bodyBytes / 12)).slice(0, bodyBytes)}\r\n`
  );
}

test('three recipients: one delivered, one unknown (550 5.1.1 at RCPT), one over quota (552 5.2.2 after DATA)', async () => {
  const ok = await newUser();
  const small = await newUser({ quota: 1000 });
  const { dialog, greeting } = await SmtpDialog.open(mail.lmtpPort);
  assert.match(greeting, /^220 .*LMTP/);
  assert.match(await dialog.send('LHLO client.example'), /^250/);
  assert.match(await dialog.send('MAIL FROM:<sender@example.org>'), /^250/);
  assert.match(await dialog.send(`RCPT TO:<${ok}>`), /^250/);
  assert.match(await dialog.send('RCPT TO:<nobody-here@example.com>'), /^550 5\.1\.1 /);
  // not full yet: only the message's size, known after DATA, is too much
  assert.match(await dialog.send(`RCPT TO:<${small}>`), /^250/);
  assert.match(await dialog.send('DATA'), /^354/);
  dialog.write(`${textMessage('three recipients', 5000)}.\r\n`);
  // RFC 2033: one reply per accepted recipient, in RCPT order
  assert.match(await dialog.reply(), new RegExp(`^250 2\\.0\\.0 <${ok}> delivered`));
  assert.match(await dialog.reply(), new RegExp(`^552 5\\.2\\.2 <${small}>`));
  assert.match(await dialog.send('QUIT'), /^221/);
  dialog.close();

  assert.equal((await inboxMessages(ok)).length, 1);
  assert.equal((await inboxMessages(small)).length, 0);
  assert.equal(await storageOf(small), 0, 'the refused copy holds no storage');
  assert.equal(await storageOf(ok), toNumber((await inboxMessages(ok))[0]!.size));
});

test('a full mailbox is refused at RCPT, and so is a declared SIZE that would not fit', async () => {
  const full = await newUser({ quota: 3000 });
  const { dialog } = await SmtpDialog.open(mail.lmtpPort);
  await dialog.send('LHLO client.example');
  await dialog.send('MAIL FROM:<sender@example.org> SIZE=5000');
  assert.match(await dialog.send(`RCPT TO:<${full}>`), /^552 5\.2\.2 /);
  await dialog.send('RSET');
  await dialog.send('MAIL FROM:<sender@example.org>');
  assert.match(await dialog.send(`RCPT TO:<${full}>`), /^250/);
  await dialog.send('DATA');
  dialog.write(`${textMessage('fills it', 2500)}.\r\n`);
  assert.match(await dialog.reply(), /^250 /);
  // now 2.5 of 3 kB are used: a message of any size is refused before it is sent
  await dialog.send('MAIL FROM:<sender@example.org>');
  assert.match(await dialog.send(`RCPT TO:<${full}>`), /^250/, 'not full yet: 500 bytes remain');
  await dialog.send('RSET');
  await dialog.send('MAIL FROM:<sender@example.org> SIZE=600');
  assert.match(await dialog.send(`RCPT TO:<${full}>`), /^552 5\.2\.2 /);
  dialog.close();
});

test('nodemailer over LMTP: accepted and rejected recipients are reported per recipient', async () => {
  const first = await newUser();
  const second = await newUser();
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mail.lmtpPort, lmtp: true });
  const info = await transport.sendMail({
    from: 'sender@example.org',
    to: [first, 'unknown-person@example.com', second],
    subject: 'Per recipient',
    text: 'Hello over LMTP',
  });
  transport.close();
  assert.deepEqual([...info.accepted].sort(), [first, second].sort());
  assert.deepEqual(info.rejected, ['unknown-person@example.com']);
  assert.equal((await inboxMessages(first)).length, 1);
  assert.equal((await inboxMessages(second)).length, 1);
});

test('each copy gets Return-Path, Delivered-To and Received; a recipient given twice gets one copy', async () => {
  const address = await newUser();
  const { dialog } = await SmtpDialog.open(mail.lmtpPort);
  await dialog.send('LHLO relay.example');
  await dialog.send('MAIL FROM:<bounces@example.org>');
  await dialog.send(`RCPT TO:<${address}>`);
  // smtp-server keeps one entry per address, so the second RCPT is the same recipient, one reply
  assert.match(await dialog.send(`RCPT TO:<${address.toUpperCase()}>`), /^250/);
  await dialog.send('DATA');
  dialog.write(`${textMessage('trace headers')}.\r\n`);
  assert.match(await dialog.reply(), /^250 /);
  const second = await dialog.reply(2000).catch(() => null);
  dialog.close();
  const messages = await inboxMessages(address);
  assert.equal(messages.length, 1, `one copy (second reply: ${second})`);
  const lines = messages[0]!.headerLines as string[];
  assert.equal(lines[0], 'return-path: <bounces@example.org>');
  assert.equal(lines[1], `delivered-to: ${address}`);
  assert.match(
    lines[2]!,
    new RegExp(
      `^received: from relay\\.example .*by ${SERVER_NAME.replace(/\./g, '\\.')} with lmtp id \\w+ for <${address}>;`,
    ),
  );
});

test("Python's smtplib.LMTP delivers, and the body comes back byte for byte", async () => {
  const address = await newUser();
  const message = textMessage('from python', 3000);
  const script = [
    'import smtplib, sys',
    'client = smtplib.LMTP("127.0.0.1", int(sys.argv[1]))',
    'refused = client.sendmail("py@example.org", [sys.argv[2]], sys.argv[3].encode())',
    'print("refused", refused)',
    'client.quit()',
  ].join('\n');
  const { stdout } = await promisify(execFile)('python3', [
    '-c',
    script,
    String(mail.lmtpPort),
    address,
    message,
  ]);
  assert.match(stdout, /refused \{\}/);
  const raw = await RawImapClient.open(mail.port);
  await raw.command(`LOGIN ${address} secretpass`);
  await raw.command('SELECT INBOX');
  const fetched = await raw.fetchLiteral('UID FETCH 1 BODY.PEEK[]');
  raw.close();
  assert.ok(fetched.subarray(fetched.length - message.length).equals(Buffer.from(message)));
  assert.match(fetched.toString('latin1'), /^Return-Path: <py@example\.org>\r\nDelivered-To: /);
});

test('a 30 MB attachment is delivered over LMTP and fetched back over IMAP byte for byte', async () => {
  const address = await newUser();
  const attachment = randomBytes(22 * 1024 * 1024);
  const message = Buffer.from(
    'From: big@example.org\r\nTo: someone@example.com\r\nSubject: 30 MB\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n' +
      '--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n' +
      `Content-Disposition: attachment; filename="random.bin"\r\n\r\n${attachment.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n--b1--\r\n`,
  );
  assert.ok(message.length > 30 * 1000 * 1000, `${message.length} bytes`);
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mail.lmtpPort, lmtp: true });
  const info = await transport.sendMail({
    envelope: { from: 'big@example.org', to: [address] },
    raw: message,
  });
  transport.close();
  assert.deepEqual(info.accepted, [address]);

  const raw = await RawImapClient.open(mail.port);
  await raw.command(`LOGIN ${address} secretpass`);
  await raw.command('SELECT INBOX');
  const fetched = await raw.fetchLiteral('UID FETCH 1 BODY.PEEK[]');
  const part = await raw.fetchLiteral('UID FETCH 1 BODY.PEEK[2]');
  raw.close();
  assert.ok(
    fetched.subarray(fetched.length - message.length).equals(message),
    'the delivered bytes follow the trace headers',
  );
  assert.ok(
    Buffer.from(part.toString('latin1'), 'base64').equals(attachment),
    'the attachment decodes to what was sent',
  );
});

/** A TCP proxy in front of the store that can be cut, as if the store went away. */
class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private constructor(private readonly server: Server) {}
  static async start(upstream: URL): Promise<{ proxy: CuttableProxy; port: number }> {
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const store = connect(Number(upstream.port), upstream.hostname);
      for (const socket of [client, store]) {
        sockets.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => sockets.delete(socket));
      }
      client.pipe(store).pipe(client);
    });
    const proxy = new CuttableProxy(server);
    (proxy as unknown as { sockets: Set<Socket> }).sockets = sockets;
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    return { proxy, port };
  }
  cut(): void {
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
  }
}

test('the store going away during DATA gives 451 4.3.0 and leaves no message and no storage use', async () => {
  const address = await newUser();
  const parts = mail.store.db.collection('parts.files');
  const chunks = mail.store.db.collection('parts.chunks');
  const partsBefore = await parts.countDocuments({});
  const chunksBefore = await chunks.countDocuments({});
  const upstream = new URL(mail.store.uri);
  const { proxy, port } = await CuttableProxy.start(upstream);
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/`, {
    serverSelectionTimeoutMS: 1500,
    socketTimeoutMS: 3000,
    connectTimeoutMS: 1500,
  });
  await client.connect();
  const ctx = storeContext(client.db(mail.store.name));
  const lmtp = createDeliveryServer({
    ctx,
    bus: mail.bus,
    mode: 'lmtp',
    serverName: SERVER_NAME,
    logger: pino({ level: 'silent' }),
  });
  const lmtpPort = await listenOnFreePort(lmtp);
  try {
    const { dialog } = await SmtpDialog.open(lmtpPort);
    await dialog.send('LHLO client.example');
    await dialog.send('MAIL FROM:<sender@example.org>');
    assert.match(await dialog.send(`RCPT TO:<${address}>`), /^250/);
    assert.match(await dialog.send('DATA'), /^354/);
    const body = randomBytes(3 * 1024 * 1024)
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n');
    const half = Math.floor(body.length / 2);
    dialog.write(
      'From: sender@example.org\r\nSubject: cut\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n',
    );
    dialog.write(body.slice(0, half));
    await new Promise((resolve) => setTimeout(resolve, 500));
    proxy.cut();
    dialog.write(`${body.slice(half)}\r\n.\r\n`);
    assert.match(await dialog.reply(60_000), /^451 4\.3\.0 /);
    dialog.close();
  } finally {
    proxy.cut();
    await new Promise<void>((resolve) => lmtp.close(() => resolve()));
    await client.close(true).catch(() => {});
  }
  assert.equal((await inboxMessages(address)).length, 0, 'no message is visible');
  assert.equal(await storageOf(address), 0, 'no storage is counted');
  // the upload's own clean-up could not reach the store either; the periodic sweep removes its chunks
  await sweepAbandonedUploads(mail.store.db, 0, new Date(Date.now() + 2000));
  assert.equal(await parts.countDocuments({}), partsBefore, 'no part file is left');
  assert.equal(await chunks.countDocuments({}), chunksBefore, 'no chunk is left');
});
