/**
 * The pure parts of serving other users' mailboxes over IMAP: SEARCH keys on \Seen turned into the
 * reader's own seen UIDs, and the LIST entries of shared mailboxes with their \Noselect levels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import type { SearchQuery } from '@wildduck/imap-core';
import type { AccessibleMailbox } from '@wildduck/mail-service';
import type { MailboxDocument } from '@wildduck/store';
import { asksSeen, withReaderSeen, withSeenOf } from '../src/imap/reader-seen.js';
import { sharedListEntries } from '../src/imap/shared-listing.js';

test('SEEN and UNSEEN ask the reader\u2019s own seen UIDs, wherever they are in the query', () => {
  const query: SearchQuery = {
    type: 'and',
    keys: [
      { type: 'flag', flag: '\\Seen', set: false },
      {
        type: 'or',
        left: { type: 'flag', flag: '\\Flagged', set: true },
        right: { type: 'flag', flag: '\\seen', set: true },
      },
    ],
  };
  assert.equal(asksSeen(query), true);
  assert.equal(asksSeen({ type: 'flag', flag: '\\Flagged', set: true }), false);
  assert.deepEqual(withReaderSeen(query, [2, 5]), {
    type: 'and',
    keys: [
      { type: 'not', key: { type: 'uid', uids: [2, 5] } },
      {
        type: 'or',
        left: { type: 'flag', flag: '\\Flagged', set: true },
        right: { type: 'uid', uids: [2, 5] },
      },
    ],
  });
});

test('fetched flags get the reader\u2019s \\Seen instead of the owner\u2019s', () => {
  const seen = (uid: number) => uid === 2;
  assert.deepEqual(withSeenOf({ uid: 1, flags: ['\\Seen', '\\Flagged'] }, seen).flags, ['\\Flagged']);
  assert.deepEqual(withSeenOf({ uid: 2, flags: ['\\Answered'] }, seen).flags, ['\\Seen', '\\Answered']);
  assert.deepEqual(withSeenOf({ uid: 3, size: 10 }, seen), { uid: 3, size: 10 });
});

test('shared mailboxes are listed by their shared names, with the levels above them as \\Noselect', () => {
  const owner = new ObjectId();
  const entry = (path: string, rights: string): AccessibleMailbox => ({
    mailbox: { _id: new ObjectId(), user: owner, path } as MailboxDocument,
    owner,
    ownerAddress: 'bob@example.com',
    rights,
    name: `Other Users/bob@example.com/${path}`,
    shared: 'Other Users',
  });
  const entries = sharedListEntries(
    [entry('Team/2024', 'lr'), entry('Team', 'r'), entry('Hidden', 'r')],
    new Set(['Other Users/bob@example.com/Team/2024']),
  );
  assert.deepEqual(
    entries.map((each) => [each.path, !!each.noSelect, each.subscribed]),
    [
      ['Other Users/bob@example.com/Team/2024', false, true],
      ['Other Users', true, false],
      ['Other Users/bob@example.com', true, false],
      // without `l` the mailbox itself is not listed; its place in the hierarchy is
      ['Other Users/bob@example.com/Team', true, false],
    ],
  );
});
