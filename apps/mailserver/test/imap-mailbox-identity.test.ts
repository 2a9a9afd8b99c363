// Mailbox identity on the real store: UIDVALIDITY per mailbox incarnation (RFC 3501 2.3.1.1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
before(async () => {
  imap = await startImap('mbidentity');
  await imap.createUser('ident@example.com');
});
after(async () => {
  await imap.close();
});

async function signedIn(): Promise<RawImapClient> {
  const raw = await RawImapClient.open(imap.port);
  assert.match(await raw.command('LOGIN ident@example.com secretpass'), /^T1 OK/m);
  return raw;
}

const message = 'From: a@example.org\r\nSubject: hi\r\n\r\nHello\r\n';

/** The STATUS items of `mailbox` as numbers. */
async function status(raw: RawImapClient, mailbox: string): Promise<Record<string, number>> {
  const answer = await raw.command(`STATUS "${mailbox}" (MESSAGES UIDNEXT UIDVALIDITY)`);
  const items = /^\* STATUS (?:"[^"]*"|\S+) \(([^)]*)\)/m.exec(answer)?.[1];
  assert.ok(items, answer);
  const values: Record<string, number> = {};
  const words = items.split(' ');
  for (let index = 0; index < words.length; index += 2) values[words[index]!] = Number(words[index + 1]);
  return values;
}

test('a mailbox deleted and created again within one second gets a new UIDVALIDITY; RENAME keeps it', async () => {
  const raw = await signedIn();
  const watcher = await signedIn();
  try {
    assert.match(await raw.command('CREATE Reborn'), /^T\d+ OK/m);
    assert.match(await raw.command(`APPEND Reborn {${message.length}+}\r\n${message}`), /^T\d+ OK/m);
    // another session holds the old incarnation open (its view, its list entry)
    assert.match(await watcher.command('SELECT Reborn'), /^\* 1 EXISTS/m);
    const first = await status(raw, 'Reborn');
    assert.deepEqual([first.MESSAGES, first.UIDNEXT], [1, 2]);

    const started = Date.now();
    assert.match(await raw.command('DELETE Reborn'), /^T\d+ OK/m);
    assert.match(await raw.command('CREATE Reborn'), /^T\d+ OK/m);
    const second = await status(raw, 'Reborn');
    assert.ok(Date.now() - started < 1000 || second.UIDVALIDITY !== first.UIDVALIDITY);
    assert.notEqual(second.UIDVALIDITY, first.UIDVALIDITY, 'a new incarnation, a new UIDVALIDITY');
    assert.ok(second.UIDVALIDITY > first.UIDVALIDITY);
    assert.deepEqual([second.MESSAGES, second.UIDNEXT], [0, 1]);

    // SELECT of the new incarnation, from a fresh session and from the one that had the old open
    const fresh = await signedIn();
    const selected = await fresh.command('SELECT Reborn');
    assert.match(selected, /^\* 0 EXISTS/m);
    assert.match(selected, new RegExp(`^\\* OK \\[UIDVALIDITY ${second.UIDVALIDITY}\\]`, 'm'));
    fresh.close();
    assert.match(await watcher.command('SELECT INBOX'), /^T\d+ OK/m);
    assert.match(
      await watcher.command('SELECT Reborn'),
      new RegExp(`^\\* OK \\[UIDVALIDITY ${second.UIDVALIDITY}\\]`, 'm'),
    );

    // RENAME keeps the mailbox, so its UIDVALIDITY; the freed name gets yet another one
    assert.match(await raw.command('RENAME Reborn Moved'), /^T\d+ OK/m);
    assert.equal((await status(raw, 'Moved')).UIDVALIDITY, second.UIDVALIDITY);
    assert.match(await raw.command('CREATE Reborn'), /^T\d+ OK/m);
    const third = await status(raw, 'Reborn');
    assert.ok(third.UIDVALIDITY > second.UIDVALIDITY);
  } finally {
    raw.close();
    watcher.close();
  }
});

test('every mailbox of a user has its own UIDVALIDITY, a 32-bit nonzero number', async () => {
  const raw = await signedIn();
  try {
    assert.match(await raw.command('CREATE Deep/Er/Still'), /^T\d+ OK/m);
    const list = await raw.command('LIST "" "*"');
    const names = [...list.matchAll(/^\* LIST \([^)]*\) "\/" "?([^"\r\n]+)"?\r$/gm)].map(
      (match) => match[1]!,
    );
    assert.ok(names.length >= 9, list);
    const values = [];
    for (const name of names) values.push((await status(raw, name)).UIDVALIDITY);
    assert.equal(new Set(values).size, values.length, `distinct: ${values.join(' ')}`);
    for (const value of values) assert.ok(Number.isInteger(value) && value >= 1 && value <= 0xffffffff);
  } finally {
    raw.close();
  }
});
