/**
 * The drain of an LMTP/SMTP server on shutdown (observability/smtp.ts), with a stand-in store whose
 * speed the test sets: idle connections get 421 at once; a message that arrived in full and is being
 * stored when the grace period ends is still answered by the handler (never 421 while it may yet be
 * stored); one still arriving is cut off with 421 and its handler sees the stream fail.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { trackSmtpServer } from '../src/observability/smtp.js';
import { listenOnFreePort } from './mail-harness.js';
import { SmtpDialog } from './smtp-dialog.js';

const logger = pino({ level: 'silent' });
const dialogs: SmtpDialog[] = [];
after(() => {
  for (const dialog of dialogs) dialog.close();
});

/** An LMTP server whose onData reads the whole message, then "stores" it for `storeMs`. */
function slowStore(storeMs: number) {
  const outcomes: string[] = [];
  const server = new SMTPServer({
    lmtp: true,
    authOptional: true,
    disabledCommands: ['AUTH'],
    hideSTARTTLS: true,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => {
        outcomes.push(`stream failed: ${error.message}`);
        callback(error);
      });
      stream.on('end', () => {
        setTimeout(() => {
          outcomes.push(`stored ${Buffer.concat(chunks).length} bytes`);
          callback(null, '2.0.0 stored');
        }, storeMs);
      });
    },
  });
  const tracked = trackSmtpServer(server, 'lmtp', { logger });
  return { server, tracked, outcomes };
}

async function open(port: number): Promise<SmtpDialog> {
  const { dialog } = await SmtpDialog.open(port);
  dialogs.push(dialog);
  assert.match(await dialog.send('LHLO client.example'), /^250/);
  return dialog;
}

async function inData(port: number): Promise<SmtpDialog> {
  const dialog = await open(port);
  assert.match(await dialog.send('MAIL FROM:<a@example.org>'), /^250/);
  assert.match(await dialog.send('RCPT TO:<b@example.com>'), /^250/);
  assert.match(await dialog.send('DATA'), /^354/);
  dialog.write('Subject: x\r\n\r\nbody\r\n');
  return dialog;
}

test('idle connections get 421 at once; a message being stored past the grace period still gets its 250', async () => {
  const { server, tracked, outcomes } = slowStore(1000);
  const port = await listenOnFreePort(server);
  const idle = await open(port);
  const storing = await inData(port);
  storing.write('.\r\n');
  await new Promise((resolve) => setTimeout(resolve, 100));

  const started = Date.now();
  const drained = tracked.drain(200, 3000);
  assert.match(await idle.reply(2000), /^421 4\.3\.2 Server shutting down/);
  assert.ok(Date.now() - started < 500, 'the idle client is told at once');
  // grace (200 ms) ends while the store is still at work: no 421 for it, its own answer instead
  assert.equal(await storing.reply(5000), '250 2.0.0 stored');
  assert.ok(Date.now() - started >= 800);
  assert.match(await storing.reply(2000), /^421 4\.3\.2 /, 'then it is idle, and told so');
  await drained;
  assert.deepEqual(outcomes, ['stored 20 bytes']);
  assert.equal(server.connections.size, 0);
});

test('a message still arriving when the grace period ends is cut off with 421 and its stream fails', async () => {
  const { server, tracked, outcomes } = slowStore(0);
  const port = await listenOnFreePort(server);
  const arriving = await inData(port);
  const started = Date.now();
  await tracked.drain(300, 1000);
  assert.ok(Date.now() - started < 2500, `drained in ${Date.now() - started} ms`);
  assert.match(await arriving.reply(2000), /^421 4\.3\.2 /);
  for (let i = 0; i < 50 && !outcomes.length; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(outcomes.length, 1);
  assert.match(
    outcomes[0]!,
    /^stream failed/,
    'the handler learns the message is incomplete: nothing stored',
  );
});

test('a store slower than grace and finish together: the connection is dropped without any reply', async () => {
  const { server, tracked, outcomes } = slowStore(3000);
  const port = await listenOnFreePort(server);
  const storing = await inData(port);
  storing.write('.\r\n');
  await new Promise((resolve) => setTimeout(resolve, 100));
  await tracked.drain(100, 300);
  await assert.rejects(storing.reply(1000), /no reply/, 'no 421 for a message that may yet be stored');
  assert.deepEqual(outcomes, []);
});
