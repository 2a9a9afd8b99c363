// SORT, UID SORT and ESORT (RFC 5256, RFC 5267, RFC 5957), THREAD and UID THREAD (RFC 5256),
// SEARCHRES (RFC 5182), WITHIN (RFC 5032) and ESEARCH with a MODSEQ key (RFC 4731 3.2, RFC 7162
// 3.1.5), over the memory backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, startTestServer, type TestServer } from './support/test-server.js';
import type { Transcript } from './support/transcript.js';

function message(fields: {
  subject: string;
  from: string;
  date: string;
  messageId: string;
  references?: string;
  cc?: string;
}): string {
  return [
    `From: ${fields.from}`,
    'To: Alice <alice@example.com>',
    ...(fields.cc ? [`Cc: ${fields.cc}`] : []),
    `Subject: ${fields.subject}`,
    `Date: ${fields.date}`,
    `Message-ID: ${fields.messageId}`,
    ...(fields.references ? [`References: ${fields.references}`] : []),
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `Body of ${fields.subject}`,
    '',
  ].join('\r\n');
}

/** Five messages: two threads by References and one by subject only. */
const MESSAGES = [
  message({
    subject: 'Lunch',
    from: 'Carol <carol@x.org>',
    date: 'Mon, 1 Jan 2024 10:00:00 +0000',
    messageId: '<1@x>',
  }),
  message({
    subject: 'Re: Lunch',
    from: 'Alice <alice@x.org>',
    date: 'Mon, 1 Jan 2024 11:00:00 +0000',
    messageId: '<2@x>',
    references: '<1@x>',
  }),
  message({
    subject: '=?UTF-8?Q?Zebra_crossing?=',
    from: 'Bob <bob@x.org>',
    date: 'Sun, 31 Dec 2023 09:00:00 +0000',
    messageId: '<3@x>',
    cc: 'dave@x.org',
  }),
  message({
    subject: 'Re: [list] Lunch',
    from: 'Bob <bob@x.org>',
    date: 'Mon, 1 Jan 2024 12:00:00 +0000',
    messageId: '<4@x>',
    references: '<1@x> <2@x>',
  }),
  message({
    subject: 'apple',
    from: 'eve@x.org',
    date: 'Tue, 2 Jan 2024 08:00:00 +0000',
    messageId: '<5@x>',
  }),
];

async function withMessages(run: (client: Transcript, server: TestServer) => Promise<void>): Promise<void> {
  const server = await startTestServer();
  try {
    for (const [index, raw] of MESSAGES.entries()) {
      // UID n+1 per message; arrival order is not date order
      await server.backend.deliver(ALICE.username, 'INBOX', raw, {
        internalDate: new Date(Date.UTC(2024, 0, 10 - index)),
      });
    }
    // one expunged UID, so sequence numbers and UIDs differ
    await server.backend.deliver(ALICE.username, 'INBOX', MESSAGES[0] as string, { flags: ['\\Deleted'] });
    const client = await server.login();
    await client.command('s0', 'SELECT INBOX');
    await client.command('s1', 'UID EXPUNGE 6');
    await run(client, server);
  } finally {
    await server.close();
  }
}

test('SORT by subject, date, arrival, from, cc, size and REVERSE; UID SORT answers UIDs', async () => {
  await withMessages(async (client) => {
    await client.expect('a1', 'SORT (SUBJECT) UTF-8 ALL', [/^\* SORT 5 1 2 4 3$/, /^a1 OK/]);
    await client.expect('a2', 'SORT (DATE) US-ASCII ALL', [/^\* SORT 3 1 2 4 5$/, /^a2 OK/]);
    await client.expect('a3', 'SORT (REVERSE DATE) UTF-8 ALL', [/^\* SORT 5 4 2 1 3$/, /^a3 OK/]);
    await client.expect('a4', 'SORT (ARRIVAL) UTF-8 ALL', [/^\* SORT 5 4 3 2 1$/, /^a4 OK/]);
    await client.expect('a5', 'SORT (FROM REVERSE DATE) UTF-8 ALL', [/^\* SORT 2 4 3 1 5$/, /^a5 OK/]);
    // only message 3 has a Cc: the others sort as empty, first, by sequence number
    await client.expect('a6', 'SORT (CC) UTF-8 ALL', [/^\* SORT 1 2 4 5 3$/, /^a6 OK/]);
    await client.expect('a7', 'SORT (DISPLAYFROM) UTF-8 ALL', [/^\* SORT 2 3 4 1 5$/, /^a7 OK/]);
    await client.expect('a8', 'SORT (SUBJECT) UTF-8 FROM bob', [/^\* SORT 4 3$/, /^a8 OK/]);
    await client.expect('a9', 'UID SORT (SUBJECT) UTF-8 ALL', [/^\* SORT 5 1 2 4 3$/, /^a9 OK/]);
    await client.expect('a10', 'SORT (SUBJECT) UTF-8 FROM nobody', [/^\* SORT$/, /^a10 OK/]);
  });
});

test('SORT and THREAD charsets: US-ASCII and UTF-8 work, others NO [BADCHARSET]; bad syntax is BAD', async () => {
  await withMessages(async (client) => {
    await client.expect('c1', 'SORT (SUBJECT) KOI8-R ALL', [/^c1 NO \[BADCHARSET \(US-ASCII UTF-8\)\]/]);
    await client.expect('c2', 'THREAD REFERENCES ISO-8859-1 ALL', [/^c2 NO \[BADCHARSET/]);
    await client.expect('c3', 'SORT (SUBJECT) ALL', [/^c3 BAD/]);
    await client.expect('c4', 'SORT (NAME) UTF-8 ALL', [/^c4 BAD/]);
    await client.expect('c5', 'SORT () UTF-8 ALL', [/^c5 BAD/]);
    await client.expect('c6', 'THREAD SIDEWAYS UTF-8 ALL', [/^c6 BAD/]);
    await client.expect('c7', 'NOOP', [/^c7 OK/]);
  });
});

test('ESORT: SORT RETURN (MIN MAX COUNT ALL) answers ESEARCH in sort order (RFC 5267)', async () => {
  await withMessages(async (client) => {
    await client.expect('e1', 'SORT RETURN (MIN MAX COUNT ALL) (SUBJECT) UTF-8 ALL', [
      /^\* ESEARCH \(TAG "e1"\) MIN 5 MAX 3 COUNT 5 ALL 5,1:2,4,3$/,
      /^e1 OK/,
    ]);
    await client.expect('e2', 'UID SORT RETURN (COUNT) (DATE) UTF-8 FROM bob', [
      /^\* ESEARCH \(TAG "e2"\) UID COUNT 2$/,
      /^e2 OK/,
    ]);
    await client.expect('e3', 'SORT RETURN () (REVERSE ARRIVAL) UTF-8 ALL', [
      /^\* ESEARCH \(TAG "e3"\) ALL 1:5$/,
      /^e3 OK/,
    ]);
  });
});

test('THREAD ORDEREDSUBJECT and REFERENCES, and UID THREAD (RFC 5256 4)', async () => {
  await withMessages(async (client) => {
    await client.expect('t1', 'THREAD ORDEREDSUBJECT UTF-8 ALL', [
      /^\* THREAD \(3\)\(1 \(2\)\(4\)\)\(5\)$/,
      /^t1 OK/,
    ]);
    await client.expect('t2', 'THREAD REFERENCES UTF-8 ALL', [/^\* THREAD \(3\)\(1 2 4\)\(5\)$/, /^t2 OK/]);
    await client.expect('t3', 'UID THREAD REFERENCES UTF-8 NOT FROM carol', [
      /^\* THREAD \(3\)\(2 4\)\(5\)$/,
      /^t3 OK/,
    ]);
    await client.expect('t4', 'THREAD REFERENCES UTF-8 FROM nobody', [/^\* THREAD$/, /^t4 OK/]);
  });
});

test('SEARCHRES: SEARCH RETURN (SAVE) fills $ for FETCH, STORE, COPY, UID SEARCH; it resets on SELECT and on a failed SEARCH', async () => {
  await withMessages(async (client) => {
    // SAVE alone answers no ESEARCH (RFC 5182 2.4)
    const saved = await client.command('r1', 'SEARCH RETURN (SAVE) FROM bob');
    assert.deepEqual(saved.untagged, []);
    assert.match(saved.tagged, /^r1 OK/);
    await client.expect('r2', 'FETCH $ (UID)', [
      /^\* 3 FETCH \(UID 3\)$/,
      /^\* 4 FETCH \(UID 4\)$/,
      /^r2 OK/,
    ]);
    await client.expect('r3', 'UID STORE $ +FLAGS.SILENT (\\Flagged)', [/^r3 OK/]);
    await client.expect('r4', 'SEARCH FLAGGED', [/^\* SEARCH 3 4$/, /^r4 OK/]);
    await client.expect('r5', 'UID SEARCH UID $ SUBJECT lunch', [/^\* SEARCH 4$/, /^r5 OK/]);
    await client.expect('r6', 'SEARCH $', [/^\* SEARCH 3 4$/, /^r6 OK/]);
    await client.expect('r7', 'COPY $ Archive', [/^r7 OK \[COPYUID \d+ 3:4 1:2\]/]);
    // MIN with SAVE saves only the minimum, and answers ESEARCH MIN
    await client.expect('r8', 'SEARCH RETURN (SAVE MIN) FROM bob', [
      /^\* ESEARCH \(TAG "r8"\) MIN 3$/,
      /^r8 OK/,
    ]);
    await client.expect('r9', 'UID FETCH $ (UID)', [/^\* 3 FETCH \(UID 3\)$/, /^r9 OK/]);
    // a SORT may SAVE too
    await client.expect('r10', 'SORT RETURN (SAVE) (SUBJECT) UTF-8 SUBJECT lunch', [/^r10 OK/]);
    await client.expect('r11', 'SEARCH $', [/^\* SEARCH 1 2 4$/, /^r11 OK/]);
    // an expunged message drops out of $
    await client.command('r12', 'STORE 2 +FLAGS.SILENT (\\Deleted)');
    await client.expect('r13', 'EXPUNGE', [/^\* 2 EXPUNGE$/, /^r13 OK/]);
    await client.expect('r14', 'UID SEARCH $', [/^\* SEARCH 1 4$/, /^r14 OK/]);
    // a failed SEARCH that was to SAVE leaves $ empty
    await client.expect('r15', 'SEARCH RETURN (SAVE) CHARSET KOI8-R FROM bob', [/^r15 NO \[BADCHARSET/]);
    await client.expect('r16', 'SEARCH $', [/^\* SEARCH$/, /^r16 OK/]);
    // a new SELECT empties it
    await client.command('r17', 'SEARCH RETURN (SAVE) ALL');
    await client.command('r18', 'SELECT INBOX');
    await client.expect('r19', 'FETCH $ (UID)', [/^r19 OK/]);
  });
});

test('WITHIN: SEARCH OLDER and YOUNGER count seconds back from now by internal date (RFC 5032)', async () => {
  const server = await startTestServer();
  try {
    const now = Date.now();
    await server.backend.deliver(ALICE.username, 'INBOX', MESSAGES[0] as string, {
      internalDate: new Date(now - 3 * 3600 * 1000),
    });
    await server.backend.deliver(ALICE.username, 'INBOX', MESSAGES[1] as string, {
      internalDate: new Date(now - 60 * 1000),
    });
    const client = await server.login();
    await client.command('s0', 'SELECT INBOX');
    await client.expect('w1', 'SEARCH YOUNGER 3600', [/^\* SEARCH 2$/, /^w1 OK/]);
    await client.expect('w2', 'SEARCH OLDER 3600', [/^\* SEARCH 1$/, /^w2 OK/]);
    await client.expect('w3', 'SEARCH YOUNGER 86400 OLDER 30', [/^\* SEARCH 1 2$/, /^w3 OK/]);
    await client.expect('w4', 'SEARCH OLDER 0', [/^w4 BAD/]);
    await client.expect('w5', 'SEARCH YOUNGER abc', [/^w5 BAD/]);
  } finally {
    await server.close();
  }
});

test('ESEARCH with MODSEQ: MIN/MAX alone give the MODSEQ of those messages, ALL/COUNT of all (RFC 4731 3.2)', async () => {
  await withMessages(async (client) => {
    // changes give messages 2 and 4 the highest modseqs, 4 above 2
    await client.command('m1', 'STORE 2 +FLAGS.SILENT (\\Seen)');
    await client.command('m2', 'STORE 4 +FLAGS.SILENT (\\Seen)');
    const modseqs = new Map<number, number>();
    const fetched = await client.command('m3', 'FETCH 1:5 (MODSEQ)');
    for (const line of fetched.untagged) {
      const match = /^\* (\d+) FETCH \(MODSEQ \((\d+)\)\)$/.exec(line);
      assert.ok(match, line);
      modseqs.set(Number(match[1]), Number(match[2]));
    }
    const of = (seq: number) => modseqs.get(seq) as number;
    await client.expect('m4', 'SEARCH RETURN (MIN) MODSEQ 1', [
      new RegExp(`^\\* ESEARCH \\(TAG "m4"\\) MIN 1 MODSEQ ${of(1)}$`),
      /^m4 OK/,
    ]);
    await client.expect('m5', 'SEARCH RETURN (MIN MAX) MODSEQ 1', [
      new RegExp(`^\\* ESEARCH \\(TAG "m5"\\) MIN 1 MAX 5 MODSEQ ${Math.max(of(1), of(5))}$`),
      /^m5 OK/,
    ]);
    await client.expect('m6', 'SEARCH RETURN (MAX COUNT) MODSEQ 1', [
      new RegExp(`^\\* ESEARCH \\(TAG "m6"\\) MAX 5 COUNT 5 MODSEQ ${of(4)}$`),
      /^m6 OK/,
    ]);
    await client.expect('m7', 'SEARCH MODSEQ 1', [
      new RegExp(`^\\* SEARCH 1 2 3 4 5 \\(MODSEQ ${of(4)}\\)$`),
      /^m7 OK/,
    ]);
    await client.expect('m8', `SEARCH RETURN (MIN) MODSEQ ${of(4) + 1}`, [
      /^\* ESEARCH \(TAG "m8"\)$/,
      /^m8 OK/,
    ]);
    await client.expect('m9', 'SORT (SUBJECT) UTF-8 MODSEQ 1', [
      new RegExp(`^\\* SORT 5 1 2 4 3 \\(MODSEQ ${of(4)}\\)$`),
      /^m9 OK/,
    ]);
  });
});

test('CAPABILITY lists SORT, SORT=DISPLAY, ESORT, THREAD=ORDEREDSUBJECT, THREAD=REFERENCES, SEARCHRES, WITHIN', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    const [line] = await client.expect('k1', 'CAPABILITY', [/^\* CAPABILITY /, /^k1 OK/]);
    const listed = (line ?? '').split(' ');
    for (const name of [
      'SORT',
      'SORT=DISPLAY',
      'ESORT',
      'THREAD=ORDEREDSUBJECT',
      'THREAD=REFERENCES',
      'SEARCHRES',
      'WITHIN',
    ])
      assert.ok(listed.includes(name), name);
  } finally {
    await server.close();
  }
});
