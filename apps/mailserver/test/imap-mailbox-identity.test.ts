// Mailbox identity on the real store: UIDVALIDITY per mailbox incarnation (RFC 3501 2.3.1.1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ImapServer } from '@wildduck/imap-core';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { startImap, type ImapHarness } from './harness.js';
import { StoreImapBackend } from '../src/imap/store-backend.js';
import { LOGIN_LIMITS } from '../src/runtime.js';
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

/** The one value of `item` in a FETCH or STATUS answer. */
function item(answer: string, name: string): string | undefined {
  return new RegExp(`${name} (\\([^)]*\\)|NIL|"[^"]*"|\\d+)`).exec(answer)?.[1];
}

test('STATUS=SIZE (RFC 8438): STATUS and LIST-STATUS answer the bytes of all messages', async () => {
  const raw = await signedIn();
  try {
    assert.match(await raw.command('CAPABILITY'), /^\* CAPABILITY .* STATUS=SIZE[ \r]/m);
    assert.match(await raw.command('CREATE Sized'), /^T\d+ OK/m);
    assert.match(await raw.command('STATUS Sized (SIZE)'), /^\* STATUS "?Sized"? \(SIZE 0\)\r$/m);
    const other = message.replace('hi', 'a longer subject line');
    for (const body of [message, other])
      assert.match(await raw.command(`APPEND Sized {${body.length}+}\r\n${body}`), /^T\d+ OK/m);
    const total = message.length + other.length;
    // from the store's counters, then from the view of a selected mailbox
    assert.match(
      await raw.command('STATUS Sized (MESSAGES SIZE)'),
      new RegExp(`\\(MESSAGES 2 SIZE ${total}\\)`),
    );
    assert.match(await raw.command('SELECT Sized'), /^\* 2 EXISTS/m);
    const sizes = await raw.command('FETCH 1:* RFC822.SIZE');
    const summed = [...sizes.matchAll(/RFC822\.SIZE (\d+)/g)].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );
    assert.equal(summed, total);
    assert.match(await raw.command('STATUS Sized (SIZE)'), new RegExp(`\\(SIZE ${total}\\)`));
    assert.match(await raw.command('EXPUNGE'), /^T\d+ OK/m);
    const listed = await raw.command('LIST "" Sized RETURN (STATUS (MESSAGES SIZE))');
    assert.match(listed, new RegExp(`^\\* STATUS "?Sized"? \\(MESSAGES 2 SIZE ${total}\\)\\r$`, 'm'));
  } finally {
    raw.close();
  }
});

test('OBJECTID (RFC 8474): MAILBOXID in CREATE, SELECT, STATUS and LIST-STATUS is the store id the API gives the mailbox', async () => {
  const raw = await signedIn();
  try {
    assert.match(await raw.command('CAPABILITY'), /^\* CAPABILITY .* OBJECTID[ \r]/m);
    const created = await raw.command('CREATE Identified');
    const id = /^T\d+ OK \[MAILBOXID \(([A-Za-z0-9_-]+)\)\] /m.exec(created)?.[1];
    assert.ok(id, created);
    const user = await imap.store.db.collection('users').findOne({ address: 'ident@example.com' });
    const box = await imap.store.db.collection('mailboxes').findOne({ user: user!._id, path: 'Identified' });
    // the GraphQL Mailbox.id is the mailbox document's _id in hex (apps/api resolvers)
    assert.equal(id, box!._id.toHexString());
    assert.match(
      await raw.command('STATUS Identified (MAILBOXID)'),
      new RegExp(`\\(MAILBOXID \\(${id}\\)\\)`),
    );
    assert.match(
      await raw.command('LIST "" Identified RETURN (STATUS (MAILBOXID UIDNEXT))'),
      new RegExp(`^\\* STATUS "?Identified"? \\(MAILBOXID \\(${id}\\) UIDNEXT 1\\)\\r$`, 'm'),
    );
    assert.match(
      await raw.command('EXAMINE Identified'),
      new RegExp(`^\\* OK \\[MAILBOXID \\(${id}\\)\\] `, 'm'),
    );
    // RENAME keeps the mailbox, so its id
    assert.match(await raw.command('UNSELECT'), /^T\d+ OK/m);
    assert.match(await raw.command('RENAME Identified Renamed'), /^T\d+ OK/m);
    assert.match(
      await raw.command('SELECT Renamed'),
      new RegExp(`^\\* OK \\[MAILBOXID \\(${id}\\)\\] `, 'm'),
    );
  } finally {
    raw.close();
  }
});

test('OBJECTID (RFC 8474): EMAILID is the message id the API gives; it survives MOVE; THREADID is NIL; SEARCH EMAILID/THREADID', async () => {
  const raw = await signedIn();
  try {
    assert.match(await raw.command('CREATE Objects'), /^T\d+ OK/m);
    assert.match(await raw.command('CREATE Elsewhere'), /^T\d+ OK/m);
    for (const subject of ['one', 'two'])
      assert.match(
        await raw.command(
          `APPEND Objects {${message.length + 4}+}\r\n${message.replace('hi', `hi ${subject}`)}`,
        ),
        /^T\d+ OK/m,
      );
    assert.match(await raw.command('SELECT Objects'), /^\* 2 EXISTS/m);
    const fetched = await raw.command('UID FETCH 2 (EMAILID THREADID)');
    assert.match(fetched, /^\* 2 FETCH \(UID 2 EMAILID \([A-Za-z0-9_-]+\) THREADID NIL\)\r$/m);
    const emailId = /EMAILID \(([^)]+)\)/.exec(fetched)![1]!;
    // the GraphQL Message.id is the message document's _id in hex (apps/api resolvers)
    const box = await imap.store.db.collection('mailboxes').findOne({ path: 'Objects' });
    const document = await imap.store.db.collection('messages').findOne({ mailbox: box!._id, uid: 2 });
    assert.equal(emailId, document!._id.toHexString());
    assert.equal(item(await raw.command('FETCH 1 EMAILID'), 'EMAILID') === `(${emailId})`, false);

    assert.match(await raw.command(`UID SEARCH EMAILID ${emailId}`), /^\* SEARCH 2\r$/m);
    assert.match(await raw.command(`SEARCH EMAILID 0123456789abcdef01234567`), /^\* SEARCH\r$/m);
    assert.match(await raw.command(`SEARCH NOT EMAILID ${emailId}`), /^\* SEARCH 1\r$/m);
    assert.match(await raw.command('SEARCH THREADID T1'), /^\* SEARCH\r$/m);
    assert.match(await raw.command('SEARCH EMAILID bad!id'), /^T\d+ BAD /m);

    // COPY makes a new message (a new id); MOVE keeps the message, so its id
    const copied = await raw.command('UID COPY 2 Elsewhere');
    assert.match(copied, /^T\d+ OK \[COPYUID \d+ 2 1\]/m);
    assert.match(await raw.command('UID MOVE 2 Elsewhere'), /^T\d+ OK/m);
    assert.match(await raw.command('SELECT Elsewhere'), /^\* 2 EXISTS/m);
    const there = await raw.command('UID FETCH 1:* (EMAILID)');
    const ids = [...there.matchAll(/UID (\d+) EMAILID \(([^)]+)\)/g)].map((match) => [match[1], match[2]]);
    assert.deepEqual(ids.find(([uid]) => uid === '2')?.[1], emailId, 'moved: same EMAILID');
    assert.notEqual(ids.find(([uid]) => uid === '1')?.[1], emailId, 'copied: its own EMAILID');
    assert.match(await raw.command(`UID SEARCH EMAILID ${emailId}`), /^\* SEARCH 2\r$/m);
  } finally {
    raw.close();
  }
});

test('another instance on the same store and bus never serves the old incarnation from its caches', async () => {
  // a second server process, as far as caches go: its own mailbox views and mailbox lists
  const backend = new StoreImapBackend({
    ctx: imap.ctx,
    bus: imap.bus,
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
  });
  const other = new ImapServer({ backend, tls: imap.tls, allowPlaintextLogin: true });
  const port = (await other.listen(0)).port;
  const onA = await signedIn();
  const onB = await RawImapClient.open(port);
  try {
    assert.match(await onB.command('LOGIN ident@example.com secretpass'), /^T1 OK/m);
    assert.match(await onA.command('CREATE Twice'), /^T\d+ OK/m);
    assert.match(await onA.command(`APPEND Twice {${message.length}+}\r\n${message}`), /^T\d+ OK/m);
    // B loads its list, a view of the mailbox (SELECT) and its counters
    assert.match(await onB.command('LIST "" "Twice"'), /"Twice"/);
    assert.match(await onB.command('SELECT Twice'), /^\* 1 EXISTS/m);
    const before = await status(onB, 'Twice');
    assert.match(await onB.command('UNSELECT'), /^T\d+ OK/m);

    assert.match(await onA.command('DELETE Twice'), /^T\d+ OK/m);
    assert.match(await onA.command('CREATE Twice'), /^T\d+ OK/m);
    const deadline = Date.now() + 10_000;
    let after = await status(onB, 'Twice');
    while (after.UIDVALIDITY === before.UIDVALIDITY && Date.now() < deadline)
      after = await status(onB, 'Twice');
    assert.notEqual(after.UIDVALIDITY, before.UIDVALIDITY);
    assert.deepEqual([after.MESSAGES, after.UIDNEXT], [0, 1]);
    const selected = await onB.command('SELECT Twice');
    assert.match(selected, /^\* 0 EXISTS/m);
    assert.match(selected, new RegExp(`^\\* OK \\[UIDVALIDITY ${after.UIDVALIDITY}\\]`, 'm'));
  } finally {
    onA.close();
    onB.close();
    await other.close();
  }
});
