// RFC 3501 7.2.6: a keyword the session was not told of is announced with FLAGS and
// PERMANENTFLAGS before the first FETCH that shows it, whoever set it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, sampleMessage, startTestServer, type TestServer } from './support/test-server.js';
import type { Transcript } from './support/transcript.js';

const SYSTEM = '\\Answered \\Flagged \\Deleted \\Seen \\Draft';

async function twoSessions(run: (a: Transcript, b: Transcript, server: TestServer) => Promise<void>) {
  const server = await startTestServer();
  try {
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('one'));
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('two'));
    const a = await server.login();
    const b = await server.login();
    await a.command('a0', 'SELECT INBOX');
    await b.command('b0', 'SELECT INBOX');
    await run(a, b, server);
  } finally {
    await server.close();
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

function flagsLine(untagged: readonly string[]): string | undefined {
  return untagged.find((line) => line.startsWith('* FLAGS '));
}

test('STORE of a new keyword announces FLAGS and PERMANENTFLAGS before its FETCH', async () => {
  await twoSessions(async (a) => {
    const { untagged } = await a.command('a1', 'STORE 1 +FLAGS ($NewKeyword)');
    assert.deepEqual(untagged, [
      `* FLAGS (${SYSTEM} $NewKeyword)`,
      `* OK [PERMANENTFLAGS (${SYSTEM} $NewKeyword \\*)] Flags permitted`,
      '* 1 FETCH (FLAGS ($NewKeyword))',
    ]);
    // announced once: the second use says nothing more, in any case of the name
    const again = await a.command('a2', 'STORE 2 +FLAGS ($newkeyword)');
    assert.deepEqual(again.untagged, ['* 2 FETCH (FLAGS ($newkeyword))']);
  });
});

test('a keyword set by another session is announced before the change report (NOOP and IDLE)', async () => {
  await twoSessions(async (a, b) => {
    await b.command('b1', 'STORE 1 +FLAGS.SILENT ($Phishing)');
    await settle();
    const { untagged } = await a.command('a1', 'NOOP');
    assert.deepEqual(untagged, [
      `* FLAGS (${SYSTEM} $Phishing)`,
      `* OK [PERMANENTFLAGS (${SYSTEM} $Phishing \\*)] Flags permitted`,
      '* 1 FETCH (UID 1 FLAGS ($Phishing))',
    ]);
    a.send('a2 IDLE');
    assert.equal(await a.readLine(), '+ idling');
    await b.command('b2', 'STORE 2 +FLAGS.SILENT (Work)');
    assert.equal(await a.readLine(), `* FLAGS (${SYSTEM} $Phishing Work)`);
    assert.equal(await a.readLine(), `* OK [PERMANENTFLAGS (${SYSTEM} $Phishing Work \\*)] Flags permitted`);
    assert.equal(await a.readLine(), '* 2 FETCH (UID 2 FLAGS (Work))');
    a.send('DONE');
    assert.match(await a.readLine(), /^a2 OK/);
  });
});

test('FETCH FLAGS announces a keyword first seen there (EXAMINE: PERMANENTFLAGS stays empty)', async () => {
  await twoSessions(async (a, b, server) => {
    await a.command('a1', 'EXAMINE INBOX');
    await server.backend.deliver(ALICE.username, 'INBOX', sampleMessage('three'), { flags: ['Urgent'] });
    await settle();
    // NOOP reports the new message; its flags are first shown by FETCH
    await a.expect('a2', 'NOOP', [/^\* 3 EXISTS$/, /^a2 OK/]);
    const { untagged } = await a.command('a3', 'FETCH 3 FLAGS');
    assert.deepEqual(untagged, [
      `* FLAGS (${SYSTEM} Urgent)`,
      '* OK [PERMANENTFLAGS ()] Flags permitted',
      '* 3 FETCH (FLAGS (Urgent))',
    ]);
    void b;
  });
});

test('SELECT lists keywords already in use, so FETCH does not announce them again', async () => {
  await twoSessions(async (a, b) => {
    await b.command('b1', 'STORE 1 +FLAGS.SILENT (Later)');
    const selected = await a.command('a1', 'SELECT INBOX');
    assert.equal(flagsLine(selected.untagged), `* FLAGS (${SYSTEM} Later)`);
    const { untagged } = await a.command('a2', 'FETCH 1 FLAGS');
    assert.deepEqual(untagged, ['* 1 FETCH (FLAGS (Later))']);
  });
});

test('the snapshot resync (history lost) announces a new keyword before the FETCH that shows it', async () => {
  await twoSessions(async (a, b, server) => {
    server.backend.changesSince = async () => null;
    await b.command('b1', 'STORE 2 +FLAGS.SILENT (Resynced)');
    await settle();
    const { untagged } = await a.command('a1', 'NOOP');
    assert.deepEqual(untagged, [
      '* 1 FETCH (UID 1 FLAGS ())',
      `* FLAGS (${SYSTEM} Resynced)`,
      `* OK [PERMANENTFLAGS (${SYSTEM} Resynced \\*)] Flags permitted`,
      '* 2 FETCH (UID 2 FLAGS (Resynced))',
    ]);
  });
});
