// Odd mailbox names on the real store: a name that is not valid modified UTF-7 (RFC 3501 5.1.3)
// fails the command with NO, as Dovecot answers, and never costs the connection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
before(async () => {
  imap = await startImap('mbnames');
  await imap.createUser('names@example.com');
});
after(async () => {
  await imap.close();
});

async function signedIn(): Promise<RawImapClient> {
  const raw = await RawImapClient.open(imap.port);
  assert.match(await raw.command('LOGIN names@example.com secretpass'), /^T1 OK/m);
  return raw;
}

test('a mailbox name that is not valid modified UTF-7 answers NO, not BAD, in every mailbox command', async () => {
  const raw = await signedIn();
  try {
    for (const command of [
      'CREATE "a&Jjo"',
      'DELETE "a&Jjo"',
      'RENAME INBOX "a&Jjo"',
      'RENAME "a&Jjo" Other',
      'SUBSCRIBE "&2D3-"',
      'UNSUBSCRIBE "&AGE-"',
      'STATUS "&Jjo" (MESSAGES)',
      'SELECT "a&b"',
      'EXAMINE "&,,,-"',
      'GETQUOTAROOT "&Jjo"',
      'APPEND "&Jjo" {5+}\r\nHi\r\n\r',
    ]) {
      const answer = await raw.command(command);
      assert.match(answer, /^T\d+ NO .*modified UTF-7/m, `${command}: ${answer}`);
    }
    assert.match(await raw.command('SELECT INBOX'), /^T\d+ OK/m);
    assert.match(await raw.command('COPY 1:* "a&Jjo"'), /^T\d+ NO /m);
    assert.match(await raw.command('MOVE 1:* "a&Jjo"'), /^T\d+ NO /m);
    assert.match(await raw.command('NOOP'), /^T\d+ OK/m);
  } finally {
    raw.close();
  }
});

test('LIST and LSUB with a pattern that is not valid modified UTF-7 answer OK with nothing, and the session goes on', async () => {
  const raw = await signedIn();
  try {
    for (const command of [
      'LIST "" "&Jjo%*"',
      'LIST "" "a&b%*"',
      'LIST "" &Jjo%*',
      'LIST "" {6+}\r\n&Jjo%*',
      'LIST "&Jjo" "%*"',
      'LIST (SUBSCRIBED) "" ("&Jjo%*" "&2D3-*")',
      'LSUB "" "&Jjo%*"',
      'LSUB "&Jjo" "*"',
    ]) {
      const answer = await raw.command(command);
      assert.match(answer, /^T\d+ OK (LIST|LSUB) completed\r\n$/, `${command}: ${answer}`);
    }
    // a valid pattern beside an invalid one still lists what it matches
    assert.match(await raw.command('LIST "" ("&Jjo%*" "INBOX")'), /^\* LIST \([^)]*\) "\/" "?INBOX"?\r\n/m);
    assert.match(await raw.command('NOOP'), /^T\d+ OK/m);
  } finally {
    raw.close();
  }
});

test('with UTF8=ACCEPT, a name that is not valid UTF-8 answers NO', async () => {
  const raw = await signedIn();
  try {
    assert.match(await raw.command('ENABLE UTF8=ACCEPT'), /^T\d+ OK/m);
    const answer = await raw.command(Buffer.from('CREATE "bad\xff\xfename"', 'latin1'));
    assert.match(answer, /^T\d+ NO .*not valid UTF-8/m);
    assert.doesNotMatch(await raw.command('LIST "" "*"'), /bad/);
    assert.match(
      await raw.command(Buffer.from('LIST "" "\xff%*"', 'latin1')),
      /^T\d+ OK LIST completed\r\n$/,
    );
  } finally {
    raw.close();
  }
});

test('LIST with many wildcards against a long name answers at once (no exponential matching)', async () => {
  const raw = await signedIn();
  try {
    assert.match(await raw.command(`CREATE "${'a'.repeat(60)}"`), /^T\d+ OK/m);
    const started = Date.now();
    const answer = await raw.command(`LIST "" "${'%*'.repeat(20)}x"`);
    assert.match(answer, /^T\d+ OK LIST completed\r\n$/);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    // the matcher still matches what it should
    const all = await raw.command(`LIST "" "%a*%a"`);
    assert.match(all, new RegExp(`"${'a'.repeat(60)}"`));
    assert.match(await raw.command('LIST "" "inBOX"'), /^\* LIST \([^)]*\) "\/" "?INBOX"?\r\n/m);
    assert.match(await raw.command('NOOP'), /^T\d+ OK/m);
  } finally {
    raw.close();
  }
});
