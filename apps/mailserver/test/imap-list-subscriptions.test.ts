// LIST-EXTENDED (RFC 5258) and LSUB (RFC 3501 6.3.9) on the real store: subscriptions outlive
// their mailbox, RECURSIVEMATCH tells of subscribed names the pattern leaves out, and LSUB "%"
// shows an unsubscribed parent of a subscribed child as \Noselect. Expected answers are those of
// RFC 5258's examples, checked against Dovecot 2.3.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
let raw: RawImapClient;

before(async () => {
  imap = await startImap('listsubs');
  await imap.createUser('subs@example.com');
  raw = await RawImapClient.open(imap.port);
  assert.match(await raw.command('LOGIN subs@example.com secretpass'), /^T1 OK/m);
  // RFC 5258 example 8's hierarchy; new mailboxes start subscribed here, so the example's
  // unsubscribed ones are unsubscribed after creation
  for (const path of [
    'Foo2/Bar1',
    'Foo2/Bar2',
    'Baz2/Bar2',
    'Baz2/Bar22',
    'Baz2/Bar222',
    'Eps2/Mamba',
    'Qux2/Bar2',
  ])
    assert.match(await raw.command(`CREATE ${path}`), /^T\d+ OK/m);
  for (const path of ['Foo2', 'Baz2', 'Qux2', 'INBOX', 'Drafts', 'Sent Mail', 'Junk', 'Trash', 'Archive'])
    assert.match(await raw.command(`UNSUBSCRIBE "${path}"`), /^T\d+ OK/m);
});
after(async () => {
  raw.close();
  await imap.close();
});

/** The untagged lines of an answer. */
function lines(answer: string): string[] {
  return answer.split('\r\n').filter((line) => line.startsWith('* '));
}

test('LIST (RECURSIVEMATCH SUBSCRIBED) "" "*2": CHILDINFO only on names with a subscribed name below that the pattern leaves out (RFC 5258 example 8)', async () => {
  assert.deepEqual(lines(await raw.command('LIST (RECURSIVEMATCH SUBSCRIBED) "" "*2"')), [
    // in path order (Dovecot answers in creation order: the RFC sets none)
    '* LIST (\\HasNoChildren \\Subscribed) "/" "Baz2/Bar2"',
    '* LIST (\\HasNoChildren \\Subscribed) "/" "Baz2/Bar22"',
    '* LIST (\\HasNoChildren \\Subscribed) "/" "Baz2/Bar222"',
    '* LIST (\\HasChildren \\Subscribed) "/" "Eps2" ("CHILDINFO" ("SUBSCRIBED"))',
    '* LIST (\\HasChildren) "/" "Foo2" ("CHILDINFO" ("SUBSCRIBED"))',
    '* LIST (\\HasNoChildren \\Subscribed) "/" "Foo2/Bar2"',
    '* LIST (\\HasNoChildren \\Subscribed) "/" "Qux2/Bar2"',
  ]);
  assert.deepEqual(lines(await raw.command('LIST (SUBSCRIBED RECURSIVEMATCH) "" "%"')), [
    '* LIST (\\HasChildren) "/" "Baz2" ("CHILDINFO" ("SUBSCRIBED"))',
    '* LIST (\\HasChildren \\Subscribed) "/" "Eps2" ("CHILDINFO" ("SUBSCRIBED"))',
    '* LIST (\\HasChildren) "/" "Foo2" ("CHILDINFO" ("SUBSCRIBED"))',
    '* LIST (\\HasChildren) "/" "Qux2" ("CHILDINFO" ("SUBSCRIBED"))',
  ]);
});

test('LIST "" "%" RETURN (CHILDREN SUBSCRIBED) sets \\HasChildren and \\Subscribed right', async () => {
  assert.deepEqual(lines(await raw.command('LIST "" "%" RETURN (CHILDREN SUBSCRIBED)')), [
    '* LIST (\\HasNoChildren) "/" "INBOX"',
    '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
    '* LIST (\\HasChildren) "/" "Baz2"',
    '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
    '* LIST (\\HasChildren \\Subscribed) "/" "Eps2"',
    '* LIST (\\HasChildren) "/" "Foo2"',
    '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
    '* LIST (\\HasChildren) "/" "Qux2"',
    '* LIST (\\HasNoChildren \\Sent) "/" "Sent Mail"',
    '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
  ]);
});

test('LSUB "" "%" lists an unsubscribed parent of a subscribed child as \\Noselect (RFC 3501 6.3.9)', async () => {
  assert.deepEqual(lines(await raw.command('LSUB "" "%"')), [
    '* LSUB (\\Noselect) "/" "Baz2"',
    '* LSUB () "/" "Eps2"',
    '* LSUB (\\Noselect) "/" "Foo2"',
    '* LSUB (\\Noselect) "/" "Qux2"',
  ]);
  assert.deepEqual(lines(await raw.command('LSUB "" "Eps2/*"')), ['* LSUB () "/" "Eps2/Mamba"']);
});

test('DELETE keeps the subscription: LIST (SUBSCRIBED) shows it \\NonExistent, LSUB still lists it, UNSUBSCRIBE drops it', async () => {
  const other = await RawImapClient.open(imap.port);
  try {
    assert.match(await other.command('LOGIN subs@example.com secretpass'), /^T1 OK/m);
    assert.match(await other.command('CREATE Gone/Child'), /^T\d+ OK/m);
    assert.match(await other.command('UNSUBSCRIBE Gone'), /^T\d+ OK/m);
    assert.match(await other.command('DELETE Gone/Child'), /^T\d+ OK/m);
    assert.match(await other.command('DELETE Gone'), /^T\d+ OK/m);
    assert.deepEqual(lines(await other.command('LIST (SUBSCRIBED) "" "Gone*"')), [
      '* LIST (\\NonExistent \\Subscribed) "/" "Gone/Child"',
    ]);
    // a name that does not exist is never listed by a plain LIST, nor given STATUS
    assert.deepEqual(lines(await other.command('LIST "" "Gone*" RETURN (SUBSCRIBED STATUS (MESSAGES))')), []);
    assert.deepEqual(
      lines(await other.command('LIST (SUBSCRIBED RECURSIVEMATCH) "" "%" RETURN (STATUS (MESSAGES))')).filter(
        (line) => line.includes('Gone'),
      ),
      ['* LIST (\\NonExistent) "/" "Gone" ("CHILDINFO" ("SUBSCRIBED"))'],
    );
    assert.deepEqual(lines(await other.command('LSUB "" "Gone*"')), ['* LSUB () "/" "Gone/Child"']);
    assert.deepEqual(
      lines(await other.command('LSUB "" "%"')).filter((line) => line.includes('Gone')),
      ['* LSUB (\\Noselect) "/" "Gone"'],
    );
    // the session that did not delete (its mailbox list is kept in the process) sees the same
    assert.deepEqual(lines(await raw.command('LIST (SUBSCRIBED) "" "Gone*"')), [
      '* LIST (\\NonExistent \\Subscribed) "/" "Gone/Child"',
    ]);
    // created again, the name is a subscribed mailbox again; unsubscribed, it is gone from the list
    assert.match(await other.command('CREATE Gone/Child'), /^T\d+ OK/m);
    assert.deepEqual(lines(await other.command('LIST (SUBSCRIBED) "" "Gone/*"')), [
      '* LIST (\\HasNoChildren \\Subscribed) "/" "Gone/Child"',
    ]);
    assert.match(await other.command('DELETE Gone/Child'), /^T\d+ OK/m);
    assert.match(await other.command('UNSUBSCRIBE Gone/Child'), /^T\d+ OK/m);
    assert.deepEqual(lines(await other.command('LIST (SUBSCRIBED) "" "Gone/*"')), []);
    assert.deepEqual(lines(await other.command('LSUB "" "Gone/*"')), []);
    // subscribing to a name without a mailbox is refused, as before
    assert.match(await other.command('SUBSCRIBE Nowhere'), /^T\d+ NO \[NONEXISTENT\]/m);
  } finally {
    other.close();
  }
});
