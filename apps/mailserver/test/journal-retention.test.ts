import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deleteExpiredJournalEntries } from '@wildduck/store';
import { JOURNAL_RETENTION_SECONDS } from '@wildduck/schema';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

// Mailbox views remember only the last 2 changes here, so a session that falls 5 changes behind
// must turn to the journal, and, once that has expired, to a full resync.
let imap: ImapHarness;
let remembering: ImapHarness;
before(async () => {
  imap = await startImap('retention', { viewChangeLog: 2 });
  await imap.createUser('old@example.com');
  remembering = await startImap('retention2');
  await remembering.createUser('old@example.com');
});
after(async () => {
  await imap.close();
  await remembering.close();
});

async function session(server = imap): Promise<RawImapClient> {
  const client = await RawImapClient.open(server.port);
  await client.command('LOGIN old@example.com secretpass');
  return client;
}

/**
 * A reader selects INBOX after `subjects` were appended; then, unseen by it, the writer expunges
 * UID 2, flags UID 3 and appends one more, and all of that expires from the journal.
 */
async function readerBehindExpiredJournal(server: ImapHarness, subjects: string[], last: string) {
  const writer = await session(server);
  for (const subject of subjects)
    await writer.command(`APPEND INBOX {${16 + subject.length}+}\r\nSubject: ${subject}\r\n\r\nx\r\n`);
  const reader = await session(server);
  await reader.command('ENABLE CONDSTORE');
  await reader.command('SELECT INBOX');

  await writer.command('SELECT INBOX');
  await writer.command('UID STORE 2 +FLAGS.SILENT (\\Deleted)');
  await writer.command('EXPUNGE');
  await writer.command('UID STORE 3 +FLAGS.SILENT (\\Flagged)');
  await writer.command(`APPEND INBOX {${16 + last.length}+}\r\nSubject: ${last}\r\n\r\nx\r\n`);

  // everything the reader has not seen expires from the journal (the TTL, or the sweep on FerretDB)
  const later = new Date(Date.now() + (JOURNAL_RETENTION_SECONDS + 60) * 1000);
  assert.ok((await deleteExpiredJournalEntries(server.store.db, later)) > 0);
  return { writer, reader };
}

test('a session older than the journal and its mailbox view learns of every expunge, arrival and flag change by a full resync', async () => {
  const { writer, reader } = await readerBehindExpiredJournal(imap, ['one', 'two', 'three', 'four'], 'five');

  const response = await reader.command('NOOP');
  const lines = response.split('\r\n');
  assert.ok(lines.includes('* 2 EXPUNGE'), response);
  assert.ok(lines.includes('* 4 EXISTS'), response);
  // then every message's flags, with MODSEQ under CONDSTORE
  assert.match(response, /\* 1 FETCH \(UID 1 FLAGS \(\) MODSEQ \(\d+\)\)/);
  assert.match(response, /\* 2 FETCH \(UID 3 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)/);
  assert.match(response, /\* 3 FETCH \(UID 4 FLAGS \(\) MODSEQ \(\d+\)\)/);
  assert.match(response, /\* 4 FETCH \(UID 5 FLAGS \(\) MODSEQ \(\d+\)\)/);

  // from there on the session follows the journal again, change by change
  await writer.command('UID STORE 4 +FLAGS.SILENT (\\Seen)');
  const next = await reader.command('NOOP');
  assert.match(next, /^\* 3 FETCH \(UID 4 FLAGS \(\\Seen\) MODSEQ \(\d+\)\)\r\n/m);
  assert.doesNotMatch(next, /UID 1 FLAGS/, 'no second full resync');
  writer.close();
  reader.close();
});

test('a session behind an expired journal is told each change one by one while its mailbox view remembers them', async () => {
  const { writer, reader } = await readerBehindExpiredJournal(remembering, ['one', 'two', 'three'], 'four');

  const response = await reader.command('NOOP');
  const lines = response.split('\r\n');
  assert.ok(lines.includes('* 2 EXPUNGE'), response);
  assert.match(response, /^\* 2 FETCH \(UID 3 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)\r\n/m);
  assert.ok(lines.includes('* 3 EXISTS'), response);
  assert.doesNotMatch(response, /UID 1 FLAGS/, 'no full resync');
  writer.close();
  reader.close();
});
