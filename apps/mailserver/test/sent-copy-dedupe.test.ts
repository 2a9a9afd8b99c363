import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { startMail, type MailHarness } from './mail-harness.js';

let mail: MailHarness;
let imap: ImapFlow;
before(async () => {
  mail = await startMail('sentdedupe');
  await mail.createUser('writer@example.com');
  await mail.createUser('reader@example.com');
  imap = new ImapFlow({
    host: '127.0.0.1',
    port: mail.port,
    secure: false,
    auth: { user: 'writer@example.com', pass: 'secretpass' },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await imap.connect();
});
after(async () => {
  await imap.logout();
  await mail.close();
});

function message(id: string, subject: string): string {
  return (
    `From: writer@example.com\r\nTo: reader@example.com\r\nSubject: ${subject}\r\n` +
    `Message-ID: <${id}@example.com>\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n\r\nHello.\r\n`
  );
}

async function submit(raw: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: mail.submissionPort,
    auth: { user: 'writer@example.com', pass: 'secretpass' },
    tls: { rejectUnauthorized: false },
  });
  await transport.sendMail({ envelope: { from: 'writer@example.com', to: ['reader@example.com'] }, raw });
  transport.close();
}

test("a client's own APPEND to Sent of a message submission already filed keeps one copy", async () => {
  const raw = message('dedupe-1', 'sent once');
  await submit(raw);
  const filed = await imap.status('Sent Mail', { messages: true, uidNext: true });
  assert.equal(filed.messages, 1);
  // what Thunderbird does after sending: APPEND the same message to Sent
  const appended = await imap.append('Sent Mail', raw, ['\\Seen']);
  assert.ok(appended);
  assert.equal(appended.uid, Number(filed.uidNext) - 1, 'APPENDUID names the copy already filed');
  const after = await imap.status('Sent Mail', { messages: true });
  assert.equal(after.messages, 1, 'Sent shows the message once');
});

test('other APPENDs to Sent are stored as usual, even twice over', async () => {
  const raw = message('dedupe-2', 'appended by hand');
  const before = await imap.status('Sent Mail', { messages: true });
  await imap.append('Sent Mail', raw);
  await imap.append('Sent Mail', raw);
  const after = await imap.status('Sent Mail', { messages: true });
  assert.equal(after.messages, (before.messages ?? 0) + 2, 'only submission copies take a duplicate APPEND');
  // and an APPEND of a submitted message to another mailbox is a copy like any other
  const archive = await imap.status('Archive', { messages: true });
  await imap.append('Archive', message('dedupe-1', 'sent once'));
  assert.equal((await imap.status('Archive', { messages: true })).messages, (archive.messages ?? 0) + 1);
});
