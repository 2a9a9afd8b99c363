// How the message list takes a fresh read of its newest messages after a live change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageSummary } from '../src/client/api-types';
import { withTopPage } from '../src/mail/list-top-page';

const message = (uid: number, seen = false) => ({ id: `m${uid}`, uid, seen }) as unknown as MessageSummary;
const uids = (items: readonly MessageSummary[]) => items.map((item) => item.uid);

test('a new message goes on top; shown ones take their new state', () => {
  const previous = { items: [message(10), message(9), message(8)], hasNextPage: false };
  const next = withTopPage(previous, [message(11), message(10, true), message(9), message(8)]);
  assert.deepEqual(uids(next.items), [11, 10, 9, 8]);
  assert.equal(next.items[1]!.seen, true);
});

test('after a short first page, older messages of the top read wait for the next page, not the top', () => {
  // 40 shown (the API was still reading the folder); the top read brings 50
  const shown = Array.from({ length: 40 }, (_, index) => message(100 - index));
  const top = Array.from({ length: 50 }, (_, index) => message(101 - index));
  const next = withTopPage({ items: shown, hasNextPage: true }, top);
  assert.deepEqual(uids(next.items).slice(0, 2), [101, 100], 'only the new one on top');
  assert.equal(next.items.length, 41);
  assert.deepEqual(
    uids(next.items),
    [...uids(next.items)].sort((a, b) => b - a),
    'still newest first',
  );
});

test('with every message loaded, one that came back lower down takes its place in the order', () => {
  const previous = { items: [message(9), message(5)], hasNextPage: false };
  assert.deepEqual(uids(withTopPage(previous, [message(9), message(7), message(5)]).items), [9, 7, 5]);
});
