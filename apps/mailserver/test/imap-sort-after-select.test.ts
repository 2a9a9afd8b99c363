// The first SORT after SELECT reads no search document: SELECT's view load reads the mailbox's
// search documents once and hands their sort records to the server's sort record cache, so SORT
// costs the store nothing, and later only the messages that arrived since (one point read each).
// Counted with the driver's command monitoring, as delivery-round-trips.test.ts counts a delivery.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RawImapClient } from './raw-client.js';
import { startCountedImap, type CountedImap } from './counted-imap.js';

let imap: CountedImap;
let port: number;
/** `<command> <collection>` of every store command sent since the last reset. */
const commands: string[] = [];

before(async () => {
  imap = await startCountedImap('sortselect', 'sortselect@example.com', commands);
  port = imap.port;
});
after(() => imap.close());

function message(subject: string, id: string): string {
  return `From: a@x.org\r\nSubject: ${subject}\r\nMessage-ID: <${id}@x>\r\n\r\nBody of ${id}\r\n`;
}

async function loggedIn(): Promise<RawImapClient> {
  const raw = await RawImapClient.open(port);
  assert.match(await raw.command('LOGIN sortselect@example.com secretpass'), /^T1 OK/m);
  return raw;
}

async function append(raw: RawImapClient, mailbox: string, text: string): Promise<void> {
  assert.match(await raw.command(`APPEND ${mailbox} {${Buffer.byteLength(text)}+}\r\n${text}`), /^T\d+ OK/m);
}

/**
 * Runs `command` on `raw`; returns its answer and the store commands it cost, but for journal
 * reads (a session looks for changes to report around any command; no part of sorting).
 */
async function counted(raw: RawImapClient, command: string): Promise<{ answer: string; calls: string[] }> {
  commands.length = 0;
  const answer = await raw.command(command);
  return { answer, calls: commands.filter((call) => call !== 'find journal') };
}

test('SORT after SELECT reads no search document, and later only the new arrivals', async () => {
  const writer = await loggedIn();
  assert.match(await writer.command('CREATE Sorted'), /^T\d+ OK/m);
  for (const [subject, id] of [
    ['cherry', 'm1'],
    ['apple', 'm2'],
    ['banana', 'm3'],
  ])
    await append(writer, 'Sorted', message(subject!, id!));

  const reader = await loggedIn();
  const select = await counted(reader, 'SELECT Sorted');
  assert.match(select.answer, /^\* 3 EXISTS/m);
  // the view's load: the one read of the search documents
  assert.equal(
    select.calls.filter((call) => call === 'find messageSearch').length,
    1,
    select.calls.join(', '),
  );

  const sort = await counted(reader, 'SORT (SUBJECT) UTF-8 ALL');
  assert.match(sort.answer, /^\* SORT 2 3 1\r\n/m);
  // no search document, no message document, not even the mailbox's layout check
  assert.deepEqual(sort.calls, []);

  // a message that arrived after SELECT costs SORT one read of that message, nothing of the rest
  await append(writer, 'Sorted', message('avocado', 'm4'));
  assert.match(await reader.command('NOOP'), /^\* 4 EXISTS/m);
  const later = await counted(reader, 'UID SORT (SUBJECT) UTF-8 ALL');
  assert.match(later.answer, /^\* SORT 2 4 3 1\r\n/m);
  assert.deepEqual(later.calls, ['find messages']);

  writer.close();
  reader.close();
});
