// What Sieve filters cost a delivery in store round trips: a user with filters pays for reading
// them once (their settings and active script), then, while the user document's filtersUpdated
// stamp stays, nothing more than a user without filters. A changed script is read again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { activateSieveScript, createUser, putSieveScript } from '@wildduck/store';
import { startCountedLmtp, type CountedLmtp } from './mail-harness.js';
import { SmtpDialog } from './smtp-dialog.js';

let lmtp: CountedLmtp;

before(async () => {
  lmtp = await startCountedLmtp('filter-roundtrips');
});
after(() => lmtp.close());

function message(subject: string): string {
  return (
    `From: a@example.org\r\nSubject: ${subject}\r\nMessage-ID: <${randomBytes(6).toString('hex')}@x>\r\n\r\n` +
    `${'lorem ipsum dolor '.repeat(500)}\r\n`
  );
}

/** The store commands one delivery to `address` cost, sorted: their order is no part of the cost. */
async function commandsOfDelivery(dialog: SmtpDialog, address: string, body: string): Promise<string[]> {
  return (await lmtp.commandsOfDelivery(dialog, [address], body)).sort();
}

test('filters are read once per change of the stamp; a warm delivery costs what one without filters does', async () => {
  const plain = `plain-${randomBytes(3).toString('hex')}@example.com`;
  const filtered = `filtered-${randomBytes(3).toString('hex')}@example.com`;
  await createUser(lmtp.store.db, { address: plain, password: 'secretpass', quota: null });
  const user = await createUser(lmtp.store.db, { address: filtered, password: 'secretpass', quota: null });
  await putSieveScript(
    lmtp.store.db,
    user._id,
    'main',
    'if header :contains "subject" "junk" { discard; }\n',
  );
  await activateSieveScript(lmtp.store.db, user._id, 'main');

  const { dialog } = await SmtpDialog.open(lmtp.port);
  await dialog.send('LHLO client.example');
  await commandsOfDelivery(dialog, plain, message('warm up'));
  const withoutFilters = await commandsOfDelivery(dialog, plain, message('hello'));

  const cold = await commandsOfDelivery(dialog, filtered, message('hello'));
  assert.ok(cold.includes('find mailSettings') && cold.includes('find sieveScripts'), cold.join(', '));
  const warm = await commandsOfDelivery(dialog, filtered, message('hello again'));
  assert.deepEqual(warm, withoutFilters, 'a warm delivery through filters');

  // a new script moves the stamp: read again, and used at once
  await putSieveScript(lmtp.store.db, user._id, 'main', 'discard;\n');
  const changed = await commandsOfDelivery(dialog, filtered, message('after the change'));
  assert.ok(changed.includes('find sieveScripts'), changed.join(', '));
  assert.ok(!changed.includes('insert messages'), 'the new script discarded it');
  dialog.close();
});
