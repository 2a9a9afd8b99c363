import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { startMail, type MailHarness } from './mail-harness.js';
import { RawImapClient } from './raw-client.js';

// Sessions of one user on one instance share their journal reads (store-backend.ts); these tests
// pin that sharing never costs a session a change, whether others' or its own.

let mail: MailHarness;
before(async () => {
  mail = await startMail('sharedreads');
  await mail.createUser('many@example.com');
});
after(async () => {
  await mail.close();
});

async function idlingSession(): Promise<RawImapClient> {
  const client = await RawImapClient.open(mail.port);
  await client.command('LOGIN many@example.com secretpass');
  await client.command('SELECT INBOX');
  client.write('I1 IDLE\r\n');
  await client.waitFor(/^\+ /m);
  return client;
}

test('20 idling sessions of one user each see every one of 12 concurrent deliveries', async () => {
  const sessions = await Promise.all(Array.from({ length: 20 }, idlingSession));
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: mail.lmtpPort,
    lmtp: true,
    pool: true,
  });
  await Promise.all(
    Array.from({ length: 12 }, (_, index) =>
      transport.sendMail({ from: 'a@example.org', to: 'many@example.com', subject: `n${index}`, text: 'x' }),
    ),
  );
  transport.close();
  // EXISTS may be batched; each session must end at 12
  await Promise.all(sessions.map((session) => session.waitFor(/^\* 12 EXISTS\r\n/m)));
  for (const session of sessions) session.close();
});

test("a session's own APPEND is reported to it while other sessions read the same journal", async () => {
  const watchers = await Promise.all(Array.from({ length: 10 }, idlingSession));
  const writer = await RawImapClient.open(mail.port);
  await writer.command('LOGIN many@example.com secretpass');
  const selected = await writer.command('SELECT INBOX');
  const before = Number(/^\* (\d+) EXISTS/m.exec(selected)?.[1]);
  for (let round = 1; round <= 5; round++) {
    const response = await writer.command(`APPEND INBOX {17+}\r\nSubject: own\r\n\r\nx\r\n`);
    // RFC 3501 6.3.11: the new message is announced to the selected session
    const noop = response + (await writer.command('NOOP'));
    assert.match(noop, new RegExp(`^\\* ${before + round} EXISTS\\r\\n`, 'm'), noop);
  }
  await Promise.all(
    watchers.map((watcher) => watcher.waitFor(new RegExp(`^\\* ${before + 5} EXISTS\\r\\n`, 'm'))),
  );
  for (const client of [writer, ...watchers]) client.close();
});
