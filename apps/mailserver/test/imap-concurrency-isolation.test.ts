import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ImapFlow } from 'imapflow';
import { findUserByAddress, storageUsage } from '@wildduck/store';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
before(async () => {
  imap = await startImap('concurrency');
  await imap.createUser('owner@example.com');
  await imap.createUser('intruder@example.com');
});
after(async () => {
  await imap.close();
});

const connect = async (user: string) => {
  const flow = new ImapFlow({
    host: '127.0.0.1',
    port: imap.port,
    secure: false,
    auth: { user, pass: 'secretpass' },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await flow.connect();
  return flow;
};

test(
  'four connections appending 100 messages each get 400 distinct, increasing UIDs and an exact storage counter',
  { timeout: 600_000 },
  async () => {
    const clients = await Promise.all([1, 2, 3, 4].map(() => connect('owner@example.com')));
    let expectedBytes = 0;
    const uidsPerClient = await Promise.all(
      clients.map(async (flow, client) => {
        const uids: number[] = [];
        for (let index = 0; index < 100; index++) {
          const bytes = Buffer.from(
            `From: c${client}@example.com\r\nSubject: ${client}-${index}\r\n\r\n${'x'.repeat(index)}\r\n`,
          );
          expectedBytes += bytes.length;
          const result = await flow.append('INBOX', bytes);
          uids.push(result.uid!);
        }
        return uids;
      }),
    );
    for (const uids of uidsPerClient) {
      assert.deepEqual(
        uids,
        [...uids].sort((a, b) => a - b),
        'each connection sees its UIDs increase',
      );
    }
    const all = uidsPerClient.flat().sort((a, b) => a - b);
    assert.equal(new Set(all).size, 400, 'no UID given twice');
    assert.deepEqual(
      all,
      Array.from({ length: 400 }, (_, index) => index + 1),
    );
    const user = await findUserByAddress(imap.store.db, 'owner@example.com');
    assert.equal((await storageUsage(imap.store.db, user!._id))?.storageUsed, expectedBytes);
    await Promise.all(clients.map((flow) => flow.logout()));
  },
);

test('another user can never select, read, append to or copy into the owner\u2019s mailboxes, whatever name is tried', async () => {
  const owner = await connect('owner@example.com');
  await owner.mailboxCreate('Secret');
  await owner.append('Secret', Buffer.from('Subject: private\r\n\r\nthe owner only\r\n'));
  await owner.logout();
  const ownerDoc = await findUserByAddress(imap.store.db, 'owner@example.com');
  const secret = await imap.store.db.collection('mailboxes').findOne({ user: ownerDoc!._id, path: 'Secret' });
  const names = [
    'Secret',
    'owner@example.com/Secret',
    '../owner@example.com/Secret',
    'user/owner/Secret',
    '#shared/Secret',
    secret!._id.toHexString(),
    '"Secret"',
    'secret',
  ];

  const raw = await RawImapClient.open(imap.port);
  assert.match(await raw.command('LOGIN intruder@example.com secretpass'), /OK/);
  const listed = await raw.command('LIST "" "*"');
  assert.doesNotMatch(listed, /Secret/);
  for (const name of names) {
    const quoted = JSON.stringify(name);
    assert.match(await raw.command(`SELECT ${quoted}`), /^T\d+ (NO|BAD)/m, `SELECT ${name}`);
    assert.match(await raw.command(`STATUS ${quoted} (MESSAGES)`), /^T\d+ (NO|BAD)/m, `STATUS ${name}`);
    const append = await raw.command(`APPEND ${quoted} {5+}\r\nhello`);
    assert.match(append, /^T\d+ (NO|BAD)/m, `APPEND ${name}`);
  }
  assert.match(await raw.command('SELECT INBOX'), /OK/);
  assert.match(await raw.command('APPEND INBOX {12+}\r\nSubject: x\r\n'), /OK/);
  for (const name of names) {
    assert.match(
      await raw.command(`COPY 1 ${JSON.stringify(name)}`),
      /^T\d+ NO \[TRYCREATE\]/m,
      `COPY into ${name}`,
    );
  }
  // the owner's messages are not reachable by UID either
  const fetched = await raw.command('UID FETCH 1:* (BODY.PEEK[])');
  assert.doesNotMatch(fetched, /the owner only/);
  raw.close();
  assert.equal(
    await imap.store.db.collection('messages').countDocuments({ mailbox: secret!._id }),
    1,
    'the owner\u2019s mailbox is unchanged',
  );
});

test('the backend refuses a forged mailbox id of another user', async () => {
  const ownerDoc = await findUserByAddress(imap.store.db, 'owner@example.com');
  const intruderDoc = await findUserByAddress(imap.store.db, 'intruder@example.com');
  const secret = await imap.store.db.collection('mailboxes').findOne({ user: ownerDoc!._id, path: 'Secret' });
  const { StoreImapBackend } = await import('../src/imap/store-backend.js');
  const { MemoryRateLimiter } = await import('@wildduck/coordination');
  const limiter = new MemoryRateLimiter({ attempts: 10, windowSeconds: 60 });
  const backend = new StoreImapBackend({
    ctx: imap.ctx,
    bus: imap.bus,
    userLimiter: limiter,
    addressLimiter: limiter,
  });
  const intruder = {
    id: intruderDoc!._id.toHexString(),
    username: 'intruder@example.com',
    objectId: intruderDoc!._id,
  };
  const id = secret!._id.toHexString();
  const fetched = [];
  for await (const message of backend.fetch(intruder, id, [1], { flags: true })) fetched.push(message);
  assert.deepEqual(fetched, []);
  assert.deepEqual(await backend.search(intruder, id, { type: 'all' }), []);
  assert.deepEqual(await backend.store(intruder, id, [1], { action: 'add', flags: ['\\Deleted'] }), {
    updated: [],
    modified: [],
  });
  assert.deepEqual(await backend.expunge(intruder, id), []);
  assert.deepEqual(await backend.move(intruder, id, [1], 'INBOX'), { ok: false, code: 'NONEXISTENT' });
  assert.equal(await backend.changesSince(intruder, id, 0), null);
  assert.equal(await imap.store.db.collection('messages').countDocuments({ mailbox: secret!._id }), 1);
});
