// Changes made by other sessions: when EXPUNGE may be sent (RFC 3501 7.4.1), IDLE push
// (RFC 2177), CONDSTORE and QRESYNC (RFC 7162), and UTF8=ACCEPT (RFC 6855).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, sampleMessage, startTestServer, type TestServer } from './support/test-server.js';
import type { Transcript } from './support/transcript.js';

async function twoSessions(
  count: number,
  run: (a: Transcript, b: Transcript, server: TestServer) => Promise<void>,
): Promise<void> {
  const server = await startTestServer();
  try {
    for (let index = 1; index <= count; index++) {
      await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage(`Message ${index}`));
    }
    const a = await server.login();
    const b = await server.login();
    await a.command('a0', 'SELECT INBOX');
    await b.command('b0', 'SELECT INBOX');
    await run(a, b, server);
  } finally {
    await server.close();
  }
}

/** Waits until the journal notification had time to arrive (it is published asynchronously). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

test('EXPUNGE by another session is not sent during FETCH, STORE or SEARCH, but after NOOP', async () => {
  await twoSessions(3, async (a, b) => {
    await b.command('b1', 'STORE 2 +FLAGS.SILENT (\\Deleted)');
    await b.expect('b2', 'EXPUNGE', [/^\* 2 EXPUNGE$/, /^b2 OK/]);
    await settle();
    const fetched = await a.command('a1', 'FETCH 1:* FLAGS');
    assert.ok(!fetched.untagged.some((line) => /EXPUNGE|VANISHED/.test(line)), fetched.untagged.join('\n'));
    assert.ok(fetched.untagged.includes('* 1 FETCH (FLAGS ())'));
    assert.ok(fetched.untagged.includes('* 3 FETCH (FLAGS ())'));
    assert.ok(
      fetched.untagged.includes('* 2 FETCH (UID 2 FLAGS (\\Deleted))'),
      'flag change before the expunge is reported',
    );
    const stored = await a.command('a2', 'STORE 3 +FLAGS (\\Seen)');
    assert.deepEqual(stored.untagged, ['* 3 FETCH (FLAGS (\\Seen))']);
    const searched = await a.command('a3', 'SEARCH ALL');
    assert.deepEqual(searched.untagged, ['* SEARCH 1 3'], 'sequence numbers stay as the client knows them');
    await a.expect('a4', 'NOOP', [/^\* 2 EXPUNGE$/, /^a4 OK/]);
    await a.expect('a5', 'SEARCH ALL', [/^\* SEARCH 1 2$/, /^a5 OK/]);
  });
});

test('UID FETCH may carry a pending EXPUNGE; new messages are announced with EXISTS', async () => {
  await twoSessions(2, async (a, b, server) => {
    await b.command('b1', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    await b.command('b2', 'EXPUNGE');
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('new'));
    await settle();
    const response = await a.command('a1', 'UID FETCH 1:* FLAGS');
    assert.deepEqual(response.untagged, [
      '* 2 FETCH (UID 2 FLAGS ())',
      '* 1 FETCH (UID 1 FLAGS (\\Deleted))',
      '* 1 EXPUNGE',
      '* 2 EXISTS',
    ]);
  });
});

test('IDLE pushes EXISTS, FETCH and EXPUNGE from another session as they happen, until DONE', async () => {
  await twoSessions(2, async (a, b) => {
    a.send('A002 IDLE');
    assert.equal(await a.readLine(), '+ idling');
    const message = sampleMessage('pushed');
    b.send(`b1 APPEND INBOX {${message.length}}`);
    await b.readLine();
    b.write(message + '\r\n');
    assert.equal(await a.readLine(), '* 3 EXISTS');
    await b.command('b2', 'STORE 1 +FLAGS.SILENT (\\Flagged)');
    assert.equal(await a.readLine(), '* 1 FETCH (UID 1 FLAGS (\\Flagged))');
    await b.command('b3', 'STORE 2 +FLAGS.SILENT (\\Deleted)');
    await b.command('b4', 'EXPUNGE');
    assert.equal(await a.readLine(), '* 2 FETCH (UID 2 FLAGS (\\Deleted))');
    assert.equal(await a.readLine(), '* 2 EXPUNGE');
    a.send('DONE');
    assert.equal(await a.readLine(), 'A002 OK IDLE terminated');
    await a.expect('a3', 'NOOP', [/^a3 OK/]);
  });
});

test('IDLE ended by something other than DONE gets BAD; IDLE works in the authenticated state too', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    client.send('i1 IDLE');
    assert.equal(await client.readLine(), '+ idling');
    client.send('NOPE');
    assert.match(await client.readLine(), /^i1 BAD /);
    await client.expect('i2', 'NOOP', [/^i2 OK/]);
  } finally {
    await server.close();
  }
});

test('CONDSTORE: SELECT (CONDSTORE), FETCH MODSEQ and CHANGEDSINCE (RFC 7162 3.1)', async () => {
  await twoSessions(3, async (a, b) => {
    const selected = await a.command('a1', 'SELECT INBOX (CONDSTORE)');
    const highest = Number(/HIGHESTMODSEQ (\d+)/.exec(selected.untagged.join('\n'))?.[1]);
    assert.ok(highest > 0);
    await b.command('b1', 'STORE 2 +FLAGS.SILENT (\\Answered)');
    await settle();
    await a.expect('a103', `FETCH 1:* (FLAGS) (CHANGEDSINCE ${highest})`, [
      new RegExp(`^\\* 2 FETCH \\(FLAGS \\(\\\\Answered\\) MODSEQ \\(${highest + 1}\\)\\)$`),
      /^\* 2 FETCH \(UID 2 FLAGS \(\\Answered\) MODSEQ/,
      /^a103 OK/,
    ]);
    await a.expect('a104', 'FETCH 1 (MODSEQ)', [/^\* 1 FETCH \(MODSEQ \(\d+\)\)$/, /^a104 OK/]);
    await a.expect('a105', 'STORE 3 +FLAGS (\\Seen)', [
      new RegExp(`^\\* 3 FETCH \\(FLAGS \\(\\\\Seen\\) MODSEQ \\(${highest + 2}\\)\\)$`),
      /^a105 OK/,
    ]);
  });
});

test('CONDSTORE: STORE UNCHANGEDSINCE reports MODIFIED (RFC 7162 3.1.3 example shape)', async () => {
  await twoSessions(3, async (a, b) => {
    const status = await a.command('s1', 'STATUS Trash (HIGHESTMODSEQ)');
    assert.match(status.untagged[0] ?? '', /HIGHESTMODSEQ \d+/);
    const fetched = await a.command('f1', 'FETCH 1:3 (MODSEQ)');
    const modseqs = fetched.untagged.map((line) => Number(/MODSEQ \((\d+)\)/.exec(line)?.[1]));
    await b.command('b1', 'STORE 2 +FLAGS.SILENT (\\Flagged)');
    await settle();
    const unchangedSince = Math.max(...modseqs);
    const response = await a.command(
      'd105',
      `STORE 1:3 (UNCHANGEDSINCE ${unchangedSince}) +FLAGS.SILENT (\\Deleted)`,
    );
    assert.match(response.tagged, /^d105 OK \[MODIFIED 2\] /);
    assert.deepEqual(
      response.untagged.map((line) => line.replace(/\d+\)\)$/, 'n))')),
      ['* 1 FETCH (MODSEQ (n))', '* 3 FETCH (MODSEQ (n))', '* 2 FETCH (UID 2 FLAGS (\\Flagged) MODSEQ (n))'],
      'RFC 7162 3.1.3 example: a silent conditional STORE reports MODSEQ only; then the other session’s change',
    );
    await a.expect('d106', 'UID STORE 1 (UNCHANGEDSINCE 1) FLAGS (\\Seen)', [/^d106 OK \[MODIFIED 1\]/]);
  });
});

test('CONDSTORE: SEARCH MODSEQ answers the highest modseq of the matches (RFC 7162 3.1.5)', async () => {
  await twoSessions(3, async (a) => {
    await a.command('s1', 'STORE 2 +FLAGS.SILENT (\\Flagged)');
    const fetched = await a.command('f1', 'FETCH 2 (MODSEQ)');
    const modseq = Number(/MODSEQ \((\d+)\)/.exec(fetched.untagged[0] ?? '')?.[1]);
    await a.expect('a', `SEARCH MODSEQ ${modseq}`, [
      new RegExp(`^\\* SEARCH 2 \\(MODSEQ ${modseq}\\)$`),
      /^a OK/,
    ]);
    await a.expect('b', `SEARCH RETURN (ALL) MODSEQ ${modseq}`, [
      new RegExp(`^\\* ESEARCH \\(TAG "b"\\) ALL 2 MODSEQ ${modseq}$`),
      /^b OK/,
    ]);
  });
});

test('QRESYNC: SELECT with (QRESYNC (uidvalidity modseq)) answers VANISHED (EARLIER) and changed flags', async () => {
  await twoSessions(5, async (a, b) => {
    await a.command('e1', 'UNSELECT');
    await a.expect('e2', 'ENABLE QRESYNC', [/^\* ENABLED QRESYNC$/, /^e2 OK/]);
    const selected = await a.command('e3', 'SELECT INBOX');
    const uidValidity = /UIDVALIDITY (\d+)/.exec(selected.untagged.join('\n'))?.[1];
    const modseq = /HIGHESTMODSEQ (\d+)/.exec(selected.untagged.join('\n'))?.[1];
    await a.command('e4', 'UNSELECT');
    await b.command('b1', 'STORE 2,4 +FLAGS.SILENT (\\Deleted)');
    await b.command('b2', 'EXPUNGE');
    await b.command('b3', 'UID STORE 5 +FLAGS.SILENT (\\Seen)');
    const resync = await a.command('A02', `SELECT INBOX (QRESYNC (${uidValidity} ${modseq}))`);
    assert.match(resync.tagged, /^A02 OK \[READ-WRITE\]/);
    assert.ok(resync.untagged.includes('* 3 EXISTS'), resync.untagged.join('\n'));
    assert.ok(resync.untagged.includes('* VANISHED (EARLIER) 2,4'), resync.untagged.join('\n'));
    assert.ok(
      resync.untagged.some((line) => /^\* 3 FETCH \(UID 5 FLAGS \(\\Seen\) MODSEQ \(\d+\)\)$/.test(line)),
      resync.untagged.join('\n'),
    );
    const known = await a.command('A03', `SELECT INBOX (QRESYNC (${uidValidity} ${modseq} 1:3))`);
    assert.ok(known.untagged.includes('* OK [CLOSED] Previous mailbox closed'), known.untagged.join('\n'));
    assert.ok(known.untagged.includes('* VANISHED (EARLIER) 2'), known.untagged.join('\n'));
    const stale = await a.command('A04', `SELECT INBOX (QRESYNC (1 ${modseq}))`);
    assert.ok(
      !stale.untagged.some((line) => /VANISHED/.test(line)),
      'a different UIDVALIDITY gets a plain SELECT',
    );
  });
});

test('QRESYNC: expunges are reported as VANISHED; UID FETCH (CHANGEDSINCE n VANISHED)', async () => {
  await twoSessions(4, async (a, b) => {
    await a.command('e0', 'UNSELECT');
    await a.command('e1', 'ENABLE QRESYNC');
    const selected = await a.command('e2', 'SELECT INBOX');
    const modseq = Number(/HIGHESTMODSEQ (\d+)/.exec(selected.untagged.join('\n'))?.[1]);
    await b.command('b1', 'STORE 1,3 +FLAGS.SILENT (\\Deleted)');
    await b.command('b2', 'EXPUNGE');
    await settle();
    const noop = await a.command('a1', 'NOOP');
    assert.deepEqual(
      noop.untagged.filter((line) => /VANISHED|EXPUNGE/.test(line)),
      ['* VANISHED 1,3'],
    );
    await a.expect('a2', `UID FETCH 1:* FLAGS (CHANGEDSINCE ${modseq} VANISHED)`, [
      /^\* VANISHED \(EARLIER\) 1,3$/,
      /^a2 OK/,
    ]);
    await a.expect('a3', `FETCH 1:* FLAGS (CHANGEDSINCE ${modseq} VANISHED)`, [/^a3 BAD /]);
  });
});

test('QRESYNC in SELECT without ENABLE QRESYNC is BAD', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.expect('q1', 'SELECT INBOX (QRESYNC (1 1))', [/^q1 BAD /]);
  } finally {
    await server.close();
  }
});

test('UTF8=ACCEPT: mailbox names in UTF-8, UTF8 APPEND, and no SEARCH CHARSET (RFC 6855)', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.expect('u0', 'APPEND INBOX UTF8 (~{5+}\r\nHello)', [/^u0 BAD /]);
    await client.expect('u1', 'ENABLE UTF8=ACCEPT', [/^\* ENABLED UTF8=ACCEPT$/, /^u1 OK/]);
    await client.expect('u2', 'CREATE "Пошта"', [/^u2 OK/]);
    await client.expect('u3', 'LIST "" "П*"', [/^\* LIST \(\\HasNoChildren\) "\/" "Пошта"$/, /^u3 OK/]);
    const message = 'Subject: Привіт\r\n\r\nТіло\r\n';
    const size = Buffer.byteLength(message);
    client.write(`u4 APPEND "Пошта" UTF8 (~{${size}+}\r\n${message})\r\n`);
    assert.match((await client.until('u4')).tagged, /^u4 OK \[APPENDUID \d+ 1\]/);
    await client.command('u5', 'SELECT "Пошта"');
    await client.expect('u6', 'FETCH 1 ENVELOPE', [
      /^\* 1 FETCH \(ENVELOPE \(NIL "Привіт" NIL NIL NIL NIL NIL NIL NIL NIL\)\)$/,
      /^u6 OK/,
    ]);
    await client.expect('u7', 'SEARCH CHARSET UTF-8 ALL', [/^u7 BAD /]);
    await client.expect('u8', 'SEARCH SUBJECT "Привіт"', [/^\* SEARCH 1$/, /^u8 OK/]);
  } finally {
    await server.close();
  }
});

test('when the store lost the change history, sessions still learn of expunges and QRESYNC reports every missing UID', async () => {
  await twoSessions(5, async (a, b, server) => {
    const selected = await a.command('e0', 'SELECT INBOX');
    const uidValidity = /UIDVALIDITY (\d+)/.exec(selected.untagged.join('\n'))?.[1];
    server.backend.changesSince = async () => null;
    await b.command('b1', 'STORE 2,4 +FLAGS.SILENT (\\Deleted)');
    await b.command('b2', 'EXPUNGE');
    await settle();
    await a.expect('a1', 'FETCH 1 FLAGS', [/^\* 1 FETCH \(FLAGS \(\)\)$/, /^a1 OK/]);
    // then every flag, since any may have changed while nothing recorded it
    await a.expect('a2', 'NOOP', [
      /^\* 2 EXPUNGE$/,
      /^\* 3 EXPUNGE$/,
      /^\* 1 FETCH \(UID 1 FLAGS \(\)\)$/,
      /^\* 2 FETCH \(UID 3 FLAGS \(\)\)$/,
      /^\* 3 FETCH \(UID 5 FLAGS \(\)\)$/,
      /^a2 OK/,
    ]);
    await a.command('a3', 'UNSELECT');
    await a.command('a4', 'ENABLE QRESYNC');
    const resync = await a.command('a5', `SELECT INBOX (QRESYNC (${uidValidity} 2))`);
    assert.ok(resync.untagged.includes('* VANISHED (EARLIER) 2,4'), resync.untagged.join('\n'));
  });
});

test('UIDs and MODSEQs strictly increase when several sessions append and store at once', async () => {
  const server = await startTestServer();
  try {
    const clients = await Promise.all([server.login(), server.login(), server.login(), server.login()]);
    const message = sampleMessage('concurrent');
    const results = await Promise.all(
      clients.map(async (client, index) => {
        const uids: number[] = [];
        for (let round = 0; round < 5; round++) {
          client.write(`c${index}r${round} APPEND INBOX {${Buffer.byteLength(message)}+}\r\n${message}\r\n`);
          const { tagged } = await client.until(`c${index}r${round}`);
          uids.push(Number(/APPENDUID \d+ (\d+)/.exec(tagged)?.[1]));
        }
        return uids;
      }),
    );
    const all = results.flat().sort((a, b) => a - b);
    assert.deepEqual(
      all,
      Array.from({ length: 20 }, (_, index) => index + 1),
      'every UID once, none reused',
    );
    for (const uids of results)
      assert.deepEqual(
        uids,
        [...uids].sort((a, b) => a - b),
        'each session sees increasing UIDs',
      );
    const [first] = clients;
    assert.ok(first);
    await first.command('s1', 'SELECT INBOX');
    const fetched = await first.command('f1', 'FETCH 1:* (UID MODSEQ)');
    const modseqs = fetched.untagged.map((line) => Number(/MODSEQ \((\d+)\)/.exec(line)?.[1]));
    assert.equal(new Set(modseqs).size, 20, 'every append got its own modseq');
    assert.deepEqual(
      modseqs,
      [...modseqs].sort((a, b) => a - b),
      'modseq grows with the UID',
    );
  } finally {
    await server.close();
  }
});

test('a selected mailbox deleted by another session ends that session with BYE and a reason', async () => {
  const server = await startTestServer();
  try {
    const a = await server.login();
    const b = await server.login();
    await a.command('c1', 'CREATE Doomed');
    for (const subject of ['one', 'two'])
      await server.backend.deliver(ALICE.username, 'Doomed', sampleMessage(subject));
    await a.command('s1', 'SELECT Doomed');
    await b.expect('d1', 'DELETE Doomed', [/^d1 OK/]);
    a.send('n1 NOOP');
    await a.closedByServer();
    assert.ok(
      a.received.some((line) => /^\* BYE The selected mailbox was deleted by another session$/.test(line)),
      a.received.join('\n'),
    );
    // the other session goes on
    await b.expect('n2', 'NOOP', [/^n2 OK/]);
  } finally {
    await server.close();
  }
});
