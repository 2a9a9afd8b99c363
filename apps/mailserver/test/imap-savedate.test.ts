// SAVEDATE (RFC 8514) on the real store: when a message was saved into its mailbox (APPEND,
// COPY and MOVE save it anew), in FETCH and in SEARCH SAVEDBEFORE/SAVEDON/SAVEDSINCE.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
let raw: RawImapClient;
before(async () => {
  imap = await startImap('savedate');
  await imap.createUser('saver@example.com');
  raw = await RawImapClient.open(imap.port);
  assert.match(await raw.command('LOGIN saver@example.com secretpass'), /^T1 OK/m);
});
after(async () => {
  raw.close();
  await imap.close();
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** An IMAP search date (UTC day). */
const searchDay = (date: Date) =>
  `${date.getUTCDate()}-${MONTHS[date.getUTCMonth()]}-${date.getUTCFullYear()}`;
const message = (subject: string) => `From: a@example.org\r\nSubject: ${subject}\r\n\r\nHello\r\n`;

/** The SAVEDATE of each UID in a FETCH answer, as instants. */
function saveDates(answer: string): Map<number, Date> {
  const dates = new Map<number, Date>();
  for (const match of answer.matchAll(/UID (\d+) [^\r]*?SAVEDATE "([^"]+)"/g)) {
    const [day, month, rest] = match[2]!.trim().split('-');
    const [year, time, zone] = rest!.split(' ');
    assert.equal(zone, '+0000');
    dates.set(
      Number(match[1]),
      new Date(
        `${year}-${String(MONTHS.indexOf(month!) + 1).padStart(2, '0')}-${day!.padStart(2, '0')}T${time}Z`,
      ),
    );
  }
  return dates;
}

test('SAVEDATE is advertised; FETCH SAVEDATE is when APPEND stored the message, not its internal date', async () => {
  assert.match(await raw.command('CAPABILITY'), /^\* CAPABILITY .* SAVEDATE[ \r]/m);
  assert.match(await raw.command('CREATE Saved'), /^T\d+ OK/m);
  const old = message('old');
  const started = Date.now();
  assert.match(
    await raw.command(`APPEND Saved "01-Jan-2020 10:00:00 +0000" {${old.length}+}\r\n${old}`),
    /^T\d+ OK/m,
  );
  assert.match(await raw.command('SELECT Saved'), /^\* 1 EXISTS/m);
  const answer = await raw.command('UID FETCH 1 (INTERNALDATE SAVEDATE)');
  assert.match(answer, /INTERNALDATE "01-Jan-2020 10:00:00 \+0000" SAVEDATE "/);
  const saved = saveDates(answer).get(1)!;
  assert.ok(Math.abs(saved.getTime() - started) < 5000, `${saved.toISOString()} is about now`);
});

test('COPY and MOVE save the message anew; SEARCH SAVEDBEFORE/SAVEDON/SAVEDSINCE/SAVEDATESUPPORTED', async () => {
  assert.match(await raw.command('CREATE Copies'), /^T\d+ OK/m);
  assert.match(await raw.command('CREATE Moved'), /^T\d+ OK/m);
  const other = message('two');
  assert.match(
    await raw.command(`APPEND Saved "02-Feb-2021 10:00:00 +0000" {${other.length}+}\r\n${other}`),
    /^T\d+ OK/m,
  );
  assert.match(await raw.command('SELECT Saved'), /^\* 2 EXISTS/m);
  const original = saveDates(await raw.command('UID FETCH 1:* SAVEDATE'));
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.match(await raw.command('UID COPY 1 Copies'), /^T\d+ OK/m);
  assert.match(await raw.command('UID MOVE 2 Moved'), /^T\d+ OK/m);
  assert.match(await raw.command('EXAMINE Copies'), /^\* 1 EXISTS/m);
  const copied = saveDates(await raw.command('UID FETCH 1 SAVEDATE')).get(1)!;
  assert.ok(copied > original.get(1)!, 'a copy is saved when copied');
  assert.match(await raw.command('EXAMINE Moved'), /^\* 1 EXISTS/m);
  const moved = saveDates(await raw.command('UID FETCH 1 SAVEDATE')).get(1)!;
  assert.ok(moved > original.get(2)!, 'a moved message is saved when moved');

  const today = searchDay(new Date());
  assert.match(await raw.command('EXAMINE Saved'), /^\* 1 EXISTS/m);
  assert.match(await raw.command(`UID SEARCH SAVEDON ${today}`), /^\* SEARCH 1\r$/m);
  assert.match(await raw.command(`UID SEARCH SAVEDSINCE ${today}`), /^\* SEARCH 1\r$/m);
  assert.match(await raw.command(`UID SEARCH SAVEDBEFORE ${today}`), /^\* SEARCH\r$/m);
  // the internal date is another thing
  assert.match(await raw.command('UID SEARCH ON 1-Jan-2020'), /^\* SEARCH 1\r$/m);
  assert.match(await raw.command('UID SEARCH SAVEDON 1-Jan-2020'), /^\* SEARCH\r$/m);
  assert.match(await raw.command('UID SEARCH SAVEDATESUPPORTED'), /^\* SEARCH 1\r$/m);
  assert.match(await raw.command(`UID SEARCH SAVEDSINCE ${today} UNDELETED`), /^\* SEARCH 1\r$/m);
  assert.match(await raw.command('EXAMINE Moved'), /^\* 1 EXISTS/m);
  assert.match(await raw.command(`UID SEARCH SAVEDON ${today}`), /^\* SEARCH 1\r$/m);
  assert.match(await raw.command('UID SEARCH SAVEDON 2-Feb-2021'), /^\* SEARCH\r$/m);
  assert.match(await raw.command('SEARCH SAVEDON 2-Foo-2021'), /^T\d+ BAD /m);
});

test('a message stored before save dates were kept falls back to when it was stored, then its internal date', async () => {
  assert.match(await raw.command('CREATE Older'), /^T\d+ OK/m);
  const text = message('older');
  for (let index = 0; index < 2; index++)
    assert.match(
      await raw.command(`APPEND Older "03-Mar-2022 10:00:00 +0000" {${text.length}+}\r\n${text}`),
      /^T\d+ OK/m,
    );
  const box = await imap.store.db.collection('mailboxes').findOne({ path: 'Older' });
  // as documents from before: UID 1 has only `created`, UID 2 neither `saved` nor `created`, and
  // the mailbox's search documents are of an older layout (rebuilt from the messages when searched)
  const messages = imap.store.db.collection('messages');
  await messages.updateMany({ mailbox: box!._id }, { $unset: { saved: '' } });
  await messages.updateOne({ mailbox: box!._id, uid: 2 }, { $unset: { created: '' } });
  await imap.store.db.collection('mailboxes').updateOne({ _id: box!._id }, { $set: { searchVersion: 1 } });
  assert.match(await raw.command('EXAMINE Older'), /^\* 2 EXISTS/m);
  const dates = saveDates(await raw.command('UID FETCH 1:2 SAVEDATE'));
  assert.ok(Math.abs(dates.get(1)!.getTime() - Date.now()) < 10_000);
  assert.equal(dates.get(2)!.toISOString(), '2022-03-03T10:00:00.000Z');
  assert.match(await raw.command(`UID SEARCH SAVEDON ${searchDay(new Date())}`), /^\* SEARCH 1\r$/m);
  assert.match(await raw.command('UID SEARCH SAVEDON 3-Mar-2022'), /^\* SEARCH 2\r$/m);
});
