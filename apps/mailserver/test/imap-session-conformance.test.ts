// Session-level conformance on the real store (issue 14, H4): keywords announced before use
// (RFC 3501 7.2.6), COPY/MOVE into the selected mailbox (RFC 3501 7.3.1, RFC 6851 3.3),
// SELECT's OK [UNSEEN n] (RFC 3501 6.3.1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
let users = 0;
before(async () => {
  imap = await startImap('imapsession');
});
after(async () => {
  await imap.close();
});

const message = (subject: string) =>
  `From: Bob <bob@example.org>\r\nTo: someone@example.com\r\nSubject: ${subject}\r\nDate: Tue, 3 Nov 2026 09:00:00 +0000\r\n\r\nBody.\r\n`;

/** A fresh user with `count` messages in INBOX (flags per message), and a logged-in raw client. */
async function userWithInbox(
  flags: readonly string[][],
): Promise<{ address: string; login: () => Promise<RawImapClient> }> {
  const address = `session${++users}@example.com`;
  await imap.createUser(address);
  const login = async () => {
    const client = await RawImapClient.open(imap.port);
    assert.match(await client.command(`LOGIN ${address} secretpass`), /OK/);
    return client;
  };
  const client = await login();
  for (const [index, messageFlags] of flags.entries()) {
    const body = message(`Message ${index + 1}`);
    const answer = await client.command(
      `APPEND INBOX (${messageFlags.join(' ')}) {${body.length}+}\r\n${body}`,
    );
    assert.match(answer, /OK \[APPENDUID/);
  }
  client.close();
  return { address, login };
}

const lines = (text: string) => text.split('\r\n').filter(Boolean);
const waitForChange = () => new Promise((resolve) => setTimeout(resolve, 150));

test('a keyword set by another session is announced with FLAGS and PERMANENTFLAGS before its FETCH', async () => {
  const { login } = await userWithInbox([[], []]);
  const a = await login();
  const b = await login();
  try {
    assert.match(
      await a.command('SELECT INBOX'),
      /^\* FLAGS \(\\Seen \\Answered \\Flagged \\Deleted \\Draft\)\r$/m,
    );
    await b.command('SELECT INBOX');
    await b.command('STORE 1 +FLAGS.SILENT ($NewKeyword)');
    await waitForChange();
    const noop = lines(await a.command('NOOP'));
    assert.deepEqual(noop.slice(0, 3), [
      '* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $NewKeyword)',
      '* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $NewKeyword \\*)] Flags permitted',
      '* 1 FETCH (UID 1 FLAGS ($NewKeyword))',
    ]);
    // IDLE: the same order as the change arrives
    a.write('I1 IDLE\r\n');
    await a.waitFor(/^\+ /m);
    await b.command('STORE 2 +FLAGS.SILENT (Project)');
    const pushed = await a.waitFor(/^\* 2 FETCH .*$/m);
    assert.deepEqual(lines(pushed), [
      '* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $NewKeyword Project)',
      '* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $NewKeyword Project \\*)] Flags permitted',
      '* 2 FETCH (UID 2 FLAGS (Project))',
    ]);
    a.write('DONE\r\n');
    await a.waitFor(/^I1 OK/m);
    // own STORE of a new keyword, and a keyword known already says nothing more
    const stored = lines(await a.command('STORE 1 +FLAGS (Later)'));
    assert.equal(
      stored[0],
      '* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $NewKeyword Project Later)',
    );
    assert.match(stored[1]!, /^\* OK \[PERMANENTFLAGS \(.* Later \\\*\)\]/);
    assert.equal(stored[2], '* 1 FETCH (FLAGS ($NewKeyword Later))');
    // a fresh SELECT lists the keywords in use, so FETCH has nothing to announce
    const selected = await b.command('SELECT INBOX');
    assert.match(
      selected,
      /^\* FLAGS \(\\Seen \\Answered \\Flagged \\Deleted \\Draft (\$NewKeyword Project Later|.*)\)\r$/m,
    );
    for (const keyword of ['$NewKeyword', 'Project', 'Later'])
      assert.ok(selected.includes(keyword), selected);
    assert.deepEqual(lines(await b.command('FETCH 1:2 FLAGS')).slice(0, 2), [
      '* 1 FETCH (FLAGS ($NewKeyword Later))',
      '* 2 FETCH (FLAGS (Project))',
    ]);
  } finally {
    a.close();
    b.close();
  }
});

test('COPY, MOVE and UID MOVE into the selected mailbox report EXISTS (and the expunge)', async () => {
  const { login } = await userWithInbox([[], []]);
  const client = await login();
  try {
    await client.command('SELECT INBOX');
    const copied = lines(await client.command('COPY 1 INBOX'));
    assert.equal(copied.length, 2, copied.join('\n'));
    assert.equal(copied[0], '* 3 EXISTS');
    assert.match(copied[1]!, /^T\d+ OK \[COPYUID \d+ 1 3\] COPY completed$/);
    const moved = lines(await client.command('MOVE 1 INBOX'));
    assert.equal(moved.length, 4, moved.join('\n'));
    assert.match(moved[0]!, /^\* OK \[COPYUID \d+ 1 4\] /);
    assert.deepEqual(moved.slice(1, 3), ['* 4 EXISTS', '* 1 EXPUNGE']);
    assert.match(moved[3]!, /^T\d+ OK MOVE completed$/);
    const uidMoved = lines(await client.command('UID MOVE 2 INBOX'));
    assert.equal(uidMoved.length, 4, uidMoved.join('\n'));
    assert.match(uidMoved[0]!, /^\* OK \[COPYUID \d+ 2 5\] /);
    assert.deepEqual(uidMoved.slice(1, 3), ['* 4 EXISTS', '* 1 EXPUNGE']);
    assert.deepEqual(lines(await client.command('UID SEARCH ALL')).slice(0, 1), ['* SEARCH 3 4 5']);
  } finally {
    client.close();
  }
});

test('SELECT and EXAMINE send OK [UNSEEN n] for the first unseen message, and nothing when all are seen', async () => {
  const { login } = await userWithInbox([['\\Seen'], ['\\Seen'], [], []]);
  const client = await login();
  try {
    for (const command of ['SELECT INBOX', 'EXAMINE INBOX']) {
      const answer = lines(await client.command(command));
      const recent = answer.indexOf('* 0 RECENT');
      assert.ok(recent > 0, answer.join('\n'));
      assert.equal(answer[recent + 1], '* OK [UNSEEN 3] First unseen');
    }
    await client.command('SELECT INBOX');
    await client.command('STORE 3:4 +FLAGS.SILENT (\\Seen)');
    const allSeen = await client.command('SELECT INBOX');
    assert.doesNotMatch(allSeen, /UNSEEN/);
  } finally {
    client.close();
  }
});

test('imapflow turns on COMPRESS=DEFLATE (plain port and TLS port) and works through it', async () => {
  const { address } = await userWithInbox([[], ['\\Seen']]);
  for (const secure of [false, true]) {
    const flow = new ImapFlow({
      host: '127.0.0.1',
      port: secure ? imap.tlsPort : imap.port,
      secure,
      auth: { user: address, pass: 'secretpass' },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await flow.connect();
    try {
      assert.ok(flow.capabilities.has('COMPRESS=DEFLATE'));
      assert.ok((flow as unknown as { _inflate?: unknown })._inflate, 'imapflow compressed the connection');
      const lock = await flow.getMailboxLock('INBOX');
      try {
        const subjects: string[] = [];
        for await (const message of flow.fetch('1:*', { envelope: true, source: true })) {
          subjects.push(message.envelope?.subject ?? '');
          assert.match(message.source?.toString() ?? '', /\r\n\r\nBody\.\r\n$/);
        }
        assert.deepEqual(subjects, ['Message 1', 'Message 2']);
        assert.deepEqual(await flow.search({ seen: false }, { uid: true }), [1]);
      } finally {
        lock.release();
      }
    } finally {
      await flow.logout();
    }
  }
});

test('STATUS DELETED counts \\Deleted messages, from the view and without one', async () => {
  const { login } = await userWithInbox([['\\Deleted'], [], ['\\Deleted', '\\Seen']]);
  const client = await login();
  try {
    // no session holds INBOX open: the count is searched
    assert.match(
      await client.command('STATUS INBOX (MESSAGES DELETED)'),
      /^\* STATUS "?INBOX"? \(MESSAGES 3 DELETED 2\)\r$/m,
    );
    await client.command('SELECT INBOX');
    await client.command('STORE 2 +FLAGS.SILENT (\\Deleted)');
    // the mailbox's view counts it
    assert.match(await client.command('STATUS INBOX (DELETED)'), /^\* STATUS "?INBOX"? \(DELETED 3\)\r$/m);
  } finally {
    client.close();
  }
});

test('imapflow enables IMAP4rev2 and works in it: ESEARCH, SELECT with LIST, UTF-8 mailbox names', async () => {
  const { address } = await userWithInbox([[], ['\\Seen']]);
  const flow = new ImapFlow({
    host: '127.0.0.1',
    port: imap.port,
    secure: false,
    auth: { user: address, pass: 'secretpass' },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await flow.connect();
  try {
    assert.ok(flow.capabilities.has('IMAP4rev2'));
    assert.ok(flow.enabled.has('IMAP4REV2'), 'imapflow enabled IMAP4rev2');
    await flow.mailboxCreate('Dépôt');
    const names = (await flow.list()).map((entry) => entry.path);
    assert.ok(names.includes('Dépôt'), names.join(', '));
    const lock = await flow.getMailboxLock('INBOX');
    try {
      assert.deepEqual(await flow.search({ seen: false }, { uid: true }), [1]);
      assert.deepEqual(await flow.search({ all: true }), [1, 2]);
      await flow.messageMove('1', 'Dépôt');
    } finally {
      lock.release();
    }
    const status = await flow.status('Dépôt', { messages: true });
    assert.equal(status.messages, 1);
  } finally {
    await flow.logout();
  }
  // the same over a raw connection: SELECT of a rev2 session names the mailbox in UTF-8
  const raw = await RawImapClient.open(imap.port);
  try {
    await raw.command(`LOGIN ${address} secretpass`);
    assert.match(await raw.command('ENABLE IMAP4rev2'), /^\* ENABLED IMAP4rev2\r$/m);
    const selected = Buffer.from(await raw.command('SELECT "Dépôt"'), 'latin1').toString('utf8');
    assert.match(selected, /^\* LIST \(\\HasNoChildren\) "\/" "Dépôt"\r$/m);
    assert.doesNotMatch(selected, /RECENT|UNSEEN/);
    assert.match(await raw.command('UID SEARCH ALL'), /^\* ESEARCH \(TAG "T\d+"\) UID ALL \d+\r$/m);
  } finally {
    raw.close();
  }
});

test('Python imaplib over a zlib wrapper: COMPRESS DEFLATE, then SELECT, FETCH, SEARCH and LOGOUT compressed', async () => {
  const { address } = await userWithInbox([[], []]);
  const script = fileURLToPath(new URL('./fixtures/imaplib-compress.py', import.meta.url));
  const { stdout } = await promisify(execFile)(
    'python3',
    [script, String(imap.port), address, 'secretpass'],
    {
      timeout: 30_000,
    },
  );
  const result = JSON.parse(stdout) as Record<string, unknown>;
  assert.ok((result.capabilities as string[]).includes('COMPRESS=DEFLATE'));
  assert.equal(result.compress, 'OK');
  assert.equal(result.exists, '2');
  assert.match(result.body as string, /^From: Bob <bob@example.org>\r\n[\s\S]*Subject: Message 1\r\n/);
  assert.equal(result.search, '1 2');
  assert.deepEqual(result.again, ['NO', true]);
  assert.equal(result.logout, 'BYE');
});
