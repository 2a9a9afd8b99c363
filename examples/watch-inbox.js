#!/usr/bin/env node
/**
 * Signs in over IMAP, waits in IDLE on INBOX and prints every message as it arrives: the push half
 * of `examples/push-mail.js`.
 *
 *   IMAP_PASSWORD=secret node examples/watch-inbox.js username@example.com
 *
 * Where: IMAP_HOST (default 127.0.0.1) and IMAP_PORT (default 1143, STARTTLS with the server's
 * self-signed certificate accepted).
 */
import { ImapFlow } from 'imapflow';

const [user] = process.argv.slice(2);
const pass = process.env.IMAP_PASSWORD;
if (!user || !pass) {
  console.error('usage: IMAP_PASSWORD=<password> node examples/watch-inbox.js <address>');
  process.exit(2);
}
const client = new ImapFlow({
  host: process.env.IMAP_HOST ?? '127.0.0.1',
  port: Number(process.env.IMAP_PORT ?? 1143),
  secure: false,
  auth: { user, pass },
  logger: false,
  tls: { rejectUnauthorized: false },
});
await client.connect();
const lock = await client.getMailboxLock('INBOX');
let seen = client.mailbox.exists;
console.log(`watching INBOX of ${user} (${seen} messages); Ctrl-C stops`);
client.on('exists', async ({ count }) => {
  // EXISTS arrives during IDLE; the library leaves IDLE to run the FETCH and goes back by itself
  for await (const message of client.fetch(`${seen + 1}:${count}`, { envelope: true })) {
    const from = message.envelope.from?.[0]?.address ?? '?';
    console.log(`${new Date().toISOString()}  new message from ${from}: ${message.envelope.subject ?? ''}`);
  }
  seen = count;
});
process.once('SIGINT', async () => {
  lock.release();
  await client.logout();
  process.exit(0);
});
