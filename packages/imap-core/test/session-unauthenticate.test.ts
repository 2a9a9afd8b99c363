// UNAUTHENTICATE (RFC 8437): back to the not-authenticated state on the same connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, sampleMessage, startTestServer } from './support/test-server.js';

test('UNAUTHENTICATE unselects, forgets the user and what was enabled, and restores the capabilities', async () => {
  const server = await startTestServer();
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('one'), { flags: ['\\Deleted'] });
    const client = await server.connect();
    const before = (await client.command('c0', 'CAPABILITY')).untagged[0]!;
    assert.doesNotMatch(before, /UNAUTHENTICATE/);
    await client.expect('c1', 'UNAUTHENTICATE', [/^c1 BAD /]);
    await client.command('l1', `LOGIN "${ALICE.username}" "${ALICE.password}"`);
    assert.match((await client.command('c2', 'CAPABILITY')).untagged[0]!, / UNAUTHENTICATE( |$)/);
    await client.expect('e1', 'ENABLE CONDSTORE', [/^\* ENABLED CONDSTORE$/, /^e1 OK/]);
    await client.command('s1', 'SELECT INBOX');
    await client.expect('u1', 'UNAUTHENTICATE', [/^u1 OK UNAUTHENTICATE completed$/]);
    // not authenticated: mailbox commands are refused, the list is the one before login
    await client.expect('f1', 'FETCH 1 FLAGS', [/^f1 BAD /]);
    await client.expect('s2', 'SELECT INBOX', [/^s2 BAD /]);
    const after = (await client.command('c3', 'CAPABILITY')).untagged[0]!;
    assert.equal(after, before);
    // the mailbox was closed without expunging
    await client.command('l2', `LOGIN "${BOB.username}" "${BOB.password}"`);
    await client.expect('l3', 'STATUS INBOX (MESSAGES)', [/^\* STATUS "?INBOX"? \(MESSAGES 0\)$/, /^l3 OK/]);
    await client.command('u2', 'UNAUTHENTICATE');
    await client.command('l4', `LOGIN "${ALICE.username}" "${ALICE.password}"`);
    await client.expect('l5', 'STATUS INBOX (MESSAGES)', [/^\* STATUS "?INBOX"? \(MESSAGES 1\)$/, /^l5 OK/]);
    // CONDSTORE was forgotten: ENABLE turns it on again
    await client.expect('e2', 'ENABLE CONDSTORE', [/^\* ENABLED CONDSTORE$/, /^e2 OK/]);
  } finally {
    await server.close();
  }
});
