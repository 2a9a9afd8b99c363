// A real client library against the server: imapflow completes a whole mail session (login,
// list, select, append, fetch with source download and bodyStructure, store, search, copy,
// move, expunge, idle with an EXISTS pushed by a second connection, logout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImapFlow } from 'imapflow';
import { ALICE, sampleMessage, startTestServer } from './support/test-server.js';

function connectClient(port: number): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user: ALICE.username, pass: ALICE.password },
    logger: false,
    disableAutoIdle: true,
  });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

test('imapflow completes login, list, select, append, fetch, store, search, copy, move, expunge, idle and logout', async () => {
  const server = await startTestServer();
  const client = connectClient(server.port);
  const other = connectClient(server.port);
  try {
    await client.connect();
    assert.ok(client.authenticated);

    const mailboxes = await client.list();
    const paths = mailboxes.map((mailbox) => mailbox.path);
    for (const path of ['INBOX', 'Drafts', 'Sent Mail', 'Junk', 'Trash', 'Archive'])
      assert.ok(paths.includes(path), path);
    assert.equal(mailboxes.find((mailbox) => mailbox.path === 'Sent Mail')?.specialUse, '\\Sent');

    const opened = await client.mailboxOpen('INBOX');
    assert.equal(opened.path, 'INBOX');
    assert.equal(opened.exists, 0);

    const first = sampleMessage('First message', 'First body\r\n');
    const appended = await client.append('INBOX', first, ['\\Seen']);
    assert.ok(appended);
    assert.equal(appended.uid, 1);
    await client.append('INBOX', sampleMessage('Second message', 'Second body\r\n'));
    await client.append('INBOX', sampleMessage('Third message', 'Third body\r\n'));
    await client.noop();
    assert.equal(client.mailbox && client.mailbox.exists, 3);

    const fetched = [];
    for await (const message of client.fetch('1:*', {
      uid: true,
      flags: true,
      envelope: true,
      bodyStructure: true,
      source: true,
    })) {
      fetched.push(message);
    }
    assert.equal(fetched.length, 3);
    assert.equal(fetched[0]?.envelope?.subject, 'First message');
    assert.equal(fetched[0]?.envelope?.from?.[0]?.address, 'sender@example.org');
    assert.ok(fetched[0]?.flags?.has('\\Seen'));
    assert.equal(fetched[0]?.bodyStructure?.type, 'text/plain');
    assert.equal(fetched[0]?.source?.toString(), first);

    const download = await client.download('1', undefined, { uid: true });
    assert.ok('content' in download && download.content);
    assert.equal((await readAll(download.content)).toString(), first);
    const part = await client.download('2', '1');
    assert.ok('content' in part && part.content);
    assert.equal((await readAll(part.content)).toString(), 'Second body\r\n');

    assert.ok(await client.messageFlagsAdd('2', ['\\Flagged']));
    const flagged = await client.fetchOne('2', { flags: true });
    assert.ok(flagged && flagged.flags?.has('\\Flagged'));

    assert.deepEqual(await client.search({ flagged: true }), [2]);
    assert.deepEqual(await client.search({ seen: false }, { uid: true }), [2, 3]);
    assert.deepEqual(await client.search({ subject: 'Third' }), [3]);

    const copied = await client.messageCopy('1:2', 'Archive');
    assert.ok(copied);
    assert.equal(copied.destination, 'Archive');
    assert.deepEqual(
      [...(copied.uidMap ?? new Map()).entries()],
      [
        [1, 1],
        [2, 2],
      ],
    );

    const moved = await client.messageMove('3', 'Trash');
    assert.ok(moved);
    assert.deepEqual([...(moved.uidMap ?? new Map()).entries()], [[3, 1]]);
    assert.equal(client.mailbox && client.mailbox.exists, 2);

    assert.ok(await client.messageDelete('1'));
    assert.equal(client.mailbox && client.mailbox.exists, 1);
    const status = await client.status('Archive', { messages: true });
    assert.ok(status);
    assert.equal(status.messages, 2);

    // IDLE: a second connection appends; the idling client hears EXISTS.
    const exists = new Promise<{ count: number; prevCount: number }>((resolve) =>
      client.on('exists', resolve),
    );
    const idling = client.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await other.connect();
    await other.append('INBOX', sampleMessage('Pushed while idling'));
    const event = await exists;
    assert.equal(event.count, 2);
    assert.equal(event.prevCount, 1);
    await client.noop(); // breaks IDLE with DONE
    await idling;

    await other.logout();
    await client.logout();
    assert.equal(client.usable, false);
  } finally {
    client.close();
    other.close();
    await server.close();
  }
});
