/**
 * curl's IMAP client against a real mail server process, over STARTTLS (`--ssl-reqd`) and
 * implicit TLS (`imaps://`): list mailboxes, fetch a message by UID byte for byte, search,
 * and upload (APPEND).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { startMailServer, DEFAULT_PASSWORD, type MailServerProcess } from './server-process.js';

const USER = 'curl.user@example.com';

const MESSAGE = Buffer.from(
  [
    'From: Erin <erin@example.org>',
    'To: curl.user@example.com',
    'Subject: Fetched by curl',
    'Date: Wed, 04 Nov 2026 08:15:00 +0000',
    'Message-ID: <curl-1@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=iso-8859-1',
    'Content-Transfer-Encoding: 8bit',
    '',
    "Caf\xe9 au lait, s'il vous pla\xeet.",
    'A line with trailing spaces   ',
    '.',
    'The end, with no final line break',
  ].join('\r\n'),
  'latin1',
);

const UPLOAD = Buffer.from(
  [
    'From: curl.user@example.com',
    'To: curl.user@example.com',
    'Subject: Uploaded with curl',
    'Date: Wed, 04 Nov 2026 09:00:00 +0000',
    '',
    'Sent with curl -T.',
    '',
  ].join('\r\n'),
);

let server: MailServerProcess;
let workDir: string;

before(async () => {
  server = await startMailServer('curl');
  await server.createUser(USER);
  workDir = mkdtempSync(join(tmpdir(), 'wd-curl-'));
});

after(async () => {
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Runs curl; resolves with its exit code, stdout as bytes and the verbose transcript on stderr. */
function curl(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'curl',
      [
        '--silent',
        '--show-error',
        '--verbose',
        '--max-time',
        '30',
        '-u',
        `${USER}:${DEFAULT_PASSWORD}`,
        ...args,
      ],
      { encoding: 'buffer', timeout: 45_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr: stderr.toString('utf8') });
      },
    );
  });
}

function explain(run: { code: number; stdout: Buffer; stderr: string }): string {
  return `curl exit ${run.code}\n--- transcript ---\n${run.stderr}\n--- stdout ---\n${run.stdout.toString('latin1')}\n--- server output ---\n${server.output().slice(-3000)}`;
}

async function appendWithImapflow(message: Buffer): Promise<number> {
  const client = new ImapFlow({
    host: server.host,
    port: server.imapPort,
    secure: false,
    auth: { user: USER, pass: DEFAULT_PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await client.connect();
  try {
    const appended = await client.append('INBOX', message, ['\\Seen']);
    assert.ok(appended && appended.uid, 'APPEND answered an APPENDUID');
    return appended.uid;
  } finally {
    await client.logout();
  }
}

test('curl over STARTTLS lists the mailboxes', { timeout: 60_000 }, async () => {
  const run = await curl(['-k', '--ssl-reqd', `imap://${server.host}:${server.imapPort}/`]);
  assert.equal(run.code, 0, explain(run));
  assert.match(run.stderr, /STARTTLS/, 'curl upgraded the connection with STARTTLS');
  const listing = run.stdout.toString('utf8');
  for (const name of ['INBOX', 'Drafts', 'Sent Mail', 'Junk', 'Trash', 'Archive']) {
    assert.match(
      listing,
      new RegExp(`^\\* LIST \\([^)]*\\) (?:"[^"]*"|NIL) (?:"${name}"|${name.replace(' ', '\\ ')})\\r?$`, 'm'),
      `LIST shows ${name}:\n${listing}`,
    );
  }
});

test(
  'without TLS the server advertises LOGINDISABLED and curl cannot log in',
  { timeout: 60_000 },
  async () => {
    // without --ssl-reqd curl may log in in the clear; the server must say no (LOGINDISABLED)
    const run = await curl([`imap://${server.host}:${server.imapPort}/`]);
    assert.notEqual(run.code, 0, `a plaintext login must fail:\n${explain(run)}`);
    assert.match(run.stderr, /LOGINDISABLED/, 'the server advertises LOGINDISABLED before TLS');
  },
);

test(
  'curl fetches a message by UID, byte for byte, over STARTTLS and over implicit TLS',
  { timeout: 60_000 },
  async () => {
    const uid = await appendWithImapflow(MESSAGE);
    const run = await curl(['-k', '--ssl-reqd', `imap://${server.host}:${server.imapPort}/INBOX;UID=${uid}`]);
    assert.equal(run.code, 0, explain(run));
    assert.ok(run.stdout.equals(MESSAGE), `BODY[] equals the appended bytes:\n${explain(run)}`);

    const secure = await curl(['-k', `imaps://${server.host}:${server.imapsPort}/INBOX;UID=${uid}`]);
    assert.equal(secure.code, 0, explain(secure));
    assert.ok(
      secure.stdout.equals(MESSAGE),
      `BODY[] over IMAPS equals the appended bytes:\n${explain(secure)}`,
    );

    const header = await curl([
      '-k',
      '--ssl-reqd',
      `imap://${server.host}:${server.imapPort}/INBOX;UID=${uid}/;SECTION=HEADER.FIELDS%20(SUBJECT)`,
    ]);
    assert.equal(header.code, 0, explain(header));
    assert.equal(header.stdout.toString('latin1'), 'Subject: Fetched by curl\r\n\r\n', explain(header));

    const search = await curl([
      '-k',
      '--ssl-reqd',
      `imap://${server.host}:${server.imapPort}/INBOX?SUBJECT%20%22fetched%20by%22`,
    ]);
    assert.equal(search.code, 0, explain(search));
    assert.match(
      search.stdout.toString('latin1'),
      new RegExp(`^\\* SEARCH ${uid}\\r?$`, 'm'),
      explain(search),
    );
  },
);

test('curl uploads a message (APPEND) that it then fetches back unchanged', { timeout: 60_000 }, async () => {
  const file = join(workDir, 'upload.eml');
  writeFileSync(file, UPLOAD);
  const upload = await curl([
    '-k',
    '--ssl-reqd',
    '-T',
    file,
    `imap://${server.host}:${server.imapPort}/Drafts`,
  ]);
  assert.equal(upload.code, 0, explain(upload));

  const client = new ImapFlow({
    host: server.host,
    port: server.imapPort,
    secure: false,
    auth: { user: USER, pass: DEFAULT_PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await client.connect();
  let uid: number;
  try {
    const lock = await client.getMailboxLock('Drafts');
    try {
      const found = await client.search({ subject: 'Uploaded with curl' }, { uid: true });
      assert.ok(
        Array.isArray(found) && found.length === 1,
        `the upload is in Drafts: ${JSON.stringify(found)}`,
      );
      uid = found[0]!;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }

  const fetched = await curl([
    '-k',
    '--ssl-reqd',
    `imap://${server.host}:${server.imapPort}/Drafts;UID=${uid}`,
  ]);
  assert.equal(fetched.code, 0, explain(fetched));
  assert.ok(fetched.stdout.equals(UPLOAD), `the uploaded bytes come back unchanged:\n${explain(fetched)}`);
});
