// SELECT and EXAMINE name the first unseen message with `OK [UNSEEN n]` (RFC 3501 6.3.1), and
// say nothing of it when every message is seen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, sampleMessage, startTestServer } from './support/test-server.js';

test('SELECT and EXAMINE send OK [UNSEEN n] with the sequence number of the first unseen message', async () => {
  const server = await startTestServer();
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('one'), { flags: ['\\Seen'] });
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('two'), { flags: ['\\Seen'] });
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('three'));
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('four'));
    const client = await server.login();
    for (const name of ['SELECT', 'EXAMINE']) {
      const { untagged } = await client.command('a1', `${name} INBOX`);
      assert.deepEqual(
        untagged.filter((line) => line.includes('UNSEEN')),
        ['* OK [UNSEEN 3] First unseen'],
      );
      const recent = untagged.indexOf('* 0 RECENT');
      assert.equal(untagged[recent + 1], '* OK [UNSEEN 3] First unseen', 'after RECENT, as in RFC 3501');
    }
    await client.command('a2', 'SELECT INBOX');
    await client.command('a3', 'STORE 3:4 +FLAGS.SILENT (\\Seen)');
    const { untagged } = await client.command('a4', 'SELECT INBOX');
    assert.ok(!untagged.some((line) => line.includes('UNSEEN')), untagged.join('\n'));
    const empty = await client.command('a5', 'SELECT Trash');
    assert.ok(!empty.untagged.some((line) => line.includes('UNSEEN')), empty.untagged.join('\n'));
  } finally {
    await server.close();
  }
});
