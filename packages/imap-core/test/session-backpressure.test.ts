// Output back-pressure: a FETCH to a client that does not read pulls messages from the store
// only as fast as the socket drains, so the server never holds the whole mailbox in memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { FetchQuery, FetchedMessage, ImapUser } from '../src/backend.js';
import { ALICE, startTestServer } from './support/test-server.js';

const MESSAGE_COUNT = 60;
const MESSAGE_SIZE = 1024 * 1024;

test('FETCH to a client that stops reading stops pulling messages from the store', async () => {
  const server = await startTestServer();
  const body = 'x'.repeat(MESSAGE_SIZE - 100) + '\r\n';
  for (let index = 0; index < MESSAGE_COUNT; index++) {
    await server.backend.deliver(ALICE.username, 'INBOX', `Subject: big ${index}\r\n\r\n${body}`);
  }
  let yielded = 0;
  const originalFetch = server.backend.fetch.bind(server.backend);
  server.backend.fetch = async function* (
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    query: FetchQuery,
  ) {
    for await (const message of originalFetch(user, mailboxId, uids, query)) {
      yielded += 1;
      yield message as FetchedMessage;
    }
  };
  const socket = net.connect({ port: server.port, host: '127.0.0.1' });
  try {
    let receivedBytes = 0;
    let tail = '';
    socket.on('data', (chunk: Buffer) => {
      receivedBytes += chunk.length;
      tail = (tail + chunk.toString('latin1')).slice(-4096);
    });
    const waitFor = async (pattern: RegExp) => {
      for (let attempt = 0; attempt < 1000 && !pattern.test(tail); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.match(tail, pattern);
    };
    socket.write(`a LOGIN "${ALICE.username}" "${ALICE.password}"\r\nb SELECT INBOX\r\n`);
    await waitFor(/\r\nb OK/);
    socket.pause();
    receivedBytes = 0;
    yielded = 0;
    socket.write('c FETCH 1:* BODY.PEEK[]\r\n');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(
      yielded < MESSAGE_COUNT / 2,
      `the store was read ${yielded} messages ahead of a client that reads nothing`,
    );
    socket.resume();
    await waitFor(/\r\nc OK FETCH completed\r\n$/);
    assert.equal(yielded, MESSAGE_COUNT);
    assert.ok(receivedBytes > MESSAGE_COUNT * MESSAGE_SIZE * 0.99);
  } finally {
    socket.destroy();
    await server.close();
  }
});
