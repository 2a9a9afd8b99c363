/** The conversation list's pages and cursors (pure): where a page starts, and what a cursor may be. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeThreadCursor,
  decodeThreadId,
  encodeThreadCursor,
  encodeThreadId,
} from '../src/mail/thread-cursor.js';
import { conversationPage } from '../src/mail/thread-index.js';

const conversation = (latestDate: number, latestUid: number) => ({
  rootUid: latestUid,
  key: `uid:${latestUid}`,
  uids: [latestUid],
  latestDate,
  latestUid,
});

test('a page starts after the position of the cursor, even when the list changed since', () => {
  // newest first; two arrived at the same time (the higher UID first)
  const list = [conversation(900, 9), conversation(800, 8), conversation(800, 7), conversation(100, 3)];
  assert.deepEqual(
    conversationPage(list, null, 2).page.map((item) => item.latestUid),
    [9, 8],
  );
  assert.equal(conversationPage(list, null, 2).hasNextPage, true);
  const after = conversationPage(list, { latestDate: 800, latestUid: 8 }, 2);
  assert.deepEqual(
    after.page.map((item) => item.latestUid),
    [7, 3],
  );
  assert.equal(after.hasNextPage, false);
  // the conversation the cursor named has gone (or moved up): the page still starts after its place
  assert.deepEqual(
    conversationPage(list, { latestDate: 500, latestUid: 5 }, 10).page.map((item) => item.latestUid),
    [3],
  );
  assert.deepEqual(conversationPage(list, { latestDate: 50, latestUid: 1 }, 10).page, []);
});

test('cursors and thread ids round-trip; anything else is refused', () => {
  const position = { latestDate: 1_796_000_000_000, latestUid: 4_294_967_295 };
  assert.deepEqual(decodeThreadCursor(encodeThreadCursor(position)), position);
  assert.deepEqual(decodeThreadCursor(encodeThreadCursor({ latestDate: -5, latestUid: 1 })), {
    latestDate: -5,
    latestUid: 1,
  });
  for (const bad of ['', 'not a cursor', Buffer.from('t1.0').toString('base64url'), encodeThreadId('<5@x>')])
    assert.equal(decodeThreadCursor(bad), null, bad);
  assert.equal(decodeThreadId(encodeThreadId('<root.1@example.org>')), '<root.1@example.org>');
  assert.equal(decodeThreadId(encodeThreadId('uid:42')), 'uid:42');
  // an id of before the keys (the oldest message's UID) still names that message
  assert.equal(decodeThreadId(Buffer.from('r42').toString('base64url')), 'uid:42');
  for (const bad of [
    '',
    'zz',
    Buffer.from('r4294967296').toString('base64url'),
    Buffer.from('k').toString('base64url'),
    'a'.repeat(2000),
    encodeThreadCursor(position),
  ])
    assert.equal(decodeThreadId(bad), null, bad);
});
