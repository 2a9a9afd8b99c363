import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { startMail, type MailHarness } from './mail-harness.js';

const example = join(fileURLToPath(new URL('.', import.meta.url)), '../../../examples/push-mail.js');

let mail: MailHarness;
before(async () => {
  mail = await startMail('pushmail');
  await mail.createUser('push@example.com');
});
after(async () => {
  await mail.close();
});

test('examples/push-mail.js delivers through the SMTP maildrop and an IMAP client in IDLE sees it at once', async () => {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: mail.port,
    secure: false,
    auth: { user: 'push@example.com', pass: 'secretpass' },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await client.connect();
  const lock = await client.getMailboxLock('INBOX');
  const arrived = new Promise<number>((resolve) => client.on('exists', () => resolve(Date.now())));
  // imapflow enters IDLE by itself once the connection is quiet
  const idling = client.idle();

  const { stdout } = await promisify(execFile)(process.execPath, [example, 'push@example.com', 'pushed'], {
    env: { ...process.env, SMTP_PORT: String(mail.smtpPort) },
  });
  const delivered = Date.now();
  assert.match(stdout, /delivered to push@example\.com: 250 /);
  const seenAt = await Promise.race([
    arrived,
    new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no EXISTS within 5 s')), 5000)),
  ]);
  assert.ok(seenAt - delivered < 1000, `EXISTS ${seenAt - delivered} ms after the delivery finished`);

  const message = await client.fetchOne('*', { envelope: true });
  assert.equal(message && message.envelope?.subject, 'pushed');
  lock.release();
  await idling.catch(() => {});
  await client.logout();
});

test('examples/push-mail.js reports an unknown address and exits with an error', async () => {
  const failure = await promisify(execFile)(process.execPath, [example, 'nobody@example.com'], {
    env: { ...process.env, SMTP_PORT: String(mail.smtpPort) },
  }).catch((error: { code: number; stderr: string }) => error);
  assert.equal((failure as { code: number }).code, 1);
  assert.match((failure as { stderr: string }).stderr, /550 5\.1\.1/);
});
