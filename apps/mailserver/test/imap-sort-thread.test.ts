// SORT, ESORT, THREAD, SEARCHRES and WITHIN on the real store: the sort records come from the
// search documents (packages/store sort-records.ts), through the server's record cache; imapflow
// appends, a raw client and Python's imaplib read the exact answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
before(async () => {
  imap = await startImap('imapsort');
  await imap.createUser('sorter@example.com');
});
after(async () => {
  await imap.close();
});

function message(subject: string, from: string, date: string, id: string, references = ''): Buffer {
  return Buffer.from(
    [
      `From: ${from}`,
      'To: sorter@example.com',
      `Subject: ${subject}`,
      `Date: ${date}`,
      `Message-ID: <${id}@x>`,
      ...(references ? [`References: ${references}`] : []),
      '',
      `Body of ${id}`,
      '',
    ].join('\r\n'),
  );
}

/** Appends the five messages of the SORT tests to `mailbox` (created), oldest arrival last. */
async function fill(mailbox: string): Promise<void> {
  const flow = new ImapFlow({
    host: '127.0.0.1',
    port: imap.port,
    secure: false,
    auth: { user: 'sorter@example.com', pass: 'secretpass' },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await flow.connect();
  await flow.mailboxCreate(mailbox);
  const messages = [
    message('Lunch', 'Carol <carol@x.org>', 'Mon, 1 Jan 2024 10:00:00 +0000', 'm1'),
    message('Re: Lunch', 'Alice <alice@x.org>', 'Mon, 1 Jan 2024 11:00:00 +0000', 'm2', '<m1@x>'),
    message('=?UTF-8?Q?Zebra_crossing?=', 'Bob <bob@x.org>', 'Sun, 31 Dec 2023 09:00:00 +0000', 'm3'),
    message('Re: [list] Lunch', 'Bob <bob@x.org>', 'Mon, 1 Jan 2024 12:00:00 +0000', 'm4', '<m1@x> <m2@x>'),
    message('apple', 'eve@x.org', 'Tue, 2 Jan 2024 08:00:00 +0000', 'm5'),
  ];
  for (const [index, raw] of messages.entries()) {
    await flow.append(mailbox, raw, [], new Date(Date.UTC(2024, 0, 10 - index)));
  }
  await flow.logout();
}

async function rawSession(mailbox: string): Promise<RawImapClient> {
  const raw = await RawImapClient.open(imap.port);
  assert.match(await raw.command('LOGIN sorter@example.com secretpass'), /^T1 OK/m);
  assert.match(await raw.command(`SELECT ${mailbox}`), /OK \[READ-WRITE\]/);
  return raw;
}

test('SORT, UID SORT and ESORT answer from the store as the RFCs say', async () => {
  await fill('Sorting');
  const raw = await rawSession('Sorting');
  try {
    assert.match(await raw.command('SORT (SUBJECT) UTF-8 ALL'), /^\* SORT 5 1 2 4 3\r\n/m);
    assert.match(await raw.command('SORT (REVERSE DATE) UTF-8 ALL'), /^\* SORT 5 4 2 1 3\r\n/m);
    assert.match(await raw.command('SORT (ARRIVAL) US-ASCII ALL'), /^\* SORT 5 4 3 2 1\r\n/m);
    assert.match(await raw.command('SORT (FROM REVERSE DATE) UTF-8 ALL'), /^\* SORT 2 4 3 1 5\r\n/m);
    assert.match(await raw.command('SORT (DISPLAYFROM) UTF-8 ALL'), /^\* SORT 2 3 4 1 5\r\n/m);
    assert.match(await raw.command('SORT (SIZE SUBJECT) UTF-8 SUBJECT lunch'), /^\* SORT \d \d \d\r\n/m);
    assert.match(await raw.command('UID SORT (SUBJECT) UTF-8 FROM bob'), /^\* SORT 4 3\r\n/m);
    assert.match(
      await raw.command('SORT (SUBJECT) KOI8-R ALL'),
      /^T\d+ NO \[BADCHARSET \(US-ASCII UTF-8\)\]/m,
    );
    assert.match(
      await raw.command('SORT RETURN (MIN MAX COUNT ALL) (SUBJECT) UTF-8 ALL'),
      /^\* ESEARCH \(TAG "T\d+"\) MIN 5 MAX 3 COUNT 5 ALL 5,1:2,4,3\r\n/m,
    );
    // a message arriving later is sorted too (read by itself, the rest from the record cache)
    const flow = new ImapFlow({
      host: '127.0.0.1',
      port: imap.port,
      secure: false,
      auth: { user: 'sorter@example.com', pass: 'secretpass' },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await flow.connect();
    await flow.append('Sorting', message('Banana', 'zed@x.org', 'Wed, 3 Jan 2024 08:00:00 +0000', 'm6'));
    await flow.logout();
    assert.match(await raw.command('NOOP'), /^\* 6 EXISTS/m);
    assert.match(await raw.command('SORT (SUBJECT) UTF-8 ALL'), /^\* SORT 5 6 1 2 4 3\r\n/m);
  } finally {
    raw.close();
  }
});

test('THREAD REFERENCES and ORDEREDSUBJECT on the store, and through Python imaplib', async () => {
  await fill('Threads');
  const raw = await rawSession('Threads');
  try {
    assert.match(await raw.command('THREAD REFERENCES UTF-8 ALL'), /^\* THREAD \(3\)\(1 2 4\)\(5\)\r\n/m);
    assert.match(
      await raw.command('THREAD ORDEREDSUBJECT UTF-8 ALL'),
      /^\* THREAD \(3\)\(1 \(2\)\(4\)\)\(5\)\r\n/m,
    );
    assert.match(
      await raw.command('UID THREAD REFERENCES UTF-8 NOT FROM carol'),
      /^\* THREAD \(3\)\(2 4\)\(5\)\r\n/m,
    );
  } finally {
    raw.close();
  }
  const script = [
    'import imaplib, sys',
    `m = imaplib.IMAP4("127.0.0.1", ${imap.port})`,
    'm.login("sorter@example.com", "secretpass")',
    'm.select("Threads")',
    'print(m.sort("(REVERSE SUBJECT)", "UTF-8", "ALL")[1][0].decode())',
    'print(m.thread("REFERENCES", "UTF-8", "ALL")[1][0].decode())',
    'print(m.uid("SORT", "(DATE)", "UTF-8", "ALL")[1][0].decode())',
    'm.logout()',
  ].join('\n');
  const { stdout } = await promisify(execFile)('python3', ['-c', script]);
  // REVERSE turns only its own key around: the three Lunch messages stay in sequence order

  assert.deepEqual(stdout.trim().split('\n'), ['3 1 2 4 5', '(3)(1 2 4)(5)', '3 1 2 4 5']);
});

test('SORT after a layout change: search documents of the old layout are rebuilt with their sort fields', async () => {
  await fill('Relayout');
  // as a store from before the sort fields would have it
  await imap.ctx.db.collection('messageSearch').updateMany({}, { $unset: { sort: '' } });
  await imap.ctx.db.collection('mailboxes').updateMany({}, { $set: { searchVersion: 1 } });
  const raw = await rawSession('Relayout');
  try {
    assert.match(await raw.command('SORT (SUBJECT) UTF-8 ALL'), /^\* SORT 5 1 2 4 3\r\n/m);
    const rebuilt = await imap.ctx.db
      .collection('messageSearch')
      .findOne({ 'sort.subject': 'Zebra crossing' });
    assert.ok(rebuilt, 'the search documents carry the decoded subject again');
  } finally {
    raw.close();
  }
});

test('SEARCHRES and WITHIN on the store: $ after SAVE, OLDER and YOUNGER by internal date', async () => {
  await fill('Saved');
  const raw = await rawSession('Saved');
  try {
    const saved = await raw.command('SEARCH RETURN (SAVE) FROM bob');
    assert.doesNotMatch(saved, /ESEARCH/);
    assert.match(await raw.command('FETCH $ (UID)'), /^\* 3 FETCH \(UID 3\)\r\n\* 4 FETCH \(UID 4\)\r\n/m);
    assert.match(
      await raw.command('UID STORE $ +FLAGS (\\Flagged)'),
      /^\* 4 FETCH \(UID 4 FLAGS \(\\Flagged\)\)/m,
    );
    assert.match(await raw.command('SEARCH FLAGGED'), /^\* SEARCH 3 4\r\n/m);
    // every message arrived in January 2024: older than an hour, none younger
    assert.match(await raw.command('SEARCH OLDER 3600'), /^\* SEARCH 1 2 3 4 5\r\n/m);
    assert.match(await raw.command('SEARCH YOUNGER 3600'), /^\* SEARCH\r\n/m);
    assert.match(await raw.command('SEARCH YOUNGER 3600 FROM bob'), /^\* SEARCH\r\n/m);
    assert.match(await raw.command('SEARCH OLDER 3600 FROM bob'), /^\* SEARCH 3 4\r\n/m);
  } finally {
    raw.close();
  }
});
