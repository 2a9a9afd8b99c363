// How many store round trips one LMTP delivery costs. A round trip to the embedded store costs
// milliseconds, so their count, not CPU, sets a delivery's latency: this pins it, so that an extra
// lookup per recipient or per message shows up here instead of in the benchmark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import { pino } from 'pino';
import type { SMTPServer } from 'smtp-server';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { createUser, storeContext } from '@wildduck/store';
import { MemoryChangeBus } from '@wildduck/change-bus';
import { createDeliveryServer } from '../src/delivery/delivery-server.js';
import { listenOnFreePort, SERVER_NAME } from './mail-harness.js';
import { SmtpDialog } from './smtp-dialog.js';
import { connectCountingClient } from './counting-client.js';

let store: TestDatabase;
let client: MongoClient;
let lmtp: SMTPServer;
let port: number;
/** `<command> <collection>` of every store command sent since the last reset. */
const commands: string[] = [];

before(async () => {
  store = await openTestDatabase('roundtrips');
  await applySchema(store.db);
  // a client of its own, which reports every command it sends
  client = await connectCountingClient(store.uri, commands);
  lmtp = createDeliveryServer({
    ctx: storeContext(client.db(store.name)),
    bus: new MemoryChangeBus(),
    mode: 'lmtp',
    serverName: SERVER_NAME,
    logger: pino({ level: 'silent' }),
  });
  port = await listenOnFreePort(lmtp);
});
after(async () => {
  await new Promise<void>((resolve) => lmtp.close(() => resolve()));
  await client.close();
  await store.drop();
});

/** A text message of about `bytes` bytes. */
function message(bytes: number): string {
  const head = `From: a@example.org\r\nSubject: count\r\nMessage-ID: <${randomBytes(6).toString('hex')}@x>\r\n\r\n`;
  return head + 'lorem ipsum dolor '.repeat(Math.ceil(bytes / 18)).slice(0, bytes - head.length - 2) + '\r\n';
}

/** Delivers `body` to `addresses` in one transaction; returns the store commands it cost. */
async function commandsOfDelivery(dialog: SmtpDialog, addresses: string[], body: string): Promise<string[]> {
  commands.length = 0;
  assert.match(await dialog.send('MAIL FROM:<sender@example.org>'), /^250/);
  for (const address of addresses) assert.match(await dialog.send(`RCPT TO:<${address}>`), /^250/);
  assert.match(await dialog.send('DATA'), /^354/);
  dialog.write(`${body}.\r\n`);
  for (const _ of addresses) assert.match(await dialog.reply(), /^250 /);
  return [...commands];
}

test('a 10 kB LMTP delivery costs six store round trips, and a recipient seen before no INBOX lookup', async () => {
  const address = `count-${randomBytes(3).toString('hex')}@example.com`;
  await createUser(store.db, { address, password: 'secretpass', quota: null });
  const { dialog } = await SmtpDialog.open(port);
  await dialog.send('LHLO client.example');
  const first = await commandsOfDelivery(dialog, [address], message(10_000));
  const second = await commandsOfDelivery(dialog, [address], message(10_000));
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
