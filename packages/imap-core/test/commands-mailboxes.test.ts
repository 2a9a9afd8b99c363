// Mailbox commands: CREATE (with SPECIAL-USE), DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST
// (basic and LIST-EXTENDED, LIST-STATUS), LSUB, STATUS, NAMESPACE, QUOTA, ID, ENABLE, CAPABILITY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, sampleMessage, ALICE } from './support/test-server.js';

test('CAPABILITY lists every extension we implement (and only those)', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    const [line] = await client.expect('a1', 'CAPABILITY', [/^\* CAPABILITY /, /^a1 OK/]);
    const capabilities = (line ?? '').split(' ').slice(2);
    for (const name of [
      'IMAP4rev1',
      'LITERAL+',
      'SASL-IR',
      'ID',
      'ENABLE',
      'IDLE',
      'NAMESPACE',
      'UNSELECT',
      'UIDPLUS',
      'MOVE',
      'CONDSTORE',
      'QRESYNC',
      'SPECIAL-USE',
      'CREATE-SPECIAL-USE',
      'CHILDREN',
      'ESEARCH',
      'SEARCHRES',
      'WITHIN',
      'SORT',
      'SORT=DISPLAY',
      'ESORT',
      'THREAD=ORDEREDSUBJECT',
      'THREAD=REFERENCES',
      'LIST-EXTENDED',
      'LIST-STATUS',
      'STATUS=SIZE',
      'OBJECTID',
      'SAVEDATE',
      'QUOTA',
      'QUOTA=RES-STORAGE',
      'MULTIAPPEND',
      'UTF8=ACCEPT',
      'APPENDLIMIT=52428800',
      // the memory backend reports mailbox events (watchMailboxes)
      'NOTIFY',
    ]) {
      assert.ok(capabilities.includes(name), `missing ${name}`);
    }
    assert.ok(!capabilities.includes('AUTH=PLAIN'), 'no AUTH= after login');
    assert.ok(!capabilities.some((name) => /^QUOTASET/.test(name)));
  } finally {
    await server.close();
  }
});

test('LIST "" "" answers the hierarchy delimiter (RFC 3501 6.3.8 example)', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.expect('A101', 'LIST "" ""', [
      /^\* LIST \(\\Noselect\) "\/" ""$/,
      /^A101 OK LIST completed$/,
    ]);
  } finally {
    await server.close();
  }
});

test('LIST with * and % wildcards, references and special-use attributes', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.expect('c1', 'CREATE Work/Projects/Alpha', [/^c1 OK/]);
    const all = await client.expect('l1', 'LIST "" *', [
      /INBOX/,
      /Archive/,
      /Drafts/,
      /Junk/,
      /Sent Mail/,
      /Trash/,
      /"Work"$/,
      /Work\/Projects"$/,
      /Alpha/,
      /^l1 OK/,
    ]);
    assert.match(all[2] ?? '', /^\* LIST \(\\HasNoChildren \\Drafts\) "\/" "Drafts"$/);
    assert.match(all[6] ?? '', /^\* LIST \(\\HasChildren\) "\/" "Work"$/);
    await client.expect('l2', 'LIST "" %', [
      /INBOX/,
      /Archive/,
      /Drafts/,
      /Junk/,
      /Sent Mail/,
      /Trash/,
      /"Work"$/,
      /^l2 OK/,
    ]);
    await client.expect('l3', 'LIST Work/ %', [
      /^\* LIST \(\\HasChildren\) "\/" "Work\/Projects"$/,
      /^l3 OK/,
    ]);
    await client.expect('l4', 'LIST "" inbox', [/^\* LIST \(\\HasNoChildren\) "\/" "INBOX"$/, /^l4 OK/]);
    await client.expect('l5', 'LIST "" Nothing*', [/^l5 OK/]);
  } finally {
    await server.close();
  }
});

test('LIST-EXTENDED: SUBSCRIBED selection, RECURSIVEMATCH with CHILDINFO, RETURN (SUBSCRIBED CHILDREN)', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.command('c1', 'CREATE Lists/Ietf');
    await client.command('c2', 'SUBSCRIBE Lists/Ietf');
    await client.command('c3', 'UNSUBSCRIBE Junk');
    const subscribed = await client.command('l1', 'LIST (SUBSCRIBED) "" "*"');
    assert.ok(subscribed.untagged.every((line) => /\\Subscribed/.test(line)));
    assert.ok(subscribed.untagged.some((line) => /"Lists\/Ietf"$/.test(line)));
    assert.ok(!subscribed.untagged.some((line) => /Junk/.test(line)));
    assert.ok(!subscribed.untagged.some((line) => /"Lists"$/.test(line)));
    await client.expect('l2', 'LIST (SUBSCRIBED RECURSIVEMATCH) "" "Lists"', [
      /^\* LIST \(\\HasChildren\) "\/" "Lists" \("CHILDINFO" \("SUBSCRIBED"\)\)$/,
      /^l2 OK/,
    ]);
    await client.expect('l3', 'LIST "" "J*" RETURN (SUBSCRIBED CHILDREN)', [
      /^\* LIST \(\\HasNoChildren \\Junk\) "\/" "Junk"$/,
      /^l3 OK/,
    ]);
    await client.expect('l4', 'LIST "" ("INBOX" "Trash") RETURN (SUBSCRIBED)', [
      /^\* LIST \(\\HasNoChildren \\Subscribed\) "\/" "INBOX"$/,
      /^\* LIST \(\\HasNoChildren \\Subscribed \\Trash\) "\/" "Trash"$/,
      /^l4 OK/,
    ]);
    await client.expect('l5', 'LIST (RECURSIVEMATCH) "" "*"', [/^l5 BAD/]);
  } finally {
    await server.close();
  }
});

test('LIST (SPECIAL-USE) and RETURN (SPECIAL-USE) (RFC 6154 examples)', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    const response = await client.command('t1', 'LIST (SPECIAL-USE) "" "*"');
    assert.deepEqual(response.untagged, [
      '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
      '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
      '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
      '* LIST (\\HasNoChildren \\Sent) "/" "Sent Mail"',
      '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
    ]);
    await client.expect('t2', 'LIST "" "Sent*" RETURN (SPECIAL-USE)', [
      /^\* LIST \(\\HasNoChildren \\Sent\) "\/" "Sent Mail"$/,
      /^t2 OK/,
    ]);
  } finally {
    await server.close();
  }
});

test('LIST RETURN (STATUS (MESSAGES UNSEEN)) sends STATUS after each LIST (RFC 5819)', async () => {
  const server = await startTestServer();
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage());
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage(), { flags: ['\\Seen'] });
    const client = await server.login();
    await client.expect('A01', 'LIST "" ("INBOX" "Drafts") RETURN (STATUS (MESSAGES UNSEEN))', [
      /^\* LIST \(\\HasNoChildren\) "\/" "INBOX"$/,
      /^\* STATUS "INBOX" \(MESSAGES 2 UNSEEN 1\)$/,
      /^\* LIST \(\\HasNoChildren \\Drafts\) "\/" "Drafts"$/,
      /^\* STATUS "Drafts" \(MESSAGES 0 UNSEEN 0\)$/,
      /^A01 OK/,
    ]);
  } finally {
    await server.close();
  }
});

test('CREATE: new mailbox, parents, trailing delimiter, duplicates, INBOX, and USE (CREATE-SPECIAL-USE)', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.expect('c1', 'CREATE owatagusiam/', [
      /^c1 OK \[MAILBOXID \(mailbox-\d+\)\] CREATE completed$/,
    ]);
    await client.expect('c2', 'CREATE owatagusiam/blurdybloop', [/^c2 OK/]);
    await client.expect('c3', 'CREATE owatagusiam', [/^c3 NO \[ALREADYEXISTS\] /]);
    await client.expect('c4', 'CREATE inbox', [/^c4 NO \[ALREADYEXISTS\] /]);
    await client.expect('c5', 'CREATE "a//b"', [/^c5 BAD /]);
    await client.expect('c6', 'CREATE MyDrafts (USE (\\Drafts))', [/^c6 OK/]);
    await client.expect('c7', 'LIST "" MyDrafts', [
      /^\* LIST \(\\HasNoChildren \\Drafts\) "\/" "MyDrafts"$/,
      /^c7 OK/,
    ]);
    await client.expect('c8', 'CREATE Everything (USE (\\All))', [/^c8 NO \[USEATTR\] /]);
    await client.expect('c9', 'CREATE Deep/Down/There', [/^c9 OK/]);
    await client.expect('c10', 'LIST "" Deep*', [
      /"Deep"$/,
      /"Deep\/Down"$/,
      /"Deep\/Down\/There"$/,
      /^c10 OK/,
    ]);
  } finally {
    await server.close();
  }
});

test('non-ASCII mailbox names travel as modified UTF-7 (RFC 3501 5.1.3)', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.expect('u1', 'CREATE "~peter/mail/&U,BTFw-/&ZeVnLIqe-"', [/^u1 OK/]);
    await client.expect('u2', 'LIST "" "~peter/mail/*"', [
      /"~peter\/mail\/&U,BTFw-"$/,
      /"~peter\/mail\/&U,BTFw-\/&ZeVnLIqe-"$/,
      /^u2 OK/,
    ]);
    const mailboxes = await server.backend.listMailboxes(server.backend.requireUser(ALICE.username));
    assert.ok(mailboxes.some((mailbox) => mailbox.path === '~peter/mail/台北/日本語'));
  } finally {
    await server.close();
  }
});

test('DELETE: removes a mailbox; INBOX, missing mailboxes and parents with children are refused', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.command('c1', 'CREATE blurdybloop');
    await client.command('c2', 'CREATE foo/bar');
    await client.expect('A683', 'DELETE blurdybloop', [/^A683 OK DELETE completed$/]);
    await client.expect('A684', 'DELETE foo', [/^A684 NO \[CANNOT\] /]);
    await client.expect('A685', 'DELETE foo/bar', [/^A685 OK/]);
    await client.expect('A686', 'DELETE nothing', [/^A686 NO \[NONEXISTENT\] /]);
    await client.expect('A687', 'DELETE INBOX', [/^A687 NO \[CANNOT\] /]);
    await client.expect('A688', 'LIST "" blurdybloop', [/^A688 OK/]);
  } finally {
    await server.close();
  }
});

test('RENAME: children follow their parent; RFC 3501 6.3.5 example', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.command('c1', 'CREATE foo/bar');
    await client.command('c2', 'CREATE foo/baz');
    await client.expect('A682', 'LIST "" *', [
      /INBOX/,
      /Archive/,
      /Drafts/,
      /Junk/,
      /Sent/,
      /Trash/,
      /"foo"$/,
      /"foo\/bar"$/,
      /"foo\/baz"$/,
      /^A682 OK/,
    ]);
    await client.expect('A683', 'RENAME foo zowie', [/^A683 OK RENAME completed$/]);
    await client.expect('A684', 'LIST "" zowie*', [/"zowie"$/, /"zowie\/bar"$/, /"zowie\/baz"$/, /^A684 OK/]);
    await client.expect('A685', 'LIST "" foo*', [/^A685 OK/]);
    await client.expect('A686', 'RENAME nothing other', [/^A686 NO \[NONEXISTENT\]/]);
    await client.expect('A687', 'RENAME zowie Trash', [/^A687 NO \[ALREADYEXISTS\]/]);
    await client.expect('A688', 'RENAME zowie a/b/c', [/^A688 OK/]);
    await client.expect('A689', 'LIST "" a*', [
      /"a"$/,
      /"a\/b"$/,
      /"a\/b\/c"$/,
      /"a\/b\/c\/bar"$/,
      /"a\/b\/c\/baz"$/,
      /^A689 OK/,
    ]);
  } finally {
    await server.close();
  }
});

test('RENAME INBOX moves its messages to the new mailbox and leaves INBOX empty', async () => {
  const server = await startTestServer();
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('one'));
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('two'));
    const client = await server.login();
    await client.expect('r1', 'RENAME INBOX "Old Mail"', [/^r1 OK/]);
    await client.expect('r2', 'STATUS INBOX (MESSAGES)', [/^\* STATUS "INBOX" \(MESSAGES 0\)$/, /^r2 OK/]);
    await client.expect('r3', 'STATUS "Old Mail" (MESSAGES)', [
      /^\* STATUS "Old Mail" \(MESSAGES 2\)$/,
      /^r3 OK/,
    ]);
  } finally {
    await server.close();
  }
});

test('SUBSCRIBE, UNSUBSCRIBE and LSUB (RFC 3501 6.3.6-6.3.9)', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.command('c1', 'CREATE #news/comp/mail/misc');
    await client.expect('A002', 'SUBSCRIBE #news/comp/mail/misc', [/^A002 OK SUBSCRIBE completed$/]);
    await client.expect('A003', 'LSUB "#news/" "comp/mail/*"', [
      /^\* LSUB \(\) "\/" "#news\/comp\/mail\/misc"$/,
      /^A003 OK/,
    ]);
    await client.expect('A004', 'UNSUBSCRIBE #news/comp/mail/misc', [/^A004 OK UNSUBSCRIBE completed$/]);
    await client.expect('A005', 'LSUB "#news/" "comp/mail/*"', [/^A005 OK/]);
    await client.expect('A006', 'SUBSCRIBE nothing', [/^A006 NO \[NONEXISTENT\]/]);
    await client.expect('A007', 'UNSUBSCRIBE nothing', [/^A007 OK/]);
    await client.expect('A008', 'LSUB "" T*', [/^\* LSUB \(\\Trash\) "\/" "Trash"$/, /^A008 OK/]);
  } finally {
    await server.close();
  }
});

test('STATUS answers each item; RECENT is always 0; unknown mailbox is NONEXISTENT', async () => {
  const server = await startTestServer();
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage());
    const client = await server.login();
    await client.expect(
      'A042',
      'STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ APPENDLIMIT)',
      [
        /^\* STATUS "INBOX" \(MESSAGES 1 RECENT 0 UIDNEXT 2 UIDVALIDITY \d+ UNSEEN 1 HIGHESTMODSEQ \d+ APPENDLIMIT 52428800\)$/,
        /^A042 OK STATUS completed$/,
      ],
    );
    await client.expect('A043', 'STATUS nothing (MESSAGES)', [/^A043 NO \[NONEXISTENT\]/]);
    await client.expect('A044', 'STATUS INBOX (SIZE MAILBOXID)', [
      /^\* STATUS "INBOX" \(SIZE \d+ MAILBOXID \(mailbox-\d+\)\)$/,
      /^A044 OK/,
    ]);
    // RFC 9051 6.3.11: the number of messages with \\Deleted
    await client.expect('A045', 'STATUS INBOX (DELETED)', [/^\* STATUS "INBOX" \(DELETED 0\)$/, /^A045 OK/]);
  } finally {
    await server.close();
  }
});

test('NAMESPACE: one personal namespace (RFC 2342)', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.expect('A001', 'NAMESPACE', [/^\* NAMESPACE \(\("" "\/"\)\) NIL NIL$/, /^A001 OK/]);
  } finally {
    await server.close();
  }
});

test('QUOTA: GETQUOTAROOT and GETQUOTA report STORAGE in KiB; SETQUOTA is refused (RFC 9208)', async () => {
  const server = await startTestServer();
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', 'Subject: x\r\n\r\n' + 'a'.repeat(4000));
    const client = await server.login();
    await client.expect('G0001', 'GETQUOTAROOT INBOX', [
      /^\* QUOTAROOT "INBOX" ""$/,
      /^\* QUOTA "" \(STORAGE 4 102400\)$/,
      /^G0001 OK/,
    ]);
    await client.expect('G0002', 'GETQUOTA ""', [/^\* QUOTA "" \(STORAGE 4 102400\)$/, /^G0002 OK/]);
    await client.expect('G0003', 'GETQUOTA "other"', [/^G0003 NO \[NONEXISTENT\]/]);
    await client.expect('G0004', 'GETQUOTAROOT nothing', [/^G0004 NO \[NONEXISTENT\]/]);
    await client.expect('S0000', 'SETQUOTA "" (STORAGE 512)', [/^S0000 NO \[NOPERM\]/]);
  } finally {
    await server.close();
  }
});

test('ID answers the server fields in any state (RFC 2971)', async () => {
  const server = await startTestServer({ id: { name: 'WildDuck', version: '1.0' } });
  try {
    const client = await server.connect();
    await client.expect('a023', 'ID ("name" "sodr" "version" "19.34")', [
      /^\* ID \("name" "WildDuck" "version" "1.0"\)$/,
      /^a023 OK/,
    ]);
    await client.expect('a024', 'ID NIL', [/^\* ID /, /^a024 OK/]);
  } finally {
    await server.close();
  }
});

test('ENABLE lists only what it newly enabled and ignores unknown names (RFC 5161)', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.expect('t1', 'ENABLE CONDSTORE X-GOOD-IDEA', [/^\* ENABLED CONDSTORE$/, /^t1 OK/]);
    await client.expect('t2', 'ENABLE CONDSTORE QRESYNC', [/^\* ENABLED QRESYNC$/, /^t2 OK/]);
    await client.expect('t3', 'ENABLE QRESYNC', [/^\* ENABLED$/, /^t3 OK/]);
  } finally {
    await server.close();
  }
});

test('users only see their own mailboxes', async () => {
  const server = await startTestServer();
  try {
    const alice = await server.login();
    await alice.expect('c1', 'CREATE Secret', [/^c1 OK/]);
    const bob = await server.login({ username: 'bob@example.com', password: 'secret-bob' });
    await bob.expect('l1', 'LIST "" Secret', [/^l1 OK/]);
    await bob.expect('l2', 'SELECT Secret', [/^l2 NO \[NONEXISTENT\]/]);
    await bob.expect('l3', 'STATUS Secret (MESSAGES)', [/^l3 NO \[NONEXISTENT\]/]);
  } finally {
    await server.close();
  }
});

test('any case of INBOX names INBOX', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    await client.expect('i1', 'SELECT inbox', [
      /FLAGS/,
      /EXISTS/,
      /RECENT/,
      /PERMANENTFLAGS/,
      /UIDVALIDITY/,
      /UIDNEXT/,
      /HIGHESTMODSEQ/,
      /MAILBOXID/,
      /^i1 OK/,
    ]);
    await client.expect('i2', 'STATUS InBoX (MESSAGES)', [/^\* STATUS "INBOX" \(MESSAGES 0\)$/, /^i2 OK/]);
  } finally {
    await server.close();
  }
});
