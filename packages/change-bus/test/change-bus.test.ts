import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  createChangeBus,
  MemoryChangeBus,
  RedisChangeBus,
  userChannel,
  type ChangeBus,
  type ChangeEvent,
} from '@wildduck/change-bus';

/** The contract's Redis; `npm test` passes the one it found or started as REDIS_URL. */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A channel prefix of this test alone, so parallel runs on one Redis never hear each other. */
const prefix = () => `wd-test-${process.env.WILDDUCK_TEST_RUN ?? 'local'}-${randomUUID()}`;

const mailboxEvent = (user: string, modseq: number): ChangeEvent => ({
  type: 'mailbox',
  user,
  mailbox: 'inbox-id',
  modseq,
});

async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves once Redis counts a subscriber on the channel (the bus subscribes in the background). */
async function subscribed(admin: Redis, channel: string, count = 1) {
  await waitFor(async () => {
    const [, subscribers] = (await admin.pubsub('NUMSUB', channel)) as [string, number];
    return Number(subscribers) === count;
  }, `${count} subscriber(s) on ${channel}`);
}

test('MemoryChangeBus: a subscriber gets its user’s events in order, after publish returns, and none after unsubscribing', async () => {
  const bus = new MemoryChangeBus();
  const alice: ChangeEvent[] = [];
  const bob: ChangeEvent[] = [];
  const stopAlice = bus.subscribe('alice', (event) => alice.push(event));
  bus.subscribe('bob', (event) => bob.push(event));

  const published = bus.publish(mailboxEvent('alice', 1));
  // delivered after the publisher's own work, as a network bus would: not inside publish
  assert.deepEqual(alice, []);
  await published;
  await bus.publish(mailboxEvent('alice', 2));
  await bus.publish({ type: 'account', user: 'bob', kind: 'mailbox-created', path: 'Work' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(alice, [mailboxEvent('alice', 1), mailboxEvent('alice', 2)]);
  assert.deepEqual(bob, [{ type: 'account', user: 'bob', kind: 'mailbox-created', path: 'Work' }]);

  stopAlice();
  await bus.publish(mailboxEvent('alice', 3));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(alice.length, 2);
  await bus.close();
});

test('RedisChangeBus: an event published on one instance reaches the subscriber on another, for that user only', async () => {
  const channels = prefix();
  const publisher = new RedisChangeBus(REDIS_URL, channels);
  const listener = new RedisChangeBus(REDIS_URL, channels);
  const admin = new Redis(REDIS_URL);
  try {
    const alice: ChangeEvent[] = [];
    const bob: ChangeEvent[] = [];
    const stopAlice = listener.subscribe('alice', (event) => alice.push(event));
    // a second listener of the same user shares the one Redis subscription
    const stopAliceToo = listener.subscribe('alice', () => {});
    listener.subscribe('bob', (event) => bob.push(event));
    await subscribed(admin, userChannel('alice', channels));
    await subscribed(admin, userChannel('bob', channels));

    await publisher.publish(mailboxEvent('alice', 7));
    await publisher.publish({ type: 'account', user: 'alice', kind: 'SPAM', mailbox: 'junk-id', uid: 3 });
    await waitFor(() => alice.length === 2, 'both of alice’s events');
    assert.deepEqual(alice, [
      mailboxEvent('alice', 7),
      { type: 'account', user: 'alice', kind: 'SPAM', mailbox: 'junk-id', uid: 3 },
    ]);
    assert.deepEqual(bob, []);

    // the channel is given up only when its last listener leaves
    stopAlice();
    await subscribed(admin, userChannel('alice', channels), 1);
    stopAliceToo();
    await subscribed(admin, userChannel('alice', channels), 0);
    await publisher.publish(mailboxEvent('alice', 8));
    await publisher.publish(mailboxEvent('bob', 1));
    await waitFor(() => bob.length === 1, 'bob’s event');
    assert.equal(alice.length, 2);
  } finally {
    await publisher.close();
    await listener.close();
    admin.disconnect();
  }
});

test('RedisChangeBus: instances with different prefixes do not hear each other', async () => {
  const [onePrefix, otherPrefix] = [prefix(), prefix()];
  const one = new RedisChangeBus(REDIS_URL, onePrefix);
  const other = new RedisChangeBus(REDIS_URL, otherPrefix);
  const admin = new Redis(REDIS_URL);
  try {
    const heard: ChangeEvent[] = [];
    const own: ChangeEvent[] = [];
    other.subscribe('alice', (event) => heard.push(event));
    one.subscribe('alice', (event) => own.push(event));
    await subscribed(admin, userChannel('alice', onePrefix));
    await subscribed(admin, userChannel('alice', otherPrefix));
    await one.publish(mailboxEvent('alice', 1));
    await waitFor(() => own.length === 1, 'the event on its own prefix');
    assert.deepEqual(heard, []);
  } finally {
    await one.close();
    await other.close();
    admin.disconnect();
  }
});

test('createChangeBus: Redis when a URL is given, else the in-process bus', async () => {
  const local: ChangeBus = createChangeBus(undefined);
  const shared: ChangeBus = createChangeBus(REDIS_URL, prefix());
  try {
    assert.ok(local instanceof MemoryChangeBus);
    assert.ok(shared instanceof RedisChangeBus);
  } finally {
    await local.close();
    await shared.close();
  }
});
