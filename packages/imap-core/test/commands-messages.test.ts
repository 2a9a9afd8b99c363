// Message commands: SELECT/EXAMINE, APPEND (MULTIAPPEND, APPENDUID, APPENDLIMIT, LITERAL+),
// FETCH, STORE, SEARCH (ESEARCH), COPY (COPYUID), MOVE, EXPUNGE, UID EXPUNGE, CLOSE, UNSELECT,
// CHECK, using the RFCs' own examples where they give them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, sampleMessage, startTestServer, type TestServer } from './support/test-server.js';
import type { Transcript } from './support/transcript.js';

const RFC3501_MESSAGE = [
  'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)',
  'From: Fred Foobar <foobar@Blurdybloop.example.COM>',
  'Subject: afternoon meeting',
  'To: mooch@owatagu.example.net',
  'Message-Id: <B27397-0100000@Blurdybloop.example.COM>',
  'MIME-Version: 1.0',
  'Content-Type: TEXT/PLAIN; CHARSET=US-ASCII',
  '',
  'Hello Joe, do you think we can meet at 3:30 tomorrow?',
  '',
].join('\r\n');

const MULTIPART = [
  'From: Sender <sender@example.org>',
  'To: Alice <alice@example.com>',
  'Subject: With attachment',
  'Date: Tue, 8 Feb 1994 10:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="XYZ"',
  '',
  'preamble',
  '--XYZ',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'The text part',
  '--XYZ',
  'Content-Type: application/octet-stream; name="a.bin"',
  'Content-Disposition: attachment; filename="a.bin"',
  'Content-Transfer-Encoding: base64',
  '',
  'AAECAw==',
  '--XYZ--',
  '',
].join('\r\n');

/** Sends `tag APPEND mailbox flags {n}`, waits for `+`, then the message. */
async function appendMessage(
  client: Transcript,
  tag: string,
  mailbox: string,
  message: string,
  flags = '',
): Promise<{ untagged: string[]; tagged: string }> {
  client.send(`${tag} APPEND ${mailbox} ${flags}{${Buffer.byteLength(message)}}`);
  assert.match(await client.readLine(), /^\+ /);
  client.write(message + '\r\n');
  return client.until(tag);
}

async function withMailbox(
  count: number,
  run: (client: Transcript, server: TestServer) => Promise<void>,
): Promise<void> {
  const server = await startTestServer();
  try {
    for (let index = 1; index <= count; index++) {
      await server.backend.deliver(
        ALICE.username,
        'INBOX',
        sampleMessage(`Message ${index}`, `Body number ${index}\r\n`),
      );
    }
    const client = await server.login();
    await client.command('s0', 'SELECT INBOX');
    await run(client, server);
  } finally {
    await server.close();
  }
}

test('SELECT answers FLAGS, EXISTS, RECENT 0, PERMANENTFLAGS, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, READ-WRITE', async () => {
  await withMailbox(3, async (client) => {
    await client.expect('A142', 'SELECT INBOX', [
      /^\* FLAGS \(\\Answered \\Flagged \\Deleted \\Seen \\Draft\)$/,
      /^\* 3 EXISTS$/,
      /^\* 0 RECENT$/,
      /^\* OK \[UNSEEN 1\] /,
      /^\* OK \[PERMANENTFLAGS \(\\Answered \\Flagged \\Deleted \\Seen \\Draft \\\*\)\] /,
      /^\* OK \[UIDVALIDITY \d+\] /,
      /^\* OK \[UIDNEXT 4\] /,
      /^\* OK \[HIGHESTMODSEQ \d+\] /,
      /^\* OK \[MAILBOXID \(mailbox-\d+\)\] /,
      /^A142 OK \[READ-WRITE\] SELECT completed$/,
    ]);
    await client.expect('A143', 'SELECT nothing', [/^A143 NO \[NONEXISTENT\]/]);
    await client.expect('A144', 'FETCH 1 FLAGS', [/^A144 BAD .*without a selected mailbox/]);
  });
});

test('EXAMINE is read-only: empty PERMANENTFLAGS, STORE/EXPUNGE refused, BODY[] does not set \\Seen', async () => {
  await withMailbox(1, async (client) => {
    await client.expect('A932', 'EXAMINE INBOX', [
      /FLAGS/,
      /EXISTS/,
      /RECENT/,
      /^\* OK \[UNSEEN 1\] /,
      /^\* OK \[PERMANENTFLAGS \(\)\]/,
      /UIDVALIDITY/,
      /UIDNEXT/,
      /HIGHESTMODSEQ/,
      /MAILBOXID/,
      /^A932 OK \[READ-ONLY\] EXAMINE completed$/,
    ]);
    await client.expect('e1', 'STORE 1 +FLAGS (\\Seen)', [/^e1 NO \[READ-ONLY\]/]);
    await client.expect('e2', 'EXPUNGE', [/^e2 NO \[READ-ONLY\]/]);
    const [fetched] = await client.expect('e3', 'FETCH 1 BODY[TEXT]', [
      /^\* 1 FETCH \(BODY\[TEXT\] \{15\}/,
      /^e3 OK/,
    ]);
    assert.doesNotMatch(fetched ?? '', /FLAGS/);
    await client.expect('e4', 'FETCH 1 FLAGS', [/^\* 1 FETCH \(FLAGS \(\)\)$/, /^e4 OK/]);
  });
});

test('APPEND (RFC 3501 6.3.11 example) answers APPENDUID (RFC 4315) and the message reads back byte for byte', async () => {
  await withMailbox(0, async (client) => {
    const { untagged, tagged } = await appendMessage(client, 'A003', 'INBOX', RFC3501_MESSAGE, '(\\Seen) ');
    assert.match(tagged, /^A003 OK \[APPENDUID \d+ 1\] APPEND completed$/);
    assert.deepEqual(untagged, ['* 1 EXISTS']);
    await client.expect('n1', 'NOOP', [/^n1 OK/]);
    const [line] = await client.expect('f1', 'FETCH 1 (FLAGS BODY.PEEK[])', [
      /^\* 1 FETCH \(FLAGS \(\\Seen\) BODY\[\] \{\d+\}/,
      /^f1 OK/,
    ]);
    assert.ok(line?.includes(RFC3501_MESSAGE));
  });
});

test('APPEND with a date-time, to a missing mailbox (TRYCREATE), over APPENDLIMIT (TOOBIG), and with LITERAL+', async () => {
  const server = await startTestServer({ appendLimit: 2000 });
  try {
    const client = await server.login();
    const message = sampleMessage();
    client.send(`a1 APPEND Drafts (\\Draft) "05-Oct-2023 14:30:00 +0200" {${message.length}}`);
    await client.readLine();
    client.write(message + '\r\n');
    assert.match((await client.until('a1')).tagged, /^a1 OK \[APPENDUID/);
    await client.command('a2', 'EXAMINE Drafts');
    await client.expect('a3', 'FETCH 1 (FLAGS INTERNALDATE)', [
      /^\* 1 FETCH \(FLAGS \(\\Draft\) INTERNALDATE "05-Oct-2023 12:30:00 \+0000"\)$/,
      /^a3 OK/,
    ]);
    assert.match((await appendMessage(client, 'a4', 'Nowhere', message)).tagged, /^a4 NO \[TRYCREATE\]/);
    client.send('a5 APPEND INBOX {3000}');
    assert.match(await client.readLine(), /^a5 NO \[TOOBIG\]/);
    client.write(`a6 APPEND INBOX {${message.length}+}\r\n${message}\r\n`);
    assert.match((await client.until('a6')).tagged, /^a6 OK \[APPENDUID \d+ 1\]/);
  } finally {
    await server.close();
  }
});

test('MULTIAPPEND adds several messages at once and answers an APPENDUID set (RFC 3502, RFC 4315)', async () => {
  await withMailbox(0, async (client) => {
    const first = sampleMessage('first');
    const second = sampleMessage('second');
    client.send(`m1 APPEND INBOX (\\Seen) {${first.length}}`);
    await client.readLine();
    client.write(`${first} (\\Flagged) {${second.length}}\r\n`);
    await client.readLine();
    client.write(second + '\r\n');
    const { untagged, tagged } = await client.until('m1');
    assert.match(tagged, /^m1 OK \[APPENDUID \d+ 1:2\]/);
    assert.deepEqual(
      untagged.filter((line) => !line.startsWith('+')),
      ['* 2 EXISTS'],
    );
    await client.expect('m2', 'FETCH 1:2 FLAGS', [
      /^\* 1 FETCH \(FLAGS \(\\Seen\)\)$/,
      /^\* 2 FETCH \(FLAGS \(\\Flagged\)\)$/,
      /^m2 OK/,
    ]);
  });
});

test('FETCH of headers, sizes, dates, envelope and structure (RFC 3501 6.4.5)', async () => {
  await withMailbox(4, async (client) => {
    const response = await client.command('A654', 'FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])');
    assert.equal(response.untagged.length, 3);
    assert.match(
      response.untagged[0] ?? '',
      /^\* 2 FETCH \(FLAGS \(\\Seen\) BODY\[HEADER.FIELDS \(DATE FROM\)\] \{\d+\}\r\nFrom: Sender <sender@example.org>\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\n\r\n\)$/,
    );
    assert.match(response.tagged, /^A654 OK FETCH completed$/);
    await client.expect('f2', 'FETCH 1 (UID RFC822.SIZE INTERNALDATE)', [
      /^\* 1 FETCH \(UID 1 RFC822.SIZE \d+ INTERNALDATE "\d{2}-\w{3}-\d{4} \d{2}:\d{2}:\d{2} \+0000"\)$/,
      /^f2 OK/,
    ]);
    await client.expect('f3', 'FETCH 1 ENVELOPE', [
      /^\* 1 FETCH \(ENVELOPE \("Mon, 7 Feb 1994 21:52:25 -0800" "Message 1" \(\("Sender" NIL "sender" "example.org"\)\) \(\("Sender" NIL "sender" "example.org"\)\) \(\("Sender" NIL "sender" "example.org"\)\) \(\("Alice" NIL "alice" "example.com"\)\) NIL NIL NIL "<B27397-0100000@example.org>"\)\)$/,
      /^f3 OK/,
    ]);
    await client.expect('f4', 'FETCH 1 (BODY BODYSTRUCTURE)', [
      /^\* 1 FETCH \(BODY \("TEXT" "PLAIN" \("CHARSET" "us-ascii"\) NIL NIL "7BIT" 15 1\) BODYSTRUCTURE \("TEXT" "PLAIN" \("CHARSET" "us-ascii"\) NIL NIL "7BIT" 15 1 NIL NIL NIL NIL\)\)$/,
      /^f4 OK/,
    ]);
    await client.expect('f5', 'FETCH 1 FAST', [
      /^\* 1 FETCH \(FLAGS \(\) INTERNALDATE "[^"]+" RFC822.SIZE \d+\)$/,
      /^f5 OK/,
    ]);
    await client.expect('f6', 'UID FETCH 3 FLAGS', [/^\* 3 FETCH \(UID 3 FLAGS \(\\Seen\)\)$/, /^f6 OK/]);
    await client.expect('f7', 'FETCH 9 FLAGS', [/^f7 OK/]);
  });
});

test('FETCH of body parts, partial ranges, MIME headers and the multipart structure', async () => {
  const server = await startTestServer();
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', MULTIPART);
    const client = await server.login();
    await client.command('s1', 'SELECT INBOX');
    await client.expect('p1', 'FETCH 1 BODY.PEEK[1]', [
      /^\* 1 FETCH \(BODY\[1\] \{13\}\r\nThe text part\)$/,
      /^p1 OK/,
    ]);
    await client.expect('p2', 'FETCH 1 BODY.PEEK[2.MIME]', [
      /^\* 1 FETCH \(BODY\[2.MIME\] \{\d+\}\r\nContent-Type: application\/octet-stream; name="a.bin"\r\nContent-Disposition/,
      /^p2 OK/,
    ]);
    await client.expect('p3', 'FETCH 1 BODY.PEEK[1]<4.4>', [
      /^\* 1 FETCH \(BODY\[1\]<4> \{4\}\r\ntext\)$/,
      /^p3 OK/,
    ]);
    await client.expect('p4', 'FETCH 1 BODY.PEEK[]<0.4>', [
      /^\* 1 FETCH \(BODY\[\]<0> \{4\}\r\nFrom\)$/,
      /^p4 OK/,
    ]);
    await client.expect('p5', 'FETCH 1 BODYSTRUCTURE', [
      /^\* 1 FETCH \(BODYSTRUCTURE \(\("TEXT" "PLAIN" \("CHARSET" "utf-8"\) NIL NIL "7BIT" 13 0 NIL NIL NIL NIL\)\("APPLICATION" "OCTET-STREAM" \("NAME" "a.bin"\) NIL NIL "BASE64" 8 NIL \("ATTACHMENT" \("FILENAME" "a.bin"\)\) NIL NIL\) "MIXED" \("BOUNDARY" "XYZ"\) NIL NIL NIL\)\)$/,
      /^p5 OK/,
    ]);
    await client.expect('p6', 'FETCH 1 BODY.PEEK[9]', [/^\* 1 FETCH \(BODY\[9\] NIL\)$/, /^p6 OK/]);
    await client.expect('p7', 'FETCH 1 BINARY.PEEK[2]', [
      /^\* 1 FETCH \(BINARY\[2\] ~\{4\}\r\n\x00\x01\x02\x03\)$/,
      /^p7 OK/,
    ]);
  } finally {
    await server.close();
  }
});

test('FETCH BODY[] sets \\Seen and reports the new flags; BODY.PEEK does not', async () => {
  await withMailbox(2, async (client) => {
    await client.expect('f1', 'FETCH 1 BODY.PEEK[TEXT]', [
      /^\* 1 FETCH \(BODY\[TEXT\] \{15\}\r\nBody number 1\r\n\)$/,
      /^f1 OK/,
    ]);
    await client.expect('f2', 'FETCH 1 FLAGS', [/^\* 1 FETCH \(FLAGS \(\)\)$/, /^f2 OK/]);
    await client.expect('f3', 'FETCH 1 BODY[TEXT]', [
      /^\* 1 FETCH \(BODY\[TEXT\] \{15\}\r\nBody number 1\r\n FLAGS \(\\Seen\)\)$/,
      /^f3 OK/,
    ]);
    await client.expect('f4', 'FETCH 2 RFC822', [
      /^\* 2 FETCH \(RFC822 \{\d+\}[\s\S]*Body number 2\r\n FLAGS \(\\Seen\)\)$/,
      /^f4 OK/,
    ]);
  });
});

test('STORE adds, removes and replaces flags; .SILENT sends nothing (RFC 3501 6.4.6 example)', async () => {
  await withMailbox(4, async (client) => {
    await client.command('s1', 'STORE 2 FLAGS (\\Seen)');
    await client.expect('A003', 'STORE 2:4 +FLAGS (\\Deleted)', [
      /^\* 2 FETCH \(FLAGS \(\\Seen \\Deleted\)\)$/,
      /^\* 3 FETCH \(FLAGS \(\\Deleted\)\)$/,
      /^\* 4 FETCH \(FLAGS \(\\Deleted\)\)$/,
      /^A003 OK STORE completed$/,
    ]);
    await client.expect('s2', 'STORE 2 -FLAGS (\\Seen \\Deleted)', [/^\* 2 FETCH \(FLAGS \(\)\)$/, /^s2 OK/]);
    await client.expect('s3', 'STORE 1 FLAGS.SILENT ($Important \\Flagged)', [/^s3 OK/]);
    await client.expect('s4', 'UID STORE 1 +FLAGS (\\Answered)', [
      // RFC 3501 7.2.6: the new keyword is announced before the first FETCH showing it
      /^\* FLAGS \(\\Answered \\Flagged \\Deleted \\Seen \\Draft \$Important\)$/,
      /^\* OK \[PERMANENTFLAGS \(\\Answered \\Flagged \\Deleted \\Seen \\Draft \$Important \\\*\)\] /,
      /^\* 1 FETCH \(UID 1 FLAGS \(\$Important \\Flagged \\Answered\)\)$/,
      /^s4 OK/,
    ]);
    await client.expect('s5', 'STORE 1 +FLAGS (\\Recent)', [/^s5 BAD /]);
  });
});

test('SEARCH with the RFC 3501 6.4.4 example keys, and every key family', async () => {
  const server = await startTestServer();
  try {
    const deliver = (subject: string, from: string, date: string, flags: string[] = []) =>
      server.backend.deliver(ALICE.username, 'INBOX', sampleMessage(subject, `About ${subject}\r\n`, from), {
        flags,
        internalDate: new Date(date),
      });
    await deliver('one', 'Smith <smith@example.org>', '1994-01-20T10:00:00Z', ['\\Flagged']);
    await deliver('two', 'Jones <jones@example.org>', '1994-02-02T10:00:00Z', ['\\Flagged']);
    await deliver('three', 'Smith <smith@example.org>', '1994-02-03T10:00:00Z', ['\\Flagged']);
    await deliver('four', 'Brown <brown@example.org>', '1994-02-04T10:00:00Z', ['\\Flagged', '\\Seen']);
    await deliver('five', 'Brown <brown@example.org>', '1994-02-05T10:00:00Z', ['\\Seen', '$Work']);
    const client = await server.login();
    await client.command('s0', 'SELECT INBOX');
    await client.expect('A282', 'SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"', [
      /^\* SEARCH 2 4$/,
      /^A282 OK SEARCH completed$/,
    ]);
    await client.expect('A283', 'SEARCH TEXT "string not in mailbox"', [/^\* SEARCH$/, /^A283 OK/]);
    client.send('A284 SEARCH CHARSET UTF-8 SUBJECT {3}');
    assert.match(await client.readLine(), /^\+ /);
    client.write('two\r\n');
    assert.deepEqual((await client.until('A284')).untagged, ['* SEARCH 2']);
    await client.expect('k1', 'SEARCH OR SEEN FROM jones', [/^\* SEARCH 2 4 5$/, /^k1 OK/]);
    await client.expect('k2', 'SEARCH UNSEEN UNFLAGGED', [/^\* SEARCH$/, /^k2 OK/]);
    await client.expect('k3', 'SEARCH KEYWORD $Work', [/^\* SEARCH 5$/, /^k3 OK/]);
    await client.expect('k4', 'SEARCH BEFORE 3-Feb-1994', [/^\* SEARCH 1 2$/, /^k4 OK/]);
    await client.expect('k5', 'SEARCH ON 3-Feb-1994', [/^\* SEARCH 3$/, /^k5 OK/]);
    await client.expect('k6', 'SEARCH SENTON 7-Feb-1994', [/^\* SEARCH 1 2 3 4 5$/, /^k6 OK/]);
    await client.expect('k7', 'SEARCH 2:4 NOT 3', [/^\* SEARCH 2 4$/, /^k7 OK/]);
    await client.expect('k8', 'UID SEARCH UID 4:*', [/^\* SEARCH 4 5$/, /^k8 OK/]);
    await client.expect('k9', 'SEARCH HEADER Message-ID "B27397"', [/^\* SEARCH 1 2 3 4 5$/, /^k9 OK/]);
    await client.expect('k10', 'SEARCH BODY "About three"', [/^\* SEARCH 3$/, /^k10 OK/]);
    await client.expect('k11', 'SEARCH LARGER 10 SMALLER 100000', [/^\* SEARCH 1 2 3 4 5$/, /^k11 OK/]);
    await client.expect('k12', 'SEARCH RECENT', [/^\* SEARCH$/, /^k12 OK/]);
    await client.expect('k13', 'SEARCH NEW', [/^\* SEARCH$/, /^k13 OK/]);
    await client.expect('k14', 'SEARCH OLD (SEEN FLAGGED)', [/^\* SEARCH 4$/, /^k14 OK/]);
    await client.expect('k15', 'SEARCH CHARSET KOI8-R ALL', [/^k15 NO \[BADCHARSET \(US-ASCII UTF-8\)\]/]);
    // nothing saved yet (SEARCHRES): `$` is the empty set
    await client.expect('k16', 'SEARCH $', [/^\* SEARCH$/, /^k16 OK/]);
  } finally {
    await server.close();
  }
});

test('ESEARCH return options MIN, MAX, COUNT, ALL (RFC 4731 examples)', async () => {
  await withMailbox(5, async (client) => {
    await client.command('s1', 'STORE 2,3,5 +FLAGS (\\Flagged)');
    await client.expect('A282', 'SEARCH RETURN (MIN COUNT) FLAGGED', [
      /^\* ESEARCH \(TAG "A282"\) MIN 2 COUNT 3$/,
      /^A282 OK/,
    ]);
    await client.expect('A283', 'SEARCH RETURN () FLAGGED', [
      /^\* ESEARCH \(TAG "A283"\) ALL 2:3,5$/,
      /^A283 OK/,
    ]);
    await client.expect('A284', 'UID SEARCH RETURN (MIN MAX) FLAGGED', [
      /^\* ESEARCH \(TAG "A284"\) UID MIN 2 MAX 5$/,
      /^A284 OK/,
    ]);
    await client.expect('A285', 'SEARCH RETURN (ALL COUNT) DELETED', [
      /^\* ESEARCH \(TAG "A285"\) COUNT 0$/,
      /^A285 OK/,
    ]);
    // SAVE alone answers no ESEARCH (RFC 5182 2.4)
    await client.expect('A286', 'SEARCH RETURN (SAVE) ALL', [/^A286 OK/]);
  });
});

test('COPY answers COPYUID (RFC 4315 example shape) and keeps flags', async () => {
  await withMailbox(4, async (client) => {
    await client.command('c0', 'STORE 2 +FLAGS (\\Flagged)');
    await client.expect('A003', 'COPY 2:4 Trash', [/^A003 OK \[COPYUID \d+ 2:4 1:3\] COPY completed$/]);
    await client.expect('A004', 'COPY 1 Nowhere', [/^A004 NO \[TRYCREATE\] /]);
    await client.expect('A005', 'STATUS Trash (MESSAGES)', [
      /^\* STATUS "Trash" \(MESSAGES 3\)$/,
      /^A005 OK/,
    ]);
    await client.expect('A006', 'EXAMINE Trash', [
      /FLAGS/,
      /EXISTS/,
      /RECENT/,
      /UNSEEN 1/,
      /PERMANENTFLAGS/,
      /UIDVALIDITY/,
      /UIDNEXT/,
      /HIGHESTMODSEQ/,
      /MAILBOXID/,
      /^A006 OK/,
    ]);
    await client.expect('A007', 'FETCH 1 FLAGS', [/^\* 1 FETCH \(FLAGS \(\\Flagged\)\)$/, /^A007 OK/]);
    await client.expect('A008', 'COPY 1 INBOX', [/^A008 OK \[COPYUID \d+ 1 5\]/]);
  });
});

test('COPY into the selected mailbox announces the new messages with EXISTS', async () => {
  await withMailbox(2, async (client) => {
    await client.expect('c1', 'COPY 1:2 INBOX', [/^\* 4 EXISTS$/, /^c1 OK \[COPYUID \d+ 1:2 3:4\]/]);
  });
});

test('UID MOVE answers COPYUID in an untagged OK, then EXPUNGEs, then OK (RFC 6851 example)', async () => {
  await withMailbox(4, async (client) => {
    await client.expect('a', 'UID MOVE 2:3 Archive', [
      /^\* OK \[COPYUID \d+ 2:3 1:2\] Moved$/,
      /^\* 2 EXPUNGE$/,
      /^\* 2 EXPUNGE$/,
      /^a OK MOVE completed$/,
    ]);
    await client.expect('b', 'SEARCH ALL', [/^\* SEARCH 1 2$/, /^b OK/]);
    await client.expect('c', 'MOVE 1 Nowhere', [/^c NO \[TRYCREATE\]/]);
    await client.expect('d', 'STATUS Archive (MESSAGES)', [/^\* STATUS "Archive" \(MESSAGES 2\)$/, /^d OK/]);
  });
});

test('EXPUNGE sends one EXPUNGE per message, with sequence numbers shifting (RFC 3501 6.4.3 example)', async () => {
  await withMailbox(11, async (client) => {
    await client.command('s1', 'STORE 3,4,7,11 +FLAGS.SILENT (\\Deleted)');
    await client.expect('A202', 'EXPUNGE', [
      /^\* 3 EXPUNGE$/,
      /^\* 3 EXPUNGE$/,
      /^\* 5 EXPUNGE$/,
      /^\* 8 EXPUNGE$/,
      /^A202 OK EXPUNGE completed$/,
    ]);
    await client.expect('A203', 'UID SEARCH ALL', [/^\* SEARCH 1 2 5 6 8 9 10$/, /^A203 OK/]);
  });
});

test('UID EXPUNGE removes only the given \\Deleted messages (RFC 4315)', async () => {
  await withMailbox(4, async (client) => {
    await client.command('s1', 'STORE 1:4 +FLAGS.SILENT (\\Deleted)');
    await client.expect('A004', 'UID EXPUNGE 2:3', [/^\* 2 EXPUNGE$/, /^\* 2 EXPUNGE$/, /^A004 OK/]);
    await client.expect('A005', 'UID SEARCH DELETED', [/^\* SEARCH 1 4$/, /^A005 OK/]);
  });
});

test('CLOSE expunges silently, UNSELECT does not, CHECK succeeds', async () => {
  await withMailbox(3, async (client) => {
    await client.expect('k1', 'CHECK', [/^k1 OK CHECK completed$/]);
    await client.command('s1', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    await client.expect('u1', 'UNSELECT', [/^u1 OK UNSELECT completed$/]);
    await client.expect('u2', 'STATUS INBOX (MESSAGES)', [/MESSAGES 3/, /^u2 OK/]);
    await client.command('u3', 'SELECT INBOX');
    await client.expect('A341', 'CLOSE', [/^A341 OK CLOSE completed$/]);
    await client.expect('u4', 'STATUS INBOX (MESSAGES)', [/MESSAGES 2/, /^u4 OK/]);
    await client.expect('u5', 'FETCH 1 FLAGS', [/^u5 BAD /]);
  });
});
