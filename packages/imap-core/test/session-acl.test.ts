// Access lists (RFC 4314) end to end over real sockets: the exchanges of sections 3.1-3.5 and
// 2.1.1 with our mailbox names, NOPERM answers, READ-ONLY SELECT, bad commands, the capability,
// and NAMESPACE (RFC 2342) with and without the backend's namespaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Namespaces } from '../src/backend.js';
import { MemoryBackend } from './support/memory-backend.js';
import { ALICE, BOB, sampleMessage, startTestServer, type TestServer } from './support/test-server.js';
import type { Transcript } from './support/transcript.js';

/** Bob's mailbox `Team` as Alice names it. */
const TEAM = '"Other Users/bob@example.com/Team"';
const TEAM_PATTERN = '"Other Users/bob@example\\.com/Team"';

/** A server whose backend keeps access lists; Bob has a mailbox `Team` with one message. */
async function startSharingServer(): Promise<{ server: TestServer; backend: MemoryBackend }> {
  const backend = new MemoryBackend({ users: [ALICE, BOB], sharing: true });
  await backend.createMailbox(backend.requireUser(BOB.username), 'Team', {});
  await backend.deliver(BOB.username, 'Team', sampleMessage('Team news'));
  const server = await startTestServer({ backend });
  return { server, backend };
}

/** Opens a mailbox and checks only the tagged answer. */
async function open(client: Transcript, tag: string, command: string, tagged: RegExp): Promise<void> {
  const answer = await client.command(tag, command);
  assert.match(answer.tagged, tagged, answer.untagged.join('\n'));
}

/** Bob grants Alice `rights` on Team, then Alice logs in. */
async function aliceWith(
  server: TestServer,
  rights: string,
): Promise<{ alice: Transcript; bob: Transcript }> {
  const bob = await server.login(BOB);
  await bob.expect('g1', `SETACL Team alice@example.com ${rights}`, [/^g1 OK SETACL completed$/]);
  const alice = await server.login(ALICE);
  return { alice, bob };
}

test('ACL and RIGHTS=texk are announced only when the backend keeps access lists', async () => {
  const { server } = await startSharingServer();
  const plain = await startTestServer();
  try {
    const client = await server.login();
    const [line] = await client.expect('a1', 'CAPABILITY', [/^\* CAPABILITY /, /^a1 OK/]);
    assert.match(line ?? '', / ACL RIGHTS=texk( |$)/);
    const other = await plain.login();
    const [plainLine] = await other.expect('a1', 'CAPABILITY', [/^\* CAPABILITY /, /^a1 OK/]);
    assert.doesNotMatch(plainLine ?? '', / ACL|RIGHTS=/);
    // without access lists the commands are unknown: BAD, and the session goes on
    await other.expect('a2', 'GETACL INBOX', [/^a2 BAD /]);
    await other.expect('a3', 'MYRIGHTS INBOX', [/^a3 BAD /]);
    await other.expect('a4', 'NOOP', [/^a4 OK/]);
  } finally {
    await server.close();
    await plain.close();
  }
});

test('SETACL then GETACL: rights added with +, c and d expanded (RFC 4314 3.1 example)', async () => {
  const { server } = await startSharingServer();
  try {
    const bob = await server.login(BOB);
    await bob.expect('A000', 'SETACL Team alice@example.com lrswi', [/^A000 OK SETACL completed$/]);
    await bob.expect('A001', 'GETACL Team', [
      /^\* ACL "Team" bob@example\.com lrswipkxteacd alice@example\.com lrswi$/,
      /^A001 OK GETACL completed$/,
    ]);
    await bob.expect('A002', 'SETACL Team alice@example.com +cda', [/^A002 OK SETACL completed$/]);
    await bob.expect('A003', 'GETACL Team', [
      /^\* ACL "Team" bob@example\.com lrswipkxteacd alice@example\.com lrswikxteacd$/,
      /^A003 OK GETACL completed$/,
    ]);
    await bob.expect('A004', 'SETACL Team alice@example.com -kxw', [/^A004 OK/]);
    await bob.expect('A005', 'GETACL Team', [
      /^\* ACL "Team" \S+ \S+ alice@example\.com lrsitead$/,
      /^A005 OK/,
    ]);
  } finally {
    await server.close();
  }
});

test('SETACL with uppercase or unknown rights is BAD and changes nothing (RFC 4314 3.1)', async () => {
  const { server } = await startSharingServer();
  try {
    const bob = await server.login(BOB);
    await bob.expect('A035', 'SETACL Team alice@example.com lrQswicda', [
      /^A035 BAD Uppercase rights are not allowed$/,
    ]);
    await bob.expect('A036', 'SETACL Team alice@example.com lrqswicda', [
      /^A036 BAD The q right is not supported$/,
    ]);
    await bob.expect('A037', 'GETACL Team', [/^\* ACL "Team" bob@example\.com lrswipkxteacd$/, /^A037 OK/]);
  } finally {
    await server.close();
  }
});

test('the virtual d and c rights: d is e and t, c is k and x, both written back (RFC 4314 2.1.1)', async () => {
  const { server } = await startSharingServer();
  try {
    const bob = await server.login(BOB);
    await bob.expect('A001', 'SeTacl Drafts alice@example.com lrswida', [/^A001 OK/]);
    await bob.expect('A002', 'getacl Drafts', [
      /^\* ACL "Drafts" bob@example\.com lrswipkxteacd alice@example\.com lrswitead$/,
      /^A002 OK/,
    ]);
    await bob.expect('A003', 'Setacl Drafts alice@example.com lrswikda', [/^A003 OK/]);
    await bob.expect('A004', 'getAcl Drafts', [
      /^\* ACL "Drafts" bob@example\.com lrswipkxteacd alice@example\.com lrswikteacd$/,
      /^A004 OK/,
    ]);
  } finally {
    await server.close();
  }
});

test('DELETEACL removes an identifier from the list (RFC 4314 3.2)', async () => {
  const { server } = await startSharingServer();
  try {
    const bob = await server.login(BOB);
    await bob.expect('B000', 'SETACL INBOX anyone lr', [/^B000 OK/]);
    await bob.expect('B001', 'getacl INBOX', [
      /^\* ACL "INBOX" bob@example\.com lrswipkxteacd anyone lr$/,
      /^B001 OK/,
    ]);
    await bob.expect('B002', 'DeleteAcl INBOX anyone', [/^B002 OK DELETEACL completed$/]);
    await bob.expect('B003', 'GETACL INBOX', [/^\* ACL "INBOX" bob@example\.com lrswipkxteacd$/, /^B003 OK/]);
    // the owner's own rights cannot be taken away
    await bob.expect('B004', 'DELETEACL INBOX bob@example.com', [/^B004 NO \[CANNOT\] /]);
  } finally {
    await server.close();
  }
});

test('LISTRIGHTS answers what an identifier can be granted, with c and d (RFC 4314 3.4)', async () => {
  const { server } = await startSharingServer();
  try {
    const bob = await server.login(BOB);
    await bob.expect('a001', 'LISTRIGHTS Team alice@example.com', [
      /^\* LISTRIGHTS "Team" alice@example\.com "" l r s w i p k x t e a c d$/,
      /^a001 OK LISTRIGHTS completed$/,
    ]);
    await bob.expect('a005', 'listrights Team anyone', [
      /^\* LISTRIGHTS "Team" anyone "" l r s w i p k x t e c d$/,
      /^a005 OK/,
    ]);
    await bob.expect('a006', 'LISTRIGHTS Team bob@example.com', [
      /^\* LISTRIGHTS "Team" bob@example\.com lrswipkxteacd$/,
      /^a006 OK/,
    ]);
  } finally {
    await server.close();
  }
});

test('MYRIGHTS: every right on one own mailbox, the granted ones on another user’s (RFC 4314 3.5)', async () => {
  const { server } = await startSharingServer();
  try {
    const { alice } = await aliceWith(server, 'lrs');
    await alice.expect('A003', 'MYRIGHTS INBOX', [
      /^\* MYRIGHTS "INBOX" lrswipkxteacd$/,
      /^A003 OK MYRIGHTS completed$/,
    ]);
    await alice.expect('A004', `MYRIGHTS ${TEAM}`, [
      new RegExp(`^\\* MYRIGHTS ${TEAM_PATTERN} lrs$`),
      /^A004 OK/,
    ]);
    // a mailbox Alice may not see answers as if it did not exist (RFC 4314 6)
    await alice.expect('A005', 'MYRIGHTS "Other Users/bob@example.com/Drafts"', [
      /^A005 NO \[NONEXISTENT\] /,
    ]);
    await alice.expect('A006', 'MYRIGHTS Nowhere', [/^A006 NO \[NONEXISTENT\] /]);
  } finally {
    await server.close();
  }
});

test('mailbox names in ACL responses are echoed in modified UTF-7', async () => {
  const { server } = await startSharingServer();
  try {
    const bob = await server.login(BOB);
    await bob.expect('u1', 'CREATE T&AOs-am', [/^u1 OK/]);
    await bob.expect('u2', 'SETACL T&AOs-am anyone lr', [/^u2 OK/]);
    await bob.expect('u3', 'GETACL T&AOs-am', [
      /^\* ACL "T&AOs-am" bob@example\.com lrswipkxteacd anyone lr$/,
      /^u3 OK/,
    ]);
    await bob.expect('u4', 'MYRIGHTS inbox', [/^\* MYRIGHTS "INBOX" lrswipkxteacd$/, /^u4 OK/]);
  } finally {
    await server.close();
  }
});

test('without the administer right the ACL commands answer NO [NOPERM]', async () => {
  const { server } = await startSharingServer();
  try {
    const { alice } = await aliceWith(server, 'lr');
    await alice.expect('n1', `GETACL ${TEAM}`, [/^n1 NO \[NOPERM\] /]);
    await alice.expect('n2', `SETACL ${TEAM} alice@example.com +a`, [/^n2 NO \[NOPERM\] /]);
    await alice.expect('n3', `DELETEACL ${TEAM} alice@example.com`, [/^n3 NO \[NOPERM\] /]);
    await alice.expect('n4', `LISTRIGHTS ${TEAM} alice@example.com`, [/^n4 NO \[NOPERM\] /]);
    // Drafts is not shared with her at all: it does not exist for her
    await alice.expect('n5', 'GETACL "Other Users/bob@example.com/Drafts"', [/^n5 NO \[NONEXISTENT\] /]);
  } finally {
    await server.close();
  }
});

test('rights on another user’s mailbox: NOPERM for each command that needs a right it lacks', async () => {
  const { server, backend } = await startSharingServer();
  try {
    const { alice, bob } = await aliceWith(server, 'l');
    await alice.expect('p1', `SELECT ${TEAM}`, [/^p1 NO \[NOPERM\] /]);
    await alice.expect('p2', `STATUS ${TEAM} (MESSAGES)`, [/^p2 NO \[NOPERM\] /]);
    await alice.expect('p3', `DELETE ${TEAM}`, [/^p3 NO \[NOPERM\] /]);
    await alice.expect('p4', 'CREATE "Other Users/bob@example.com/Team/Sub"', [/^p4 NO \[NOPERM\] /]);
    await alice.expect('p5', `RENAME ${TEAM} Mine`, [/^p5 NO \[NOPERM\] /]);
    alice.send(`p6 APPEND ${TEAM} {5+}`);
    alice.write('hello\r\n');
    assert.match((await alice.until('p6')).tagged, /^p6 NO \[NOPERM\] /);
    await backend.deliver(ALICE.username, 'INBOX', sampleMessage());
    await open(alice, 'p7', 'SELECT INBOX', /^p7 OK/);
    await alice.expect('p9', `COPY 1 ${TEAM}`, [/^p9 NO \[NOPERM\] /]);
    await alice.expect('p10', `MOVE 1 ${TEAM}`, [/^p10 NO \[NOPERM\] /]);
    // with `r` it reads; with `k` it may create inside
    await bob.expect('g2', 'SETACL Team alice@example.com +rk', [/^g2 OK/]);
    await alice.expect('p11', `STATUS ${TEAM} (MESSAGES)`, [
      new RegExp(`^\\* STATUS ${TEAM_PATTERN} \\(MESSAGES 1\\)$`),
      /^p11 OK/,
    ]);
    await alice.expect('p12', 'CREATE "Other Users/bob@example.com/Team/Sub"', [/^p12 OK/]);
    // with no right at all the mailbox does not exist for her
    await bob.expect('g3', 'DELETEACL Team alice@example.com', [/^g3 OK/]);
    await alice.expect('p13', `SELECT ${TEAM}`, [/^p13 NO \[NONEXISTENT\] /]);
  } finally {
    await server.close();
  }
});

test('SELECT without any of s w t e i is READ-ONLY; a body FETCH then sets no \\Seen', async () => {
  const { server } = await startSharingServer();
  try {
    const { alice, bob } = await aliceWith(server, 'lr');
    const { untagged, tagged } = await alice.command('s1', `SELECT ${TEAM}`);
    assert.match(tagged, /^s1 OK \[READ-ONLY\] SELECT completed$/);
    assert.ok(untagged.includes('* OK [PERMANENTFLAGS ()] Flags permitted'), untagged.join('\n'));
    await alice.expect('s2', 'STORE 1 +FLAGS (\\Flagged)', [/^s2 NO \[READ-ONLY\] /]);
    await alice.expect('s3', 'EXPUNGE', [/^s3 NO \[READ-ONLY\] /]);
    await alice.expect('s4', 'FETCH 1 BODY[HEADER.FIELDS (SUBJECT)]', [
      /^\* 1 FETCH \(BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{/,
      /^s4 OK/,
    ]);
    await open(bob, 's5', 'EXAMINE Team', /^s5 OK \[READ-ONLY\]/);
    await bob.expect('s6', 'FETCH 1 FLAGS', [/^\* 1 FETCH \(FLAGS \(\)\)$/, /^s6 OK/]);
  } finally {
    await server.close();
  }
});

test('READ-WRITE with w but not s: PERMANENTFLAGS follow the rights, \\Seen cannot be set, FETCH still works', async () => {
  const { server } = await startSharingServer();
  try {
    const { alice, bob } = await aliceWith(server, 'lrw');
    const { untagged, tagged } = await alice.command('w1', `SELECT ${TEAM}`);
    assert.match(tagged, /^w1 OK \[READ-WRITE\] SELECT completed$/);
    const permanent = untagged.find((line) => line.includes('PERMANENTFLAGS')) ?? '';
    assert.match(permanent, /\\Answered/);
    assert.match(permanent, /\\\*/);
    assert.doesNotMatch(permanent, /\\Seen|\\Deleted/);
    await alice.expect('w2', 'STORE 1 +FLAGS (\\Seen)', [/^w2 NO \[NOPERM\] /]);
    await alice.expect('w3', 'STORE 1 +FLAGS (\\Flagged)', [
      /^\* 1 FETCH \(FLAGS \(\\Flagged\)\)$/,
      /^w3 OK/,
    ]);
    await alice.expect('w4', 'EXPUNGE', [/^w4 NO \[NOPERM\] /]);
    // RFC 4314 4: a FETCH that would set \Seen must not set it without `s`, and must not fail
    const fetched = await alice.command('w5', 'FETCH 1 BODY[]');
    assert.match(fetched.tagged, /^w5 OK/);
    assert.doesNotMatch(fetched.untagged.join('\n'), /\\Seen/);
    await open(bob, 'w6', 'EXAMINE Team', /^w6 OK/);
    await bob.expect('w7', 'FETCH 1 FLAGS', [/^\* 1 FETCH \(FLAGS \(\\Flagged\)\)$/, /^w7 OK/]);
    // CLOSE without `e` does not expunge and still answers OK (RFC 4314 4)
    await alice.expect('w8', 'STORE 1 +FLAGS (\\Deleted)', [/^w8 NO \[NOPERM\] /]);
    await alice.expect('w9', 'CLOSE', [/^w9 OK/]);
  } finally {
    await server.close();
  }
});

test('shared mailboxes are listed under Other Users/ with the l right', async () => {
  const { server } = await startSharingServer();
  try {
    const { alice } = await aliceWith(server, 'l');
    const { untagged } = await alice.command('l1', 'LIST "" "Other Users/*"');
    assert.ok(
      untagged.some((line) => line.endsWith('"/" "Other Users/bob@example.com/Team"')),
      untagged.join('\n'),
    );
    assert.ok(!untagged.some((line) => line.includes('Drafts')), untagged.join('\n'));
  } finally {
    await server.close();
  }
});

test('malformed ACL commands get a tagged BAD and the session goes on', async () => {
  const { server } = await startSharingServer();
  try {
    const bob = await server.login(BOB);
    await bob.expect('m1', 'SETACL Team', [/^m1 BAD /]);
    await bob.expect('m2', 'SETACL Team alice@example.com', [/^m2 BAD /]);
    await bob.expect('m3', 'GETACL', [/^m3 BAD /]);
    await bob.expect('m4', 'MYRIGHTS Team extra', [/^m4 BAD /]);
    await bob.expect('m5', 'DELETEACL Team', [/^m5 BAD /]);
    await bob.expect('m6', 'LISTRIGHTS Team (anyone)', [/^m6 BAD /]);
    await bob.expect('m7', 'SETACL Team "" lr', [/^m7 BAD /]);
    await bob.expect('m8', 'SETACL Team alice@example.com "lr s"', [/^m8 BAD /]);
    await bob.expect('m9', 'MYRIGHTS Team', [/^\* MYRIGHTS "Team" lrswipkxteacd$/, /^m9 OK/]);
    const guest = await server.connect();
    await guest.expect('m10', 'GETACL INBOX', [/^m10 BAD /]);
  } finally {
    await server.close();
  }
});

test('NAMESPACE answers the backend’s namespaces, prefixes in modified UTF-7, NIL for none', async () => {
  const { server } = await startSharingServer();
  const plain = await startTestServer();
  class SharedFoldersBackend extends MemoryBackend {
    override readonly namespaces = (): Namespaces => ({
      personal: [{ prefix: '', delimiter: '/' }],
      otherUsers: [{ prefix: 'Other Users/', delimiter: '/' }],
      shared: [{ prefix: 'Dossiers partagés/', delimiter: '/' }],
    });
  }
  const folders = await startTestServer({ backend: new SharedFoldersBackend({ users: [ALICE] }) });
  try {
    const client = await server.login();
    await client.expect('N1', 'NAMESPACE', [
      /^\* NAMESPACE \(\("" "\/"\)\) \(\("Other Users\/" "\/"\)\) NIL$/,
      /^N1 OK/,
    ]);
    const other = await plain.login();
    await other.expect('N2', 'NAMESPACE', [/^\* NAMESPACE \(\("" "\/"\)\) NIL NIL$/, /^N2 OK/]);
    const third = await folders.login();
    await third.expect('N3', 'NAMESPACE', [
      /^\* NAMESPACE \(\("" "\/"\)\) \(\("Other Users\/" "\/"\)\) \(\("Dossiers partag&AOk-s\/" "\/"\)\)$/,
      /^N3 OK/,
    ]);
  } finally {
    await server.close();
    await plain.close();
    await folders.close();
  }
});
