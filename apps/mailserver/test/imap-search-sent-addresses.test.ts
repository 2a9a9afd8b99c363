// SEARCH through the real server: SENTBEFORE / SENTON / SENTSINCE compare the date written in the
// Date header, time and zone disregarded (RFC 3501 6.4.4), and FROM / TO / CC / BCC match every
// address line, group names and decoded encoded-words, as substrings in any case.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
let client: RawImapClient;
before(async () => {
  imap = await startImap('search-sent');
  await imap.createUser('searcher@example.com');
  client = await RawImapClient.open(imap.port);
  assert.match(await client.command('LOGIN searcher@example.com secretpass'), /OK/);
});
after(async () => {
  await client.command('LOGOUT').catch(() => {});
  await imap.close();
});

async function append(lines: string[]): Promise<void> {
  const bytes = Buffer.from([...lines, '', 'body', ''].join('\r\n'));
  const response = await client.command(
    Buffer.concat([Buffer.from(`APPEND INBOX {${bytes.length}+}\r\n`), bytes]),
  );
  assert.match(response, /OK/);
}

const search = async (criteria: string): Promise<string> => {
  const response = await client.command(`SEARCH ${criteria}`);
  return /^\* SEARCH.*$/m.exec(response)?.[0] ?? response;
};

test('SENT* keys use the day written in the Date header; address keys see every line and group', async () => {
  await append([
    'From: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <juergen@example.de>',
    'To: first@example.com',
    'To: Project Team: alice@team.example, "Bob B." <bob@team.example>;',
    'Date: Mon, 1 Jan 2024 23:30:00 -0800',
    'Subject: one',
  ]);
  await append([
    'From: other@example.org',
    'Cc: undisclosed-recipients:;',
    'Date: Tue, 2 Jan 2024 00:15:00 +0100',
    'Subject: two',
  ]);
  assert.match(await client.command('SELECT INBOX'), /OK/);
  assert.equal(await search('SENTON 1-Jan-2024'), '* SEARCH 1');
  assert.equal(await search('SENTON 2-Jan-2024'), '* SEARCH 2');
  assert.equal(await search('SENTBEFORE 2-Jan-2024'), '* SEARCH 1');
  assert.equal(await search('SENTSINCE 2-Jan-2024'), '* SEARCH 2');
  assert.equal(await search('SENTSINCE 1-Jan-2024 SENTBEFORE 3-Jan-2024'), '* SEARCH 1 2');
  assert.equal(await search('TO "project team"'), '* SEARCH 1');
  assert.equal(await search('TO bob@TEAM'), '* SEARCH 1');
  assert.equal(await search('TO first@example.com'), '* SEARCH 1');
  assert.equal(await search('CHARSET UTF-8 FROM {7+}\r\njürgen'), '* SEARCH 1');
  assert.equal(await search('FROM example.org'), '* SEARCH 2');
  assert.equal(await search('CC undisclosed'), '* SEARCH 2');
  assert.equal(await search('CC alice'), '* SEARCH');
});
