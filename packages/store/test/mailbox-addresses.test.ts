import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  AddressTakenError,
  createMailbox,
  createMailboxAddress,
  createUser,
  deleteMailboxAddress,
  deleteMailboxAndMessages,
  deleteUserAndData,
  findMailboxAddress,
  listMailboxAddressesOfMailbox,
  listMailboxAddressesOfUser,
  storeContext,
  StoreError,
  UserExistsError,
} from '@wildduck/store';
import { openStore, newUser } from './support.js';

let store: TestDatabase;
before(async () => {
  store = await openStore('mailbox-addresses');
});
after(async () => {
  await store.drop();
});

/** A user with one more mailbox (the team inbox) besides the default ones. */
async function ownerWithMailbox(address: string, path = 'Team') {
  const { user } = await newUser(store.db, address);
  const created = await createMailbox(store.db, user, path);
  assert.ok(created.ok && created.mailbox);
  return { user, mailbox: created.mailbox };
}

async function failsWith(action: () => Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(action, (error: unknown) => error instanceof StoreError && error.code === code);
}

test('a mailbox address is stored lower-cased with the mailbox owner, found by address and listed', async () => {
  const { user, mailbox } = await ownerWithMailbox('team-owner@example.com');
  const other = await createMailbox(store.db, user, 'Support');
  assert.ok(other.ok && other.mailbox);
  const created = await createMailboxAddress(store.db, { address: ' Sales@Example.COM ', mailbox });
  assert.equal(created.address, 'sales@example.com');
  assert.ok(created.user.equals(user));
  await createMailboxAddress(store.db, { address: 'help@example.com', mailbox: other.mailbox });
  await createMailboxAddress(store.db, { address: 'deals@example.com', mailbox });

  const found = await findMailboxAddress(store.db, 'sales@example.com');
  assert.ok(found);
  assert.ok(found.mailbox.equals(mailbox));
  assert.ok(found.user.equals(user));
  assert.equal(await findMailboxAddress(store.db, 'nobody@example.com'), null);
  assert.deepEqual(
    (await listMailboxAddressesOfUser(store.db, user)).map((entry) => entry.address),
    ['deals@example.com', 'help@example.com', 'sales@example.com'],
  );
  assert.deepEqual(
    (await listMailboxAddressesOfMailbox(store.db, mailbox)).map((entry) => entry.address),
    ['deals@example.com', 'sales@example.com'],
  );
  assert.equal(await deleteMailboxAddress(store.db, 'DEALS@example.com'), true);
  assert.equal(await deleteMailboxAddress(store.db, 'deals@example.com'), false);
  assert.equal(await findMailboxAddress(store.db, 'deals@example.com'), null);
});

test('an address that is a user’s or another mailbox’s is refused, and so is a bad address or mailbox', async () => {
  const { mailbox } = await ownerWithMailbox('taken-owner@example.com');
  await assert.rejects(
    createMailboxAddress(store.db, { address: 'taken-owner@example.com', mailbox }),
    (error: unknown) => error instanceof AddressTakenError && error.code === 'ADDRESS_TAKEN',
  );
  await createMailboxAddress(store.db, { address: 'taken@example.com', mailbox });
  await failsWith(
    () => createMailboxAddress(store.db, { address: 'TAKEN@example.com', mailbox }),
    'ADDRESS_TAKEN',
  );
  await failsWith(
    () => createMailboxAddress(store.db, { address: 'not an address', mailbox }),
    'INVALID_ADDRESS',
  );
  await failsWith(
    () => createMailboxAddress(store.db, { address: 'fresh@example.com', mailbox: new ObjectId() }),
    'MAILBOX_NOT_FOUND',
  );
  assert.equal(await findMailboxAddress(store.db, 'fresh@example.com'), null);
});

test('a user cannot be created with a mailbox address, and the address stays the mailbox’s', async () => {
  const { mailbox } = await ownerWithMailbox('collide-owner@example.com');
  await createMailboxAddress(store.db, { address: 'collide@example.com', mailbox });
  await assert.rejects(
    createUser(store.db, { address: 'collide@example.com', password: 'secretpass' }),
    (error: unknown) => error instanceof UserExistsError && /shared mailbox/.test(error.message),
  );
  assert.equal(await store.db.collection('users').findOne({ address: 'collide@example.com' }), null);
  assert.ok((await findMailboxAddress(store.db, 'collide@example.com'))?.mailbox.equals(mailbox));
});

test('racing creations of a user and a mailbox address never leave the address with both', async () => {
  const { mailbox } = await ownerWithMailbox('race-owner@example.com');
  for (let round = 0; round < 5; round++) {
    const address = `race-${round}@example.com`;
    await Promise.allSettled([
      createUser(store.db, { address, password: 'secretpass' }),
      createMailboxAddress(store.db, { address, mailbox }),
    ]);
    const asUser = await store.db.collection('users').findOne({ address });
    const asMailbox = await findMailboxAddress(store.db, address);
    assert.ok(!(asUser && asMailbox), `${address} is both a user's and a mailbox's`);
  }
});

test('deleting the mailbox or the owner deletes its addresses', async () => {
  const ctx = storeContext(store.db);
  const { user, mailbox } = await ownerWithMailbox('deleted-owner@example.com');
  const kept = await createMailbox(store.db, user, 'Kept');
  assert.ok(kept.ok && kept.mailbox);
  await createMailboxAddress(store.db, { address: 'gone-with-box@example.com', mailbox });
  await createMailboxAddress(store.db, { address: 'gone-with-owner@example.com', mailbox: kept.mailbox });
  const { mailbox: othersMailbox } = await ownerWithMailbox('bystander@example.com');
  await createMailboxAddress(store.db, { address: 'stays@example.com', mailbox: othersMailbox });

  assert.equal(await deleteMailboxAndMessages(ctx, user, mailbox), 'deleted');
  assert.equal(await findMailboxAddress(store.db, 'gone-with-box@example.com'), null);
  assert.ok(await findMailboxAddress(store.db, 'gone-with-owner@example.com'));

  assert.equal(await deleteUserAndData(ctx, user), true);
  assert.equal(await findMailboxAddress(store.db, 'gone-with-owner@example.com'), null);
  assert.ok(await findMailboxAddress(store.db, 'stays@example.com'));
  // the address is free again, for a user this time
  await createUser(store.db, { address: 'gone-with-box@example.com', password: 'secretpass' });
});
