// NOTIFY (RFC 5465) end to end over real sockets: one session of a user sets its notifications,
// another session of the same user (or a delivery) makes changes, and the first one receives the
// untagged responses without sending a command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBackend } from './support/memory-backend.js';
import { ALICE, BOB, sampleMessage, startTestServer, type TestServer } from './support/test-server.js';
import type { Transcript } from './support/transcript.js';

/** A server with two logged-in sessions of alice: `watcher` sets NOTIFY, `actor` makes changes. */
async function withSessions(
  run: (watcher: Transcript, actor: Transcript, server: TestServer) => Promise<void>,
): Promise<void> {
  const server = await startTestServer();
  try {
    const watcher = await server.login();
    const actor = await server.login();
    await run(watcher, actor, server);
  } finally {
    await server.close();
  }
}

/** Appends `count` messages in one MULTIAPPEND command of `client`. */
async function append(client: Transcript, tag: string, mailbox: string, count = 1): Promise<void> {
  const message = sampleMessage(`to ${mailbox}`);
  client.send(`${tag} APPEND "${mailbox}" {${message.length}+}`);
  for (let index = 0; index < count; index++) {
    client.write(message + (index === count - 1 ? '\r\n' : ` {${message.length}+}\r\n`));
  }
  const { tagged } = await client.until(tag);
  assert.match(tagged, new RegExp(`^${tag} OK`));
}

/** Checks that nothing more is waiting for `client`: a NOOP gets only its OK. */
async function nothingPending(client: Transcript, tag: string): Promise<void> {
  const { untagged, tagged } = await client.command(tag, 'NOOP');
  assert.deepEqual(untagged, [], `unexpected: ${untagged.join('\n')}`);
  assert.match(tagged, new RegExp(`^${tag} OK`));
}

test('NOTIFY is announced when the backend reports mailbox events, and refused without them', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    const { untagged } = await client.command('c1', 'CAPABILITY');
    assert.match(untagged[0] ?? '', / NOTIFY( |$)/);
  } finally {
    await server.close();
  }
  const backend = new MemoryBackend({ users: [ALICE, BOB] });
  // the same store without watchMailboxes: an own property hides the prototype's method
  const withoutEvents = Object.assign(Object.create(backend) as MemoryBackend, { watchMailboxes: undefined });
  const plain = await startTestServer({ backend: withoutEvents });
  try {
    const client = await plain.login();
    const { untagged } = await client.command('c1', 'CAPABILITY');
    assert.doesNotMatch(untagged[0] ?? '', /NOTIFY/);
    await client.expect('c2', 'NOTIFY SET (PERSONAL (MessageNew MessageExpunge))', [/^c2 BAD /]);
  } finally {
    await plain.close();
  }
});

test('new and expunged messages of another mailbox arrive as STATUS without a command (RFC 5465 5.2, 5.3)', async () => {
  await withSessions(async (watcher, actor) => {
    await watcher.expect('n1', 'NOTIFY SET (PERSONAL (MessageNew MessageExpunge))', [/^n1 OK/]);
    await append(actor, 'a1', 'Archive');
    assert.match(
      await watcher.readLine(),
      /^\* STATUS "?Archive"? \(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \d+ UNSEEN 1\)$/,
    );
    await actor.command('a2', 'SELECT Archive');
    await actor.command('a3', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    await actor.command('a4', 'EXPUNGE');
    // the flag change was not asked for: only the expunge is told
    assert.match(
      await watcher.readLine(),
      /^\* STATUS "?Archive"? \(MESSAGES 0 UIDNEXT 2 UIDVALIDITY \d+ UNSEEN 0\)$/,
    );
    await nothingPending(watcher, 'n2');
  });
});

test('a burst of new messages in one mailbox becomes one STATUS', async () => {
  await withSessions(async (watcher, actor) => {
    await watcher.expect('n1', 'NOTIFY SET (MAILBOXES Trash (MessageNew MessageExpunge))', [/^n1 OK/]);
    await append(actor, 'a1', 'Trash', 3);
    assert.match(await watcher.readLine(), /^\* STATUS "?Trash"? \(MESSAGES 3 UIDNEXT 4 /);
    await append(actor, 'a2', 'Archive');
    await nothingPending(watcher, 'n2');
  });
});

test('flag changes of another mailbox: STATUS with UIDVALIDITY, UNSEEN and, under CONDSTORE, HIGHESTMODSEQ (5.4)', async () => {
  await withSessions(async (watcher, actor, server) => {
    await server.backend.deliver(ALICE.username, 'Archive', sampleMessage('old'));
    await watcher.command('e1', 'ENABLE CONDSTORE');
    await watcher.expect('n1', 'NOTIFY SET (PERSONAL (MessageNew MessageExpunge FlagChange))', [/^n1 OK/]);
    await actor.command('a1', 'SELECT Archive');
    const { untagged } = await actor.command('a2', 'STORE 1 +FLAGS (\\Seen)');
    assert.equal(untagged.length, 1);
    const status = await server.backend.status(server.backend.requireUser(ALICE.username), 'Archive');
    assert.ok(!('ok' in status));
    assert.equal(
      await watcher.readLine(),
      `* STATUS "Archive" (UIDVALIDITY ${status.uidValidity} UNSEEN 0 HIGHESTMODSEQ ${status.highestModseq})`,
    );
  });
});

test('the selected mailbox: EXISTS with the MessageNew fetch attributes, FETCH FLAGS and EXPUNGE at once, never twice', async () => {
  await withSessions(async (watcher, actor) => {
    await watcher.command('s1', 'SELECT INBOX');
    await watcher.expect(
      'n1',
      'NOTIFY SET (SELECTED (MessageNew (UID FLAGS ENVELOPE) MessageExpunge FlagChange))',
      [/^n1 OK/],
    );
    await append(actor, 'a1', 'INBOX');
    assert.equal(await watcher.readLine(), '* 1 EXISTS');
    assert.match(
      await watcher.readLine(),
      /^\* 1 FETCH \(UID 1 FLAGS \(\) ENVELOPE \("Mon, 7 Feb 1994 .*"to INBOX"/,
    );
    await actor.command('a2', 'SELECT INBOX');
    await actor.command('a3', 'STORE 1 +FLAGS.SILENT (\\Flagged \\Deleted)');
    assert.equal(await watcher.readLine(), '* 1 FETCH (UID 1 FLAGS (\\Flagged \\Deleted))');
    await actor.command('a4', 'EXPUNGE');
    assert.equal(await watcher.readLine(), '* 1 EXPUNGE');
    // what NOTIFY delivered is not delivered again at the next command
    await nothingPending(watcher, 's2');
    await watcher.expect('s3', 'SEARCH ALL', [/^\* SEARCH$/, /^s3 OK/]);
  });
});

test('SELECTED-DELAYED: new messages at once, expunges wait for a command that may carry them', async () => {
  await withSessions(async (watcher, actor, server) => {
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('first'));
    await watcher.command('s1', 'SELECT INBOX');
    await watcher.expect('n1', 'NOTIFY SET (SELECTED-DELAYED (MessageNew MessageExpunge))', [/^n1 OK/]);
    await append(actor, 'a1', 'INBOX');
    assert.equal(await watcher.readLine(), '* 2 EXISTS');
    await actor.command('a2', 'SELECT INBOX');
    await actor.command('a3', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    await actor.command('a4', 'EXPUNGE');
    assert.equal(await watcher.readLine(), '* 1 FETCH (UID 1 FLAGS (\\Deleted))');
    // the expunged message keeps its number until a command that may carry the EXPUNGE
    await watcher.expect('s2', 'FETCH 2 (UID)', [/^\* 2 FETCH \(UID 2\)$/, /^s2 OK/]);
    await watcher.expect('s3', 'NOOP', [/^\* 1 EXPUNGE$/, /^s3 OK/]);
  });
});

test('without a SELECTED filter the selected mailbox is reported at the next command, as without NOTIFY', async () => {
  await withSessions(async (watcher, actor) => {
    await watcher.command('s1', 'SELECT INBOX');
    await watcher.expect('n1', 'NOTIFY SET (PERSONAL (MessageNew MessageExpunge))', [/^n1 OK/]);
    await append(actor, 'a1', 'INBOX');
    await append(actor, 'a2', 'Drafts');
    // the Drafts STATUS shows the notifications ran; INBOX, selected, got no STATUS
    assert.match(await watcher.readLine(), /^\* STATUS "?Drafts"? \(MESSAGES 1 /);
    await watcher.expect('s2', 'NOOP', [/^\* 1 EXISTS$/, /^s2 OK/]);
  });
});

test('mailbox names and subscriptions arrive as LIST (RFC 5465 5.6, 5.7)', async () => {
  await withSessions(async (watcher, actor) => {
    await watcher.expect('n1', 'NOTIFY SET (PERSONAL (MailboxName SubscriptionChange))', [/^n1 OK/]);
    await actor.command('a1', 'CREATE Projects');
    assert.equal(await watcher.readLine(), '* LIST () "/" "Projects"');
    await actor.command('a2', 'SUBSCRIBE Projects');
    assert.equal(await watcher.readLine(), '* LIST (\\Subscribed) "/" "Projects"');
    await actor.command('a3', 'RENAME Projects "Old Projects"');
    assert.equal(await watcher.readLine(), '* LIST () "/" "Old Projects" ("OLDNAME" ("Projects"))');
    await actor.command('a4', 'UNSUBSCRIBE "Old Projects"');
    assert.equal(await watcher.readLine(), '* LIST () "/" "Old Projects"');
    await actor.command('a5', 'DELETE "Old Projects"');
    assert.equal(await watcher.readLine(), '* LIST (\\NonExistent) "/" "Old Projects"');
    await actor.command('a6', 'CREATE Caf&AOk-');
    assert.equal(await watcher.readLine(), '* LIST () "/" "Caf&AOk-"', 'names in modified UTF-7');
    await nothingPending(watcher, 'n2');
  });
});

test('SUBSCRIBED follows subscriptions as they change; SUBTREE and MAILBOXES only their mailboxes', async () => {
  await withSessions(async (watcher, actor) => {
    await actor.command('a1', 'CREATE Lists/ietf');
    await actor.command('a2', 'CREATE Other');
    await watcher.expect(
      'n1',
      'NOTIFY SET (SUBSCRIBED (MessageNew MessageExpunge)) (SUBTREE Lists (MessageNew MessageExpunge)) (MAILBOXES Archive (MessageNew MessageExpunge))',
      [/^n1 OK/],
    );
    await append(actor, 'a3', 'Other');
    await append(actor, 'a4', 'Lists/ietf');
    assert.match(
      await watcher.readLine(),
      /^\* STATUS "?Lists\/ietf"? \(MESSAGES 1 /,
      'Other is not watched',
    );
    await actor.command('a5', 'SUBSCRIBE Other');
    await append(actor, 'a6', 'Other');
    assert.match(await watcher.readLine(), /^\* STATUS "?Other"? \(MESSAGES 2 /);
    await append(actor, 'a7', 'Archive');
    assert.match(await watcher.readLine(), /^\* STATUS "?Archive"? \(MESSAGES 1 /);
  });
});

test('NOTIFY SET STATUS sends STATUS for every matched mailbox but the selected one before its OK (RFC 5465 3.1)', async () => {
  await withSessions(async (watcher, actor, server) => {
    await server.backend.deliver(ALICE.username, 'Junk', sampleMessage('spam'));
    await watcher.command('s1', 'SELECT INBOX');
    const { untagged, tagged } = await watcher.command(
      'n1',
      'NOTIFY SET STATUS (SELECTED (MessageNew MessageExpunge)) (PERSONAL (MessageNew MessageExpunge))',
    );
    assert.match(tagged, /^n1 OK/);
    const named = untagged.map((line) => /^\* STATUS "?([^"(]+?)"? \(/.exec(line)?.[1]);
    assert.deepEqual(named.sort(), ['Archive', 'Drafts', 'Junk', 'Sent Mail', 'Trash']);
    assert.ok(
      untagged.some((line) =>
        /^\* STATUS "?Junk"? \(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \d+ UNSEEN 1\)$/.test(line),
      ),
    );
    await actor.command('a1', 'CREATE Later');
    await nothingPending(watcher, 'n2');
  });
});

test('the RFC 5465 example: selected MessageNew with header fields, a SUBTREE of lists', async () => {
  await withSessions(async (watcher, actor) => {
    await actor.command('a1', 'CREATE Lists/imap');
    await watcher.command('s1', 'SELECT INBOX');
    const { untagged } = await watcher.command(
      'c',
      'notify set status (selected (MessageNew (uid body.peek[header.fields (from to subject)]) MessageExpunge)) (subtree Lists (MessageNew MessageExpunge))',
    );
    assert.equal(untagged.length, 2, untagged.join('\n'));
    await append(actor, 'a2', 'INBOX');
    assert.equal(await watcher.readLine(), '* 1 EXISTS');
    const fetched = await watcher.readLine();
    assert.match(fetched, /^\* 1 FETCH \(UID 1 BODY\[HEADER\.FIELDS \(FROM TO SUBJECT\)\] \{\d+\}\r\n/i);
    assert.match(fetched, /Subject: to INBOX/);
    await append(actor, 'a3', 'Lists/imap');
    assert.match(await watcher.readLine(), /^\* STATUS "?Lists\/imap"? \(MESSAGES 1 /);
    await watcher.expect('s2', 'FETCH 1 FLAGS', [/^\* 1 FETCH \(FLAGS \(\)\)$/, /^s2 OK/]);
  });
});

test('notifications also arrive during IDLE', async () => {
  await withSessions(async (watcher, actor) => {
    await watcher.expect('n1', 'NOTIFY SET (PERSONAL (MessageNew MessageExpunge MailboxName))', [/^n1 OK/]);
    watcher.send('i1 IDLE');
    assert.equal(await watcher.readLine(), '+ idling');
    await actor.command('a1', 'CREATE During');
    assert.equal(await watcher.readLine(), '* LIST () "/" "During"');
    await append(actor, 'a2', 'During');
    assert.match(await watcher.readLine(), /^\* STATUS "?During"? \(MESSAGES 1 /);
    watcher.send('DONE');
    assert.match(await watcher.readLine(), /^i1 OK/);
  });
});

test('NOTIFY NONE stops every notification; LOGOUT and a dropped connection stop the backend events', async () => {
  await withSessions(async (watcher, actor, server) => {
    await watcher.expect('n1', 'NOTIFY SET (PERSONAL (MessageNew MessageExpunge MailboxName))', [/^n1 OK/]);
    assert.equal(server.backend.watcherCount(ALICE.username), 1);
    await watcher.expect('n2', 'NOTIFY NONE', [/^n2 OK/]);
    assert.equal(server.backend.watcherCount(ALICE.username), 0);
    await append(actor, 'a1', 'Archive');
    await actor.command('a2', 'CREATE Quiet');
    await nothingPending(watcher, 'n3');
    await watcher.expect('n4', 'NOTIFY SET (PERSONAL (MailboxName))', [/^n4 OK/]);
    await actor.expect('n5', 'NOTIFY SET (PERSONAL (MailboxName))', [/^n5 OK/]);
    assert.equal(server.backend.watcherCount(ALICE.username), 2);
    await watcher.expect('l1', 'LOGOUT', [/^\* BYE/, /^l1 OK/]);
    actor.close();
    await waitFor(() => server.backend.watcherCount(ALICE.username) === 0);
  });
});

test('unsupported events answer NO [BADEVENT] with the supported ones; malformed NOTIFY answers BAD; the session goes on', async () => {
  await withSessions(async (watcher) => {
    const badEvent =
      /^b\d NO \[BADEVENT \(MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange\)\] /;
    await watcher.expect('b1', 'NOTIFY SET (PERSONAL (MessageNew MessageExpunge AnnotationChange))', [
      badEvent,
    ]);
    await watcher.expect('b2', 'NOTIFY SET (PERSONAL (MailboxMetadataChange))', [badEvent]);
    await watcher.expect('b3', 'NOTIFY SET (PERSONAL (ServerMetadataChange))', [badEvent]);
    await watcher.expect('b4', 'NOTIFY SET (PERSONAL (MessageNew))', [/^b4 BAD /]);
    await watcher.expect('b5', 'NOTIFY SET (SELECTED (FlagChange))', [/^b5 BAD /]);
    await watcher.expect('b6', 'NOTIFY SET (PERSONAL (MailboxName)) (PERSONAL (MailboxName))', [/^b6 BAD /]);
    await watcher.expect('b7', 'NOTIFY SET (NOWHERE (MailboxName))', [/^b7 BAD /]);
    await watcher.expect('b8', 'NOTIFY SET (PERSONAL (MailboxName)', [/^b8 BAD /]);
    await watcher.expect('b9', 'NOTIFY', [/^b9 BAD /]);
    await watcher.expect('c1', 'NOOP', [/^c1 OK/]);
  });
  const server = await startTestServer();
  try {
    const client = await server.connect();
    await client.expect('x1', 'NOTIFY NONE', [/^x1 BAD /]);
  } finally {
    await server.close();
  }
});

/** Polls until `condition` holds (the server notices a dropped connection a moment later). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.ok(condition());
}
