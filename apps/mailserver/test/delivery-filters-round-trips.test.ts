// What Sieve filters cost a delivery in store round trips: a user with filters pays for reading
// them once (their settings and active script), then, while the user document's filtersUpdated
// stamp stays, nothing more than a user without filters. A changed script is read again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import { pino } from 'pino';
import type { SMTPServer } from 'smtp-server';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { activateSieveScript, createUser, putSieveScript, storeContext } from '@wildduck/store';
import { MemoryChangeBus } from '@wildduck/change-bus';
import { createDeliveryServer } from '../src/delivery/delivery-server.js';
import { listenOnFreePort, SERVER_NAME } from './mail-harness.js';
import { SmtpDialog } from './smtp-dialog.js';
import { connectCountingClient } from './counting-client.js';

let store: TestDatabase;
let client: MongoClient;
let lmtp: SMTPServer;
let port: number;
const commands: string[] = [];

before(async () => {
  store = await openTestDatabase('filter-roundtrips');
  await applySchema(store.db);
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

function message(subject: string): string {
  return (
    `From: a@example.org\r\nSubject: ${subject}\r\nMessage-ID: <${randomBytes(6).toString('hex')}@x>\r\n\r\n` +
    `${'lorem ipsum dolor '.repeat(500)}\r\n`
  );
}

async function commandsOfDelivery(dialog: SmtpDialog, address: string, body: string): Promise<string[]> {
  commands.length = 0;
  assert.match(await dialog.send('MAIL FROM:<sender@example.org>'), /^250/);
  assert.match(await dialog.send(`RCPT TO:<${address}>`), /^250/);
  assert.match(await dialog.send('DATA'), /^354/);
  dialog.write(`${body}.\r\n`);
  assert.match(await dialog.reply(), /^250 /);
  return [...commands].sort();
}

test('filters are read once per change of the stamp; a warm delivery costs what one without filters does', async () => {
  const plain = `plain-${randomBytes(3).toString('hex')}@example.com`;
  const filtered = `filtered-${randomBytes(3).toString('hex')}@example.com`;
  await createUser(store.db, { address: plain, password: 'secretpass', quota: null });
  const user = await createUser(store.db, { address: filtered, password: 'secretpass', quota: null });
  await putSieveScript(store.db, user._id, 'main', 'if header :contains "subject" "junk" { discard; }\n');
  await activateSieveScript(store.db, user._id, 'main');

  const { dialog } = await SmtpDialog.open(port);
  await dialog.send('LHLO client.example');
  await commandsOfDelivery(dialog, plain, message('warm up'));
  const withoutFilters = await commandsOfDelivery(dialog, plain, message('hello'));

  const cold = await commandsOfDelivery(dialog, filtered, message('hello'));
  assert.ok(cold.includes('find mailSettings') && cold.includes('find sieveScripts'), cold.join(', '));
  const warm = await commandsOfDelivery(dialog, filtered, message('hello again'));
  assert.deepEqual(warm, withoutFilters, 'a warm delivery through filters');

  // a new script moves the stamp: read again, and used at once
  await putSieveScript(store.db, user._id, 'main', 'discard;\n');
  const changed = await commandsOfDelivery(dialog, filtered, message('after the change'));
  assert.ok(changed.includes('find sieveScripts'), changed.join(', '));
  assert.ok(!changed.includes('insert messages'), 'the new script discarded it');
  dialog.close();
});
