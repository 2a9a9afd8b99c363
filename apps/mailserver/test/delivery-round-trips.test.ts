// How many store round trips one LMTP delivery costs. A round trip to the embedded store costs
// milliseconds, so their count, not CPU, sets a delivery's latency: this pins it, so that an extra
// lookup per recipient or per message shows up here instead of in the benchmark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createUser } from '@wildduck/store';
import { startCountedLmtp, type CountedLmtp } from './mail-harness.js';
import { SmtpDialog } from './smtp-dialog.js';

let lmtp: CountedLmtp;

before(async () => {
  lmtp = await startCountedLmtp('roundtrips');
});
after(() => lmtp.close());

/** A text message of about `bytes` bytes. */
function message(bytes: number): string {
  const head = `From: a@example.org\r\nSubject: count\r\nMessage-ID: <${randomBytes(6).toString('hex')}@x>\r\n\r\n`;
  return head + 'lorem ipsum dolor '.repeat(Math.ceil(bytes / 18)).slice(0, bytes - head.length - 2) + '\r\n';
}

test('a 10 kB LMTP delivery costs six store round trips, and a recipient seen before no INBOX lookup', async () => {
  const address = `count-${randomBytes(3).toString('hex')}@example.com`;
  await createUser(lmtp.store.db, { address, password: 'secretpass', quota: null });
  const { dialog } = await SmtpDialog.open(lmtp.port);
  await dialog.send('LHLO client.example');
  const first = await lmtp.commandsOfDelivery(dialog, [address], message(10_000));
  const second = await lmtp.commandsOfDelivery(dialog, [address], message(10_000));
  dialog.close();
  // RCPT: the account (disabled? over quota?) and, the first time only, its INBOX; DATA: quota and
  // UID (asked for together), the message and its search document (together), its journal entry
  assert.equal(first.filter((command) => command === 'find mailboxes').length, 1, first.join(', '));
  assert.deepEqual(
    second.sort(),
    [
      'find users',
      'find users',
      'findAndModify mailboxes',
      'insert journal',
      'insert messageSearch',
      'insert messages',
      'update users',
    ],
    'a second delivery to the same recipient',
  );
});
