#!/usr/bin/env node
/**
 * Delivers a sample message to a local user through the SMTP maildrop, so you can watch it arrive
 * in an IMAP client (or `node examples/watch-inbox.js`) without polling.
 *
 *   node examples/push-mail.js username@example.com [subject]
 *
 * Where: SMTP_HOST (default 127.0.0.1) and SMTP_PORT (default 2525), as `npm start` serves them.
 */
import nodemailer from 'nodemailer';

const [address, subject = `Hello from push-mail at ${new Date().toISOString()}`] = process.argv.slice(2);
if (!address || !address.includes('@')) {
  console.error('usage: node examples/push-mail.js <address> [subject]');
  process.exit(2);
}
const host = process.env.SMTP_HOST ?? '127.0.0.1';
const port = Number(process.env.SMTP_PORT ?? 2525);

const transport = nodemailer.createTransport({
  host,
  port,
  secure: false,
  // the maildrop offers STARTTLS with a self-signed certificate by default
  tls: { rejectUnauthorized: false },
});
try {
  const info = await transport.sendMail({
    from: 'Push Mail Example <push-mail@example.org>',
    to: address,
    subject,
    text: 'This message was delivered through the SMTP maildrop. An IMAP client in IDLE saw it at once.',
    html: '<p>This message was delivered through the <b>SMTP maildrop</b>. An IMAP client in IDLE saw it at once.</p>',
  });
  console.log(`delivered to ${address}: ${info.response}`);
} catch (error) {
  console.error(`not delivered: ${error.response ?? error.message}`);
  process.exitCode = 1;
} finally {
  transport.close();
}
