import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
before(async () => {
  imap = await startImap('imapcmds');
  await imap.createUser('alice@example.com');
  await imap.createUser('quota@example.com', { quota: 20 * 1024 });
});
after(async () => {
  await imap.close();
});

function client(user = 'alice@example.com', extra: Partial<ImapFlowOptions> = {}): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port: imap.port,
    secure: false,
    auth: { user, pass: 'secretpass' },
    logger: false,
    tls: { rejectUnauthorized: false },
    ...extra,
  });
}

const message = (subject: string, body = 'Body text.') =>
  Buffer.from(
    `From: Bob <bob@example.org>\r\nTo: alice@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.org>\r\nDate: Tue, 3 Nov 2026 09:00:00 +0000\r\n\r\n${body}\r\n`,
  );

test('LOGIN is refused without TLS (LOGINDISABLED) and works after STARTTLS', async () => {
  const strict = await startImap('imapstrict', { allowPlaintextLogin: false });
  try {
    await strict.createUser('tls@example.com');
    const raw = await RawImapClient.open(strict.port);
    assert.match(await raw.command('CAPABILITY'), /LOGINDISABLED/);
    assert.match(await raw.command('LOGIN tls@example.com secretpass'), /^T2 NO/m);
    raw.close();
    const flow = new ImapFlow({
      host: '127.0.0.1',
      port: strict.port,
      secure: false,
      auth: { user: 'tls@example.com', pass: 'secretpass' },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await flow.connect();
    assert.equal(flow.secureConnection, true, 'imapflow upgraded with STARTTLS');
    await flow.logout();
    const implicit = new ImapFlow({
      host: '127.0.0.1',
      port: strict.tlsPort,
      secure: true,
      auth: { user: 'tls@example.com', pass: 'secretpass' },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await implicit.connect();
    await implicit.logout();
  } finally {
    await strict.close();
  }
});

test('a wrong password is refused and repeated failures are rate-limited', async () => {
  await imap.createUser('limited@example.com');
  const raw = await RawImapClient.open(imap.port);
  for (let attempt = 0; attempt < 10; attempt++) {
    assert.match(await raw.command('LOGIN limited@example.com wrongpass'), /NO \[AUTHENTICATIONFAILED\]/);
  }
  assert.match(
    await raw.command('LOGIN limited@example.com secretpass'),
    /NO \[UNAVAILABLE\]/,
    'even the right password waits out the limit',
  );
  raw.close();
});

test('LIST shows the six default folders with SPECIAL-USE; NAMESPACE, ID and STATUS answer', async () => {
  const flow = client();
  await flow.connect();
  const boxes = await flow.list();
  const byPath = Object.fromEntries(boxes.map((box) => [box.path, box.specialUse ?? null]));
  assert.deepEqual(byPath, {
    INBOX: '\\Inbox',
    Drafts: '\\Drafts',
    'Sent Mail': '\\Sent',
    Junk: '\\Junk',
    Trash: '\\Trash',
    Archive: '\\Archive',
  });
  assert.equal(flow.namespace?.delimiter, '/');
  assert.ok(flow.serverInfo, 'ID answered');
  const status = await flow.status('INBOX', {
    messages: true,
    uidNext: true,
    uidValidity: true,
    unseen: true,
    highestModseq: true,
  });
  assert.equal(status.messages, 0);
  assert.equal(status.uidNext, 1);
  assert.equal(status.highestModseq, 1n, 'HIGHESTMODSEQ is at least 1 (RFC 7162)');
  await flow.logout();
});

test('APPEND, FETCH, STORE, SEARCH, COPY, MOVE and EXPUNGE on real data', async () => {
  const flow = client();
  await flow.connect();
  const appended = await flow.append('INBOX', message('first'), ['\\Seen']);
  assert.equal(appended.uid, 1);
  await flow.append('INBOX', message('second', 'pizza tonight'));
  await flow.append('INBOX', message('third'));
  const lock = await flow.getMailboxLock('INBOX');
  try {
    assert.equal(flow.mailbox && flow.mailbox.exists, 3);
    const fetched = [];
    for await (const item of flow.fetch('1:*', {
      uid: true,
      flags: true,
      envelope: true,
      bodyStructure: true,
      size: true,
    }))
      fetched.push(item);
    assert.deepEqual(
      fetched.map((item) => item.envelope?.subject),
      ['first', 'second', 'third'],
    );
    assert.deepEqual([...(fetched[0]!.flags ?? [])], ['\\Seen']);
    assert.equal(fetched[1]!.envelope?.from?.[0]?.address, 'bob@example.org');
    assert.equal(fetched[0]!.bodyStructure?.type, 'text/plain');
    assert.equal(fetched[0]!.size, message('first').length);

    const part = await flow.download('2', '1', { uid: true });
    const chunks: Buffer[] = [];
    for await (const chunk of part.content) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'pizza tonight\r\n');

    await flow.messageFlagsAdd('2:3', ['\\Flagged', '$Work'], { uid: true });
    assert.deepEqual(await flow.search({ flagged: true }, { uid: true }), [2, 3]);
    assert.deepEqual(await flow.search({ seen: false }, { uid: true }), [2, 3]);
    assert.deepEqual(await flow.search({ body: 'PIZZA' }, { uid: true }), [2]);
    assert.deepEqual(await flow.search({ subject: 'thi', from: 'bob@' }, { uid: true }), [3]);
    assert.deepEqual(await flow.search({ keyword: '$Work' }, { uid: true }), [2, 3]);
    assert.deepEqual(await flow.search({ or: [{ uid: '1' }, { body: 'pizza' }] }, { uid: true }), [1, 2]);

    const copied = await flow.messageCopy('1:2', 'Archive', { uid: true });
    assert.equal(copied.destination, 'Archive');
    assert.deepEqual(
      [...(copied.uidMap?.entries() ?? [])],
      [
        [1, 1],
        [2, 2],
      ],
    );
    const moved = await flow.messageMove('3', 'Trash', { uid: true });
    assert.deepEqual([...(moved.uidMap?.entries() ?? [])], [[3, 1]]);
    assert.equal(flow.mailbox && flow.mailbox.exists, 2);

    assert.equal(await flow.messageDelete('1', { uid: true }), true);
    assert.deepEqual(await flow.search({ all: true }, { uid: true }), [2]);
  } finally {
    lock.release();
  }
  const archive = await flow.status('Archive', { messages: true });
  assert.equal(archive.messages, 2);
  const trash = await flow.status('Trash', { messages: true });
  assert.equal(trash.messages, 1);
  await flow.logout();
});

test('STORE, MOVE and EXPUNGE of 100 messages in two accounts at once all answer', async () => {
  // whole-mailbox writes: FerretDB 1.24 froze for good on update commands of 50 statements, or
  // on three of 25 at once (store write-commands.ts); two sessions of two users run side by side
  const size = 100;
  const sessions = await Promise.all(
    ['wide1@example.com', 'wide2@example.com'].map(async (user) => {
      await imap.createUser(user);
      const flow = client(user);
      await flow.connect();
      for (let index = 0; index < size; index++) await flow.append('INBOX', message(`wide ${index}`));
      await flow.mailboxOpen('INBOX');
      return flow;
    }),
  );
  await Promise.all(sessions.map((flow) => flow.messageFlagsAdd('1:*', ['\\Seen', '$Wide'])));
  for (const flow of sessions) {
    assert.deepEqual(await flow.search({ seen: false }), [], 'every message is seen');
    assert.equal((await flow.search({ keyword: '$Wide' }))!.length, size);
  }
  await Promise.all(sessions.map((flow) => flow.messageFlagsRemove('1:50', ['$Wide'])));
  await Promise.all(sessions.map((flow) => flow.messageMove('1:*', 'Archive')));
  for (const flow of sessions) {
    assert.equal(flow.mailbox && flow.mailbox.exists, 0);
    await flow.mailboxOpen('Archive');
    assert.equal((await flow.search({ keyword: '$Wide' }))!.length, size - 50, 'flags moved along');
  }
  await Promise.all(sessions.map((flow) => flow.messageDelete('1:*')));
  for (const flow of sessions) {
    const archive = await flow.status('Archive', { messages: true, unseen: true });
    assert.deepEqual([archive.messages, archive.unseen], [0, 0]);
    await flow.logout();
  }
});

test('CREATE, RENAME (with children), SUBSCRIBE and DELETE mailboxes', async () => {
  const flow = client();
  await flow.connect();
  await flow.mailboxCreate('Projects/Alpha');
  await flow.append('Projects/Alpha', message('alpha'));
  await flow.mailboxRename('Projects', 'Work');
  const paths = (await flow.list()).map((box) => box.path);
  assert.ok(paths.includes('Work') && paths.includes('Work/Alpha'));
  assert.ok(!paths.includes('Projects/Alpha'));
  assert.equal(
    (await flow.status('Work/Alpha', { messages: true })).messages,
    1,
    'messages stay with the renamed mailbox',
  );
  await flow.mailboxUnsubscribe('Work/Alpha');
  const afterUnsubscribe = await flow.list();
  assert.notEqual(
    afterUnsubscribe.find((box) => box.path === 'Work/Alpha')?.subscribed,
    true,
    'unsubscribed',
  );
  assert.equal(
    afterUnsubscribe.find((box) => box.path === 'Work')?.subscribed,
    true,
    'the parent stays subscribed',
  );
  await flow.mailboxDelete('Work/Alpha');
  assert.ok(!(await flow.list()).some((box) => box.path === 'Work/Alpha'));
  await assert.rejects(flow.mailboxDelete('INBOX'));
  assert.equal(
    (await flow.mailboxCreate('Trash')).created,
    false,
    'an existing name cannot be created again',
  );
  await flow.logout();
});

test('RENAME INBOX moves its messages to the new mailbox and leaves INBOX empty (RFC 3501 6.3.5)', async () => {
  await imap.createUser('inboxrename@example.com');
  const flow = client('inboxrename@example.com');
  await flow.connect();
  await flow.append('INBOX', message('keep me'));
  await flow.mailboxRename('INBOX', 'Old Inbox');
  assert.equal((await flow.status('INBOX', { messages: true })).messages, 0);
  assert.equal((await flow.status('Old Inbox', { messages: true })).messages, 1);
  await flow.logout();
});

test('CONDSTORE: HIGHESTMODSEQ on SELECT, MODSEQ in FETCH, CHANGEDSINCE and UNCHANGEDSINCE', async () => {
  await imap.createUser('condstore@example.com');
  const flow = client('condstore@example.com');
  await flow.connect();
  await flow.append('INBOX', message('c1'));
  await flow.append('INBOX', message('c2'));
  const lock = await flow.getMailboxLock('INBOX');
  try {
    const start = flow.mailbox && flow.mailbox.highestModseq;
    assert.equal(start, 3n, 'one MODSEQ for the creation, one per message');
    await flow.messageFlagsAdd('1', ['\\Seen'], { uid: true });
    const changed = [];
    for await (const item of flow.fetch('1:*', { uid: true, flags: true }, { uid: true, changedSince: 3n }))
      changed.push(item.uid);
    assert.deepEqual(changed, [1]);
    await flow.messageFlagsAdd('2', ['\\Flagged'], { uid: true, unchangedSince: 2n });
    const [second] = await collect(flow.fetch('2', { uid: true, flags: true }, { uid: true }));
    assert.deepEqual(
      [...(second?.flags ?? [])],
      [],
      'UNCHANGEDSINCE older than the message leaves it unchanged',
    );
  } finally {
    lock.release();
  }
  await flow.logout();
});

test('STORE UNCHANGEDSINCE: messages changed since are reported MODIFIED and left alone, the others change', async () => {
  await imap.createUser('unchanged@example.com');
  const raw = await RawImapClient.open(imap.port);
  await raw.command('LOGIN unchanged@example.com secretpass');
  for (const subject of ['u1', 'u2', 'u3'])
    await raw.command(`APPEND INBOX {${16 + subject.length}+}\r\nSubject: ${subject}\r\n\r\nx\r\n`);
  await raw.command('ENABLE CONDSTORE');
  const selected = await raw.command('SELECT INBOX');
  const highest = Number(/HIGHESTMODSEQ (\d+)/.exec(selected)?.[1]);
  await raw.command('UID STORE 2 +FLAGS.SILENT (\\Flagged)');
  const response = await raw.command(`UID STORE 1:3 (UNCHANGEDSINCE ${highest}) +FLAGS (\\Seen)`);
  assert.match(response, /OK \[MODIFIED 2\]/, response);
  const flags = await raw.command('UID FETCH 1:3 (FLAGS)');
  assert.match(flags, /UID 1 FLAGS \(\\Seen\)/);
  assert.match(flags, /UID 2 FLAGS \(\\Flagged\)/);
  assert.match(flags, /UID 3 FLAGS \(\\Seen\)/);
  raw.close();
});

test('IDLE tells one connection at once about a message another connection appends', async () => {
  await imap.createUser('idle@example.com');
  const watcher = client('idle@example.com');
  const writer = client('idle@example.com');
  await watcher.connect();
  await writer.connect();
  await watcher.mailboxOpen('INBOX');
  void watcher.idle();
  const exists = new Promise<number>((resolve) =>
    watcher.on('exists', (data: { count: number }) => resolve(data.count)),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = Date.now();
  await writer.append('INBOX', message('ping'));
  assert.equal(await exists, 1);
  assert.ok(Date.now() - started < 2000, 'pushed within two seconds');
  await writer.logout();
  await watcher.logout();
});

test('QUOTA: GETQUOTAROOT reports usage, an APPEND over quota answers NO [OVERQUOTA]', async () => {
  const raw = await RawImapClient.open(imap.port);
  assert.match(await raw.command('LOGIN quota@example.com secretpass'), /OK/);
  assert.match(await raw.command('GETQUOTAROOT INBOX'), /\* QUOTA "" \(STORAGE 0 20\)/);
  const big = Buffer.alloc(30 * 1024, 'a');
  raw.write(`A1 APPEND INBOX {${big.length + 2}}\r\n`);
  const answer = await raw.waitFor(/^(\+ |A1 )/m);
  if (answer.startsWith('+')) {
    raw.write(Buffer.concat([big, Buffer.from('\r\n\r\n')]));
    assert.match(await raw.waitFor(/^A1 /m), /A1 NO \[OVERQUOTA\]/);
  } else {
    assert.match(answer, /A1 NO \[OVERQUOTA\]/);
  }
  assert.match(await raw.command('STATUS INBOX (MESSAGES)'), /MESSAGES 0/);
  raw.close();
});

test('a malformed command gets a tagged BAD and the session goes on', async () => {
  const raw = await RawImapClient.open(imap.port);
  assert.match(await raw.command('LOGIN alice@example.com secretpass'), /OK/);
  assert.match(await raw.command('SELECT'), /^T2 BAD/m);
  assert.match(await raw.command('FETCH 1:* (FLAGS'), /^T3 BAD/m);
  assert.match(await raw.command('NOPE'), /^T4 BAD/m);
  assert.match(await raw.command('SELECT INBOX'), /T5 OK \[READ-WRITE\]/);
  assert.doesNotMatch(await raw.command('FETCH 1:* FLAGS'), /\\Recent/);
  raw.close();
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
