// CONDSTORE and QRESYNC answers on the real store (RFC 7162): FETCH MODSEQ's form and its implicit
// CONDSTORE, UID FETCH CHANGEDSINCE with VANISHED, and ESEARCH's MODSEQ for MIN/MAX (RFC 4731 3.2).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
before(async () => {
  imap = await startImap('imapcondstore');
  await imap.createUser('cond@example.com');
});
after(async () => {
  await imap.close();
});

async function session(): Promise<RawImapClient> {
  const raw = await RawImapClient.open(imap.port);
  assert.match(await raw.command('LOGIN cond@example.com secretpass'), /^T1 OK/m);
  return raw;
}

async function appendFour(raw: RawImapClient, mailbox: string): Promise<void> {
  assert.match(await raw.command(`CREATE ${mailbox}`), /OK/);
  for (let index = 1; index <= 4; index++) {
    const message = `From: a@x.org\r\nSubject: m${index}\r\nMessage-ID: <c${index}@x>\r\n\r\nbody ${index}\r\n`;
    assert.match(await raw.command(`APPEND ${mailbox} {${message.length}+}\r\n${message}`), /OK \[APPENDUID/);
  }
}

/** The MODSEQ of each sequence number, by FETCH 1:* (MODSEQ). */
async function modseqs(raw: RawImapClient): Promise<Map<number, number>> {
  const found = new Map<number, number>();
  for (const match of (await raw.command('FETCH 1:* (MODSEQ)')).matchAll(
    /^\* (\d+) FETCH \(MODSEQ \((\d+)\)\)\r$/gm,
  ))
    found.set(Number(match[1]), Number(match[2]));
  return found;
}

test('FETCH (MODSEQ) answers MODSEQ (n) and turns CONDSTORE on: STORE then reports MODSEQ too', async () => {
  const raw = await session();
  try {
    await appendFour(raw, 'Cond1');
    assert.match(await raw.command('SELECT Cond1'), /OK \[HIGHESTMODSEQ \d+\]/);
    assert.match(await raw.command('FETCH 1 (MODSEQ)'), /^\* 1 FETCH \(MODSEQ \(\d+\)\)\r\n/m);
    assert.match(
      await raw.command('UID FETCH 2 (MODSEQ)'),
      /^\* 2 FETCH \((?=[^\r]*UID 2)(?=[^\r]*MODSEQ \(\d+\))/m,
    );
    // no ENABLE was sent: the MODSEQ fetch item enabled CONDSTORE (RFC 7162 3.1)
    assert.match(
      await raw.command('STORE 1 +FLAGS (\\Seen)'),
      /^\* 1 FETCH \(FLAGS \(\\Seen\) MODSEQ \(\d+\)\)\r\n/m,
    );
  } finally {
    raw.close();
  }
});

test('UID FETCH (CHANGEDSINCE m VANISHED) under QRESYNC: VANISHED (EARLIER) then the changed messages with MODSEQ', async () => {
  const raw = await session();
  try {
    await appendFour(raw, 'Cond2');
    assert.match(await raw.command('ENABLE QRESYNC'), /^\* ENABLED QRESYNC\r\n/m);
    const selected = await raw.command('SELECT Cond2');
    const since = Number(/HIGHESTMODSEQ (\d+)/.exec(selected)?.[1]);
    await raw.command('UID STORE 2 +FLAGS.SILENT (\\Flagged)');
    await raw.command('UID STORE 3 +FLAGS.SILENT (\\Deleted)');
    assert.match(await raw.command('EXPUNGE'), /^\* VANISHED 3\r\n/m);
    const answer = await raw.command(`UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${since} VANISHED)`);
    assert.match(answer, /^\* VANISHED \(EARLIER\) 3\r\n/m);
    assert.match(
      answer,
      /^\* 2 FETCH \((?=[^\r]*UID 2)(?=[^\r]*FLAGS \(\\Flagged\))(?=[^\r]*MODSEQ \(\d+\))/m,
    );
    assert.doesNotMatch(answer, /UID [14]\b/, 'unchanged messages are not answered');
    // VANISHED needs UID FETCH
    assert.match(await raw.command(`FETCH 1:* (FLAGS) (CHANGEDSINCE ${since} VANISHED)`), /^T\d+ BAD/m);
  } finally {
    raw.close();
  }
});

test('ESEARCH with MODSEQ: MIN or MAX alone carry the MODSEQ of those messages, ALL and COUNT of all (RFC 4731 3.2)', async () => {
  const raw = await session();
  try {
    await appendFour(raw, 'Cond3');
    await raw.command('SELECT Cond3');
    // message 2 changes last: it has the highest MODSEQ
    await raw.command('STORE 2 +FLAGS.SILENT (\\Seen)');
    const of = await modseqs(raw);
    const highest = Math.max(...of.values());
    assert.equal(of.get(2), highest);
    assert.match(
      await raw.command('SEARCH RETURN (MIN) MODSEQ 1'),
      new RegExp(`^\\* ESEARCH \\(TAG "T\\d+"\\) MIN 1 MODSEQ ${of.get(1)}\\r\\n`, 'm'),
    );
    assert.match(
      await raw.command('SEARCH RETURN (MIN MAX) MODSEQ 1'),
      new RegExp(
        `^\\* ESEARCH \\(TAG "T\\d+"\\) MIN 1 MAX 4 MODSEQ ${Math.max(of.get(1)!, of.get(4)!)}\\r\\n`,
        'm',
      ),
    );
    assert.match(
      await raw.command('UID SEARCH RETURN (COUNT) MODSEQ 1'),
      new RegExp(`^\\* ESEARCH \\(TAG "T\\d+"\\) UID COUNT 4 MODSEQ ${highest}\\r\\n`, 'm'),
    );
    assert.match(
      await raw.command(`SEARCH RETURN (MIN) MODSEQ ${highest + 1}`),
      /^\* ESEARCH \(TAG "T\d+"\)\r\n/m,
    );
  } finally {
    raw.close();
  }
});
