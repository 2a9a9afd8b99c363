/** The queue both live feeds hand to graphql-ws (pure): order, back-pressure, end and failure. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubscriberQueue } from '../src/graphql/subscriber-queue.js';

test('a waiting client gets a value at once; later ones queue in order', async () => {
  const queue = new SubscriberQueue<number>({ highWater: 10 });
  const waiting = queue.next();
  queue.push(1);
  assert.deepEqual(await waiting, { value: 1, done: false });
  queue.push(2);
  queue.push(3);
  assert.deepEqual(await queue.next(), { value: 2, done: false });
  assert.deepEqual(await queue.next(), { value: 3, done: false });
});

test('full at the high-water mark; room is announced once the client is halfway caught up', async () => {
  let rooms = 0;
  const queue = new SubscriberQueue<number>({ highWater: 4, onRoom: () => rooms++ });
  for (let value = 0; value < 4; value++) queue.push(value);
  assert.equal(queue.full, true);
  await queue.next();
  await queue.next();
  assert.equal(rooms, 0, 'two behind is not yet below half of four');
  assert.equal(queue.full, false);
  await queue.next();
  assert.equal(rooms, 1);
});

test('the end comes after what is queued; a failure after it too, once; the end hook runs once', async () => {
  let ends = 0;
  const queue = new SubscriberQueue<string>({ highWater: 10, onEnd: () => ends++ });
  queue.push('a');
  queue.fail(new Error('feed broke'));
  queue.push('ignored after the end');
  assert.deepEqual(await queue.next(), { value: 'a', done: false });
  await assert.rejects(queue.next(), /feed broke/);
  assert.deepEqual(await queue.next(), { value: undefined, done: true });
  queue.end();
  assert.equal(ends, 1);
  assert.equal(queue.ended, true);
});

test('a client waiting when the feed fails gets the failure; return() drops what is queued', async () => {
  const failing = new SubscriberQueue<number>({ highWater: 10 });
  const waiting = failing.next();
  failing.fail(new Error('store gone'));
  await assert.rejects(waiting, /store gone/);

  let ended = false;
  const leaving = new SubscriberQueue<number>({ highWater: 10, onEnd: () => (ended = true) });
  leaving.push(1);
  assert.deepEqual(await leaving.return(), { value: undefined, done: true });
  assert.equal(ended, true);
  assert.deepEqual(await leaving.next(), { value: undefined, done: true });
});
