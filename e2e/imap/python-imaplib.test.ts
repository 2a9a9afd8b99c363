/**
 * Python's standard imaplib against a real mail server process: STARTTLS and implicit TLS, and
 * the everyday commands (see imaplib_scenario.py). The script prints one JSON line; this test
 * asserts on it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMailServer, DEFAULT_PASSWORD, type MailServerProcess } from './server-process.js';

const USER = 'py.user@example.com';
const QUOTA = 50 * 1024 * 1024;

const TEXT_PART = 'Hello,\r\n\r\nthe quarterly report is attached. Grüße aus Köln.\r\n\r\n-- \r\nCarol\r\n';
const ATTACHMENT = Buffer.from('%PDF-1.4 not really a pdf\n'.repeat(20))
  .toString('base64')
  .replace(/.{76}/g, '$&\r\n');

/** multipart/mixed: an 8bit UTF-8 text part and a base64 attachment. */
const FIRST = Buffer.from(
  [
    'Return-Path: <carol@example.org>',
    'From: Carol <carol@example.org>',
    'To: Py User <py.user@example.com>',
    'Subject: Quarterly report',
    'Date: Tue, 03 Nov 2026 09:00:00 +0000',
    'Message-ID: <quarterly-1@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    'This is a multi-part message in MIME format.',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    // the part's body ends with a line break of its own; the CRLF after it belongs to the delimiter
    TEXT_PART,
    '--b1',
    'Content-Type: application/pdf; name="report.pdf"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="report.pdf"',
    '',
    ATTACHMENT,
    '--b1--',
    '',
  ].join('\r\n'),
);

const SECOND = Buffer.from(
  [
    'From: Dave <dave@example.net>',
    'To: py.user@example.com',
    'Subject: Lunch?',
    'Date: Tue, 03 Nov 2026 10:30:00 +0100',
    'Message-ID: <lunch-2@example.net>',
    '',
    'Pizza with pineapple at noon?',
    '',
  ].join('\r\n'),
);

interface ScenarioResult {
  greeting: string;
  tlsVersion: string;
  capabilitiesBeforeTls: string[];
  capabilitiesAfterTls: string[];
  capabilities: string[];
  list: { flags: string[]; delimiter: string | null; name: string }[];
  selectExists: number;
  selectHighestModseq: string[];
  statusEmptyHighestModseq: string;
  uidValidity: number;
  appendUids: [number, number];
  appendUidValidity: number;
  existsAfterAppend: number;
  search: Record<'from' | 'subject' | 'unseen' | 'flagged' | 'body' | 'all' | 'none', number[]>;
  fetch: { text: string; bodyBase64: string; flags: string[]; internalDate: string | null; size: number };
  flagsAfterPeek: string[];
  storeResponse: string[];
  unseenAfterStore: number[];
  copyuid: string[] | null;
  moveExpunged: number[];
  moveCopyuid: string[] | null;
  afterMoveAll: number[];
  expunged: number[];
  afterExpungeAll: number[];
  mailboxOps: { delimiter: string; afterCreate: string[]; afterRename: string[]; afterDelete: string[] };
  selectDeleted: string;
  status: Record<string, string>;
  quotaroot: string[][];
  logout: string;
  imaps: {
    greeting: string;
    tlsVersion: string;
    archiveExists: number;
    archiveBodyBase64: string | null;
    logout: string;
  };
}

let server: MailServerProcess;
let workDir: string;

before(async () => {
  server = await startMailServer('imaplib');
  await server.createUser(USER, { quota: QUOTA });
  workDir = mkdtempSync(join(tmpdir(), 'wd-imaplib-'));
});

after(async () => {
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function runScenario(
  config: Record<string, unknown>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = join(import.meta.dirname, 'imaplib_scenario.py');
  return new Promise((resolve) => {
    execFile(
      'python3',
      [script, JSON.stringify(config)],
      { timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let result: Promise<ScenarioResult> | undefined;

/** Runs the Python scenario once; every test below asserts on a part of its report. */
function scenario(): Promise<ScenarioResult> {
  result ??= (async () => {
    const messageFile = join(workDir, 'first.eml');
    const secondMessageFile = join(workDir, 'second.eml');
    writeFileSync(messageFile, FIRST);
    writeFileSync(secondMessageFile, SECOND);
    const run = await runScenario({
      host: server.host,
      port: server.imapPort,
      tlsPort: server.imapsPort,
      user: USER,
      password: DEFAULT_PASSWORD,
      messageFile,
      secondMessageFile,
    });
    assert.equal(
      run.code,
      0,
      `the imaplib scenario failed (exit ${run.code}):\n${run.stderr}\n${run.stdout}\n--- server output ---\n${server.output().slice(-4000)}`,
    );
    const lines = run.stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]!) as ScenarioResult;
  })();
  return result;
}

test(
  'imaplib: greeting, STARTTLS (LOGINDISABLED before it), LOGIN and CAPABILITY',
  { timeout: 120_000 },
  async () => {
    const r = await scenario();
    // greeting and TLS
    assert.match(r.greeting, /^\* OK/);
    assert.ok(
      r.capabilitiesBeforeTls.includes('STARTTLS'),
      `STARTTLS offered before TLS: ${r.capabilitiesBeforeTls.join(' ')}`,
    );
    assert.ok(r.capabilitiesBeforeTls.includes('LOGINDISABLED'), 'plaintext LOGIN is disabled before TLS');
    assert.match(r.tlsVersion, /^TLSv1\.[23]$/);
    assert.ok(!r.capabilitiesAfterTls.includes('STARTTLS'), 'no STARTTLS after TLS (RFC 3501 6.2.1)');
    assert.ok(!r.capabilitiesAfterTls.includes('LOGINDISABLED'), 'LOGIN allowed after TLS');
    for (const capability of ['IMAP4rev1', 'UIDPLUS', 'MOVE', 'QUOTA', 'SPECIAL-USE']) {
      assert.ok(
        r.capabilities.includes(capability),
        `CAPABILITY lists ${capability}: ${r.capabilities.join(' ')}`,
      );
    }
  },
);

test(
  'imaplib: LIST shows the six default mailboxes with their SPECIAL-USE flags',
  { timeout: 120_000 },
  async () => {
    const r = await scenario();
    // LIST: the six default mailboxes with their SPECIAL-USE flags
    const byName = new Map(r.list.map((entry) => [entry.name, entry]));
    for (const [name, use] of [
      ['INBOX', null],
      ['Drafts', '\\Drafts'],
      ['Sent Mail', '\\Sent'],
      ['Junk', '\\Junk'],
      ['Trash', '\\Trash'],
      ['Archive', '\\Archive'],
    ] as const) {
      const entry = byName.get(name);
      assert.ok(entry, `LIST shows ${name}: ${JSON.stringify(r.list)}`);
      if (use) assert.ok(entry.flags.includes(use), `${name} carries ${use}: ${entry.flags.join(' ')}`);
    }
  },
);

test('imaplib: SELECT INBOX and APPEND with flags and a date (APPENDUID)', { timeout: 120_000 }, async () => {
  const r = await scenario();
  // SELECT and APPEND
  assert.equal(r.selectExists, 0);
  const [uid1, uid2] = r.appendUids;
  assert.equal(r.appendUidValidity, r.uidValidity, 'APPENDUID carries the mailbox UIDVALIDITY');
  assert.ok(uid2 > uid1, `UIDs increase: ${uid1}, ${uid2}`);
  assert.equal(r.existsAfterAppend, 2, 'the appended messages are reported as EXISTS');
});

test('imaplib: UID SEARCH FROM, SUBJECT, UNSEEN, FLAGGED, BODY, ALL', { timeout: 120_000 }, async () => {
  const r = await scenario();
  const [uid1, uid2] = r.appendUids;
  // UID SEARCH
  assert.deepEqual(r.search.from, [uid1], 'SEARCH FROM');
  assert.deepEqual(r.search.subject, [uid1], 'SEARCH SUBJECT (case-insensitive substring)');
  assert.deepEqual(r.search.unseen, [uid1, uid2], 'SEARCH UNSEEN');
  assert.deepEqual(r.search.flagged, [uid1], 'SEARCH FLAGGED (flags given to APPEND)');
  assert.deepEqual(r.search.body, [uid2], 'SEARCH BODY');
  assert.deepEqual(r.search.all, [uid1, uid2], 'SEARCH ALL');
  assert.deepEqual(r.search.none, [], 'SEARCH with no match');
});

test(
  'imaplib: UID FETCH FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[] BODYSTRUCTURE ENVELOPE',
  { timeout: 120_000 },
  async () => {
    const r = await scenario();
    // UID FETCH
    assert.ok(
      Buffer.from(r.fetch.bodyBase64, 'base64').equals(FIRST),
      'BODY[] returns the appended bytes exactly',
    );
    assert.equal(r.fetch.size, FIRST.length, 'RFC822.SIZE');
    assert.equal(
      r.fetch.internalDate,
      '03-Nov-2026 09:00:00 +0000',
      'INTERNALDATE is the date given to APPEND',
    );
    assert.ok(
      r.fetch.flags.includes('\\Flagged') && r.fetch.flags.includes('$Project'),
      `flags from APPEND: ${r.fetch.flags.join(' ')}`,
    );
    assert.ok(!r.fetch.flags.includes('\\Seen'), 'BODY.PEEK[] does not set \\Seen');
    assert.ok(!r.flagsAfterPeek.includes('\\Seen'), 'BODY.PEEK[] does not set \\Seen (checked afterwards)');
    assert.match(
      r.fetch.text,
      /ENVELOPE \("Tue, 03 Nov 2026 09:00:00 \+0000" "Quarterly report" \(\("Carol" NIL "carol" "example\.org"\)\) \(\("Carol" NIL "carol" "example\.org"\)\) \(\("Carol" NIL "carol" "example\.org"\)\) \(\("Py User" NIL "py\.user" "example\.com"\)\) NIL NIL NIL "<quarterly-1@example\.org>"\)/,
    );
    const textBytes = Buffer.byteLength(TEXT_PART);
    const textLines = TEXT_PART.split('\r\n').length - 1;
    const bodystructure = new RegExp(
      `BODYSTRUCTURE \\(\\("TEXT" "PLAIN" \\("CHARSET" "utf-8"\\) NIL NIL "8BIT" ${textBytes} ${textLines}[^()]*(\\([^()]*\\)[^()]*)*\\)` +
        `\\("APPLICATION" "PDF" \\("NAME" "report\\.pdf"\\) NIL NIL "BASE64" ${ATTACHMENT.length}[^()]*\\("ATTACHMENT" \\("FILENAME" "report\\.pdf"\\)\\)[^()]*\\) "MIXED" \\("BOUNDARY" "b1"\\)`,
      'i',
    );
    assert.match(r.fetch.text, bodystructure);
  },
);

test('imaplib: UID STORE +FLAGS', { timeout: 120_000 }, async () => {
  const r = await scenario();
  const [uid1] = r.appendUids;
  // UID STORE
  assert.match(
    r.storeResponse.join('\n'),
    /FLAGS \([^)]*\\Seen[^)]*\)/,
    'STORE +FLAGS answers the new flags',
  );
  assert.match(r.storeResponse.join('\n'), /\$Done/);
  assert.deepEqual(r.unseenAfterStore, [uid1]);
});

test('imaplib: COPY to Archive, UID MOVE to Trash, EXPUNGE', { timeout: 120_000 }, async () => {
  const r = await scenario();
  const [uid1, uid2] = r.appendUids;
  // COPY, UID MOVE, EXPUNGE
  assert.ok(r.copyuid, 'COPY answers [COPYUID] (UIDPLUS)');
  assert.equal(r.copyuid[1], String(uid1));
  assert.ok(r.moveCopyuid, 'MOVE reports [COPYUID] (RFC 6851)');
  assert.equal(r.moveCopyuid[1], String(uid2));
  assert.deepEqual(
    r.moveExpunged,
    [2],
    'MOVE expunges the moved message from the source (sequence number 2)',
  );
  assert.deepEqual(r.afterMoveAll, [uid1]);
  assert.deepEqual(r.expunged, [1], 'EXPUNGE reports sequence number 1');
  assert.deepEqual(r.afterExpungeAll, []);
});

test('imaplib: CREATE, RENAME and DELETE a mailbox', { timeout: 120_000 }, async () => {
  const r = await scenario();
  // CREATE / RENAME / DELETE
  const d = r.mailboxOps.delimiter;
  assert.ok(
    r.mailboxOps.afterCreate.includes(`Projects${d}Alpha 2026`),
    `CREATE: ${r.mailboxOps.afterCreate.join(', ')}`,
  );
  assert.ok(
    r.mailboxOps.afterRename.includes(`Projects${d}Beta 2026`),
    `RENAME: ${r.mailboxOps.afterRename.join(', ')}`,
  );
  assert.ok(!r.mailboxOps.afterRename.includes(`Projects${d}Alpha 2026`), 'RENAME removes the old name');
  assert.ok(
    !r.mailboxOps.afterDelete.includes(`Projects${d}Beta 2026`),
    `DELETE: ${r.mailboxOps.afterDelete.join(', ')}`,
  );
  assert.equal(r.selectDeleted, 'NO', 'a deleted mailbox cannot be selected');
});

test('imaplib: STATUS', { timeout: 120_000 }, async () => {
  const r = await scenario();
  const [, uid2] = r.appendUids;
  // STATUS
  const status = (name: string, item: string) =>
    Number(new RegExp(`${item} (\\d+)`).exec(r.status[name] ?? '')?.[1] ?? NaN);
  assert.equal(status('INBOX', 'MESSAGES'), 0, r.status.INBOX);
  assert.equal(status('INBOX', 'UNSEEN'), 0);
  assert.ok(status('INBOX', 'UIDNEXT') > uid2, 'UIDNEXT is past every UID given out');
  assert.equal(status('INBOX', 'UIDVALIDITY'), r.uidValidity);
  assert.equal(status('Archive', 'MESSAGES'), 1, r.status.Archive);
  assert.equal(status('Archive', 'UNSEEN'), 1);
  assert.equal(status('Trash', 'MESSAGES'), 1, r.status.Trash);
  assert.equal(status('Trash', 'UNSEEN'), 0);
  assert.equal(status('Sent Mail', 'MESSAGES'), 0, r.status['Sent Mail']);
});

test('imaplib: GETQUOTAROOT (RFC 9208) and LOGOUT', { timeout: 120_000 }, async () => {
  const r = await scenario();
  // GETQUOTAROOT: one root, storage in KiB (RFC 9208), counting the Archive copy and the moved message
  const [roots, quotas] = r.quotaroot;
  assert.match(roots?.join(' ') ?? '', /^"?INBOX"? ""$/, `QUOTAROOT: ${JSON.stringify(r.quotaroot)}`);
  const quota = /\(STORAGE (\d+) (\d+)\)/.exec(quotas?.join(' ') ?? '');
  assert.ok(quota, `QUOTA response with STORAGE: ${JSON.stringify(r.quotaroot)}`);
  assert.equal(Number(quota[2]), QUOTA / 1024, 'the limit in KiB');
  assert.equal(
    Number(quota[1]),
    Math.ceil((FIRST.length + SECOND.length) / 1024),
    'usage: the Archive copy and the message in Trash',
  );

  assert.equal(r.logout, 'BYE');
});

test('imaplib: implicit TLS (IMAP4_SSL)', { timeout: 120_000 }, async () => {
  const r = await scenario();
  // implicit TLS
  assert.match(r.imaps.greeting, /^\* OK/);
  assert.match(r.imaps.tlsVersion, /^TLSv1\.[23]$/);
  assert.equal(r.imaps.archiveExists, 1);
  assert.ok(
    r.imaps.archiveBodyBase64 && Buffer.from(r.imaps.archiveBodyBase64, 'base64').equals(FIRST),
    'the copy in Archive has the appended bytes',
  );
  assert.equal(r.imaps.logout, 'BYE');
});

test(
  'imaplib: HIGHESTMODSEQ of an empty mailbox is a valid mod-sequence (RFC 7162), in SELECT and STATUS',
  { timeout: 120_000 },
  async () => {
    const r = await scenario();
    // RFC 7162 section 7: resp-text-code =/ "HIGHESTMODSEQ" SP mod-sequence-value, a value of 1 to 2^63-1
    // (0 exists only in STATUS, where it means "no persistent mod-sequences")
    assert.equal(
      r.selectHighestModseq.length,
      1,
      `SELECT answers one [HIGHESTMODSEQ] code (CONDSTORE is advertised): ${r.selectHighestModseq.join(' ')}`,
    );
    assert.ok(
      Number(r.selectHighestModseq[0]) >= 1,
      `SELECT of an empty mailbox: [HIGHESTMODSEQ ${r.selectHighestModseq[0]}] must be at least 1`,
    );
    const emptyModseq = Number(/HIGHESTMODSEQ (\d+)/.exec(r.statusEmptyHighestModseq)?.[1] ?? NaN);
    assert.ok(
      emptyModseq >= 1,
      `STATUS Drafts (HIGHESTMODSEQ) of a mailbox that has persistent mod-sequences must not be 0, which means "none": ${r.statusEmptyHighestModseq}`,
    );
  },
);
