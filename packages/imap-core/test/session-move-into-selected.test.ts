// COPY or MOVE into the mailbox that is selected: the new message is announced with EXISTS
// (RFC 3501 7.3.1), and for MOVE the expunge of the original too (RFC 6851 3.3).
import { test } from 'node:test';
import { ALICE, sampleMessage, startTestServer } from './support/test-server.js';
import type { Transcript } from './support/transcript.js';

async function withInbox(run: (client: Transcript) => Promise<void>): Promise<void> {
  const server = await startTestServer();
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('one'));
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('two'));
    const client = await server.login();
    await client.command('s0', 'SELECT INBOX');
    await run(client);
  } finally {
    await server.close();
  }
}

test('COPY into the selected mailbox reports the copy with EXISTS', async () => {
  await withInbox(async (client) => {
    await client.expect('a1', 'COPY 1 INBOX', [
      /^\* 3 EXISTS$/,
      /^a1 OK \[COPYUID \d+ 1 3\] COPY completed$/,
    ]);
    await client.expect('a2', 'UID FETCH 3 UID', [/^\* 3 FETCH \(UID 3\)$/, /^a2 OK/]);
  });
});

test('MOVE and UID MOVE into the selected mailbox report EXISTS and the expunge', async () => {
  await withInbox(async (client) => {
    await client.expect('a1', 'MOVE 1 INBOX', [
      /^\* OK \[COPYUID \d+ 1 3\] Moved$/,
      /^\* 3 EXISTS$/,
      /^\* 1 EXPUNGE$/,
      /^a1 OK MOVE completed$/,
    ]);
    await client.expect('a2', 'UID MOVE 2 INBOX', [
      /^\* OK \[COPYUID \d+ 2 4\] Moved$/,
      /^\* 3 EXISTS$/,
      /^\* 1 EXPUNGE$/,
      /^a2 OK MOVE completed$/,
    ]);
    await client.expect('a3', 'UID SEARCH ALL', [/^\* SEARCH 3 4$/, /^a3 OK/]);
  });
});
