// IMAP4rev2 (RFC 9051) beside IMAP4rev1: offered only once everything it includes is offered;
// after ENABLE IMAP4rev2 (6.3.1) a session gets ESEARCH for SEARCH (6.4.4), no RECENT or UNSEEN
// but a LIST of the mailbox on SELECT (6.3.2), CLOSED when another mailbox is selected, and
// mailbox names in UTF-8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, sampleMessage, startTestServer } from './support/test-server.js';
import { imap4rev2Complete } from '../src/capabilities.js';
import { SUPPORTED_STATUS_ITEMS } from '../src/status-items.js';

test('IMAP4rev2 is offered only when complete; ENABLE of it is ignored while it is not offered', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    const capabilities = (await client.command('c1', 'CAPABILITY')).untagged[0]!.split(' ');
    const offered = imap4rev2Complete(SUPPORTED_STATUS_ITEMS);
    assert.equal(capabilities.includes('IMAP4rev2'), offered);
    if (!offered) await client.expect('e1', 'ENABLE IMAP4rev2', [/^\* ENABLED$/, /^e1 OK/]);
  } finally {
    await server.close();
  }
});

test('an IMAP4rev2 session: ESEARCH, SELECT without RECENT/UNSEEN but with LIST, CLOSED, UTF-8 names', async () => {
  const server = await startTestServer({ imap4rev2: true });
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('one'), { flags: ['\\Seen'] });
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('two'));
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('three'));
    const rev1 = await server.login();
    const client = await server.login();
    const capabilities = (await client.command('c1', 'CAPABILITY')).untagged[0]!;
    assert.match(capabilities, /^\* CAPABILITY IMAP4rev1 IMAP4rev2 /);
    await client.expect('e1', 'ENABLE IMAP4rev2', [/^\* ENABLED IMAP4rev2$/, /^e1 OK/]);

    const selected = await client.command('s1', 'SELECT INBOX');
    assert.ok(!selected.untagged.some((line) => /RECENT|UNSEEN/.test(line)), selected.untagged.join('\n'));
    assert.ok(selected.untagged.includes('* 3 EXISTS'));
    assert.equal(selected.untagged.at(-1), '* LIST (\\HasNoChildren) "/" "INBOX"');
    assert.match(selected.tagged, /^s1 OK \[READ-WRITE\]/);

    assert.deepEqual((await client.command('f1', 'SEARCH UNSEEN')).untagged, [
      '* ESEARCH (TAG "f1") ALL 2:3',
    ]);
    assert.deepEqual((await client.command('f2', 'UID SEARCH ALL')).untagged, [
      '* ESEARCH (TAG "f2") UID ALL 1:3',
    ]);
    assert.deepEqual((await client.command('f3', 'UID SEARCH SUBJECT nothing')).untagged, [
      '* ESEARCH (TAG "f3") UID',
    ]);
    assert.deepEqual((await client.command('f4', 'SEARCH RETURN (COUNT) ALL')).untagged, [
      '* ESEARCH (TAG "f4") COUNT 3',
    ]);

    // mailbox names in UTF-8, in and out
    await client.expect('m1', 'CREATE "Dépôt"', [/^m1 OK/]);
    assert.deepEqual((await client.command('m2', 'LIST "" "Dé*"')).untagged, [
      '* LIST (\\HasNoChildren) "/" "Dépôt"',
    ]);
    const examined = await client.command('m3', 'EXAMINE "Dépôt"');
    assert.equal(examined.untagged[0], '* OK [CLOSED] Previous mailbox closed');
    assert.equal(examined.untagged.at(-1), '* LIST (\\HasNoChildren) "/" "Dépôt"');
    const sent = await client.command('m4', 'SELECT "Sent Mail"');
    assert.equal(sent.untagged.at(-1), '* LIST (\\HasNoChildren \\Sent) "/" "Sent Mail"');

    // an IMAP4rev1 session on the same server is answered as before
    const before = await rev1.command('r1', 'SELECT INBOX');
    assert.ok(before.untagged.includes('* 0 RECENT'));
    assert.ok(before.untagged.includes('* OK [UNSEEN 2] First unseen'));
    assert.ok(!before.untagged.some((line) => line.startsWith('* LIST')));
    assert.deepEqual((await rev1.command('r2', 'SEARCH UNSEEN')).untagged, ['* SEARCH 2 3']);
    assert.deepEqual((await rev1.command('r3', 'LIST "" "D&AOk-*"')).untagged, [
      '* LIST (\\HasNoChildren) "/" "D&AOk-p&APQ-t"',
    ]);
  } finally {
    await server.close();
  }
});

test('STATUS DELETED counts the messages with \\Deleted (RFC 9051 6.3.11)', async () => {
  const server = await startTestServer();
  try {
    await server.backend.deliver(ALICE.username, 'Trash', sampleMessage('one'), { flags: ['\\Deleted'] });
    await server.backend.deliver(ALICE.username, 'Trash', sampleMessage('two'));
    await server.backend.deliver(ALICE.username, 'Trash', sampleMessage('three'), {
      flags: ['\\Deleted', '\\Seen'],
    });
    const client = await server.login();
    await client.expect('s1', 'STATUS Trash (MESSAGES DELETED)', [
      /^\* STATUS "Trash" \(MESSAGES 3 DELETED 2\)$/,
      /^s1 OK/,
    ]);
    await client.expect('s2', 'LIST "" Trash RETURN (STATUS (DELETED))', [
      /^\* LIST \(.*\) "\/" "Trash"$/,
      /^\* STATUS "Trash" \(DELETED 2\)$/,
      /^s2 OK/,
    ]);
  } finally {
    await server.close();
  }
});
