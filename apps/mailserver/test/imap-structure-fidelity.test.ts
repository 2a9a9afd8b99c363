// FETCH ENVELOPE, BODY and BODYSTRUCTURE through the real server, byte for byte, for the tricky
// messages of packages/mime/test/imap-fidelity (frozen answers: Dovecot 2.3's on the same files,
// spelled our way; see packages/mime/test/imap-fidelity.test.ts), whether the message came by
// APPEND or by LMTP delivery; and a structure stored before the fixes is still sent validly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startMail, type MailHarness } from './mail-harness.js';
import { RawImapClient } from './raw-client.js';
import { SmtpDialog } from './smtp-dialog.js';

const fixtures = new URL('../../../packages/mime/test/imap-fidelity/', import.meta.url);
const expectations = JSON.parse(
  readFileSync(
    new URL('../../../packages/mime/test/fixtures/imap-fidelity-expected.json', import.meta.url),
    'utf8',
  ),
) as Record<string, { envelope: string; body: string; bodystructure: string }>;
const names = Object.keys(expectations).sort();

let mail: MailHarness;
let client: RawImapClient;
before(async () => {
  mail = await startMail('structure-fidelity');
  await mail.createUser('fidelity@example.com');
  client = await RawImapClient.open(mail.port);
  assert.match(await client.command('LOGIN fidelity@example.com secretpass'), /OK/);
});
after(async () => {
  await client.command('LOGOUT').catch(() => {});
  await mail.close();
});

const raw = (name: string): Buffer => readFileSync(new URL(name, fixtures));

async function append(mailbox: string, message: Buffer): Promise<void> {
  const response = await client.command(
    Buffer.concat([Buffer.from(`APPEND ${mailbox} {${message.length}+}\r\n`), message]),
  );
  assert.match(response, /OK \[APPENDUID/);
}

async function deliver(message: Buffer): Promise<void> {
  const { dialog } = await SmtpDialog.open(mail.lmtpPort);
  await dialog.send('LHLO client.example');
  assert.match(await dialog.send('MAIL FROM:<sender@example.org>'), /^250/);
  assert.match(await dialog.send('RCPT TO:<fidelity@example.com>'), /^250/);
  assert.match(await dialog.send('DATA'), /^354/);
  // no fixture line starts with a dot, so no dot-stuffing is needed
  dialog.write(Buffer.concat([message, Buffer.from('.\r\n')]));
  assert.match(await dialog.reply(), /^250 /);
  dialog.close();
}

/** The FETCH response of one message, each item's value as sent (literals included). */
async function fetchStructures(seq: number): Promise<string> {
  const response = await client.command(`FETCH ${seq} (ENVELOPE BODY BODYSTRUCTURE)`);
  const start = response.indexOf(`* ${seq} FETCH (`);
  assert.ok(start >= 0, response);
  const end = response.indexOf(')\r\n', response.lastIndexOf('BODYSTRUCTURE'));
  return Buffer.from(response.slice(start + `* ${seq} FETCH (`.length, end), 'latin1').toString('utf8');
}

const expectedLine = (name: string): string => {
  const expected = expectations[name]!;
  return `ENVELOPE ${expected.envelope} BODY ${expected.body} BODYSTRUCTURE ${expected.bodystructure}`;
};

test('APPENDed messages: ENVELOPE, BODY and BODYSTRUCTURE are the frozen answers byte for byte', async () => {
  assert.match(await client.command('CREATE Appended'), /OK/);
  for (const name of names) await append('Appended', raw(name));
  assert.match(await client.command('SELECT Appended'), /OK/);
  for (const [index, name] of names.entries()) {
    assert.equal(await fetchStructures(index + 1), expectedLine(name), name);
  }
});

test('delivered messages: ENVELOPE, BODY and BODYSTRUCTURE are the frozen answers byte for byte', async () => {
  for (const name of names) await deliver(raw(name));
  assert.match(await client.command('SELECT INBOX'), /OK/);
  for (const [index, name] of names.entries()) {
    const line = await fetchStructures(index + 1);
    // delivery adds trace fields at the top; the structures do not depend on them
    assert.equal(line, expectedLine(name), name);
  }
});

test('a multipart stored as a leaf before the fix is still sent as a multipart with one empty part', async () => {
  assert.match(await client.command('CREATE Old'), /OK/);
  await append('Old', raw('03-multipart-report-no-boundary.eml'));
  // the stored form an older indexer wrote for a multipart without boundary
  const oldLeaf = {
    type: 'MULTIPART',
    subtype: 'REPORT',
    params: [['REPORT-TYPE', 'delivery-status']],
    id: null,
    description: null,
    encoding: '7BIT',
    size: 40,
    md5: null,
    disposition: null,
    language: null,
    location: null,
  };
  const box = await mail.store.db.collection('mailboxes').findOne({ path: 'Old' });
  await mail.store.db
    .collection('messages')
    .updateOne({ mailbox: box!._id, uid: 1 }, { $set: { bodyStructure: JSON.stringify(oldLeaf) } });
  assert.match(await client.command('SELECT Old'), /OK/);
  assert.equal(
    await fetchStructures(1),
    expectedLine('03-multipart-report-no-boundary.eml'),
    'the leaf MULTIPART becomes a multipart',
  );
});

test('structures stored by the older indexer are computed again from the message once, and kept', async () => {
  assert.match(await client.command('CREATE Stale'), /OK/);
  for (const name of names) await append('Stale', raw(name));
  const box = await mail.store.db.collection('mailboxes').findOne({ path: 'Stale' });
  const messages = mail.store.db.collection('messages');
  // as an older indexer left them: no version mark, and stored values that are not the right ones
  // (every text part one line longer, every mailbox name changed)
  for (const document of await messages.find({ mailbox: box!._id }).toArray()) {
    const wrong = (JSON.stringify(document.envelope) ?? '').replace(
      /"mailbox":"([a-z]+)"/g,
      '"mailbox":"x$1"',
    );
    await messages.updateOne(
      { _id: document._id },
      {
        $set: {
          envelope: JSON.parse(wrong),
          bodyStructure: (document.bodyStructure as string).replace(
            /"lines":(\d+)/g,
            (_, n) => `"lines":${Number(n) + 1}`,
          ),
        },
        $unset: { structureVersion: '' },
      },
    );
  }
  assert.match(await client.command('SELECT Stale'), /OK/);
  for (const [index, name] of names.entries()) {
    assert.equal(await fetchStructures(index + 1), expectedLine(name), name);
  }
  const left = await messages.countDocuments({ mailbox: box!._id, structureVersion: { $exists: false } });
  assert.equal(left, 0, 'every recomputed structure is kept, with its version');
  // and read back as kept, with no recomputation
  assert.equal(await fetchStructures(2), expectedLine(names[1]!));
});
