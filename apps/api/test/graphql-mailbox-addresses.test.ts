// Team inbox addresses through GraphQL (issue 19): administrators give a mailbox an address, list an
// owner's addresses and take one away; bad input answers BAD_USER_INPUT naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import { createMailbox, findMailboxAddress } from '@wildduck/store';
import { startApi, PASSWORD, type ApiHarness } from './graphql-harness.js';
import { firstError } from './auth-support.js';

const API_TOKEN = 'mailbox-addresses-api-token';
let api: ApiHarness;
let admin: string;

before(async () => {
  api = await startApi('gqlmboxaddr', { apiToken: API_TOKEN });
  await api.createUser('boss@example.com', { role: 'admin' });
  admin = await api.signIn('boss@example.com');
});
after(async () => {
  await api.close();
});

const FIELDS = 'address mailboxId mailboxPath ownerAddress created';
const CREATE = `mutation ($address: String!, $mailboxId: ID!) {
  adminCreateMailboxAddress(address: $address, mailboxId: $mailboxId) { ${FIELDS} }
}`;
const DELETE = 'mutation ($address: String!) { adminDeleteMailboxAddress(address: $address) }';
const LIST = `query ($userId: ID!) { adminMailboxAddresses(userId: $userId) { ${FIELDS} } }`;

interface MailboxAddress {
  address: string;
  mailboxId: string;
  mailboxPath: string;
  ownerAddress: string;
  created: string;
}

/** A user with a mailbox at `path`; answers both ids. */
async function ownerWith(address: string, path: string): Promise<{ userId: string; mailboxId: string }> {
  const userId = await api.createUser(address);
  const created = await createMailbox(api.store.db, new ObjectId(userId), path);
  assert.ok(created.ok && created.mailbox);
  return { userId, mailboxId: created.mailbox.toHexString() };
}

test('an admin creates, lists and deletes mailbox addresses', async () => {
  const { userId, mailboxId } = await ownerWith('sales-lead@example.com', 'Shared/Sales');
  const created = await api.gql<{ adminCreateMailboxAddress: MailboxAddress }>(
    CREATE,
    { address: 'Sales@Example.com', mailboxId },
    admin,
  );
  assert.equal(created.errors, undefined);
  const entry = created.data!.adminCreateMailboxAddress;
  assert.deepEqual(
    { ...entry, created: undefined },
    {
      address: 'sales@example.com',
      mailboxId,
      mailboxPath: 'Shared/Sales',
      ownerAddress: 'sales-lead@example.com',
      created: undefined,
    },
  );
  assert.ok(!Number.isNaN(Date.parse(entry.created)));
  // with the server's API token too
  const second = await api.gql(CREATE, { address: 'deals@example.com', mailboxId }, API_TOKEN);
  assert.equal(second.errors, undefined);

  const listed = await api.gql<{ adminMailboxAddresses: MailboxAddress[] }>(LIST, { userId }, admin);
  assert.deepEqual(
    listed.data!.adminMailboxAddresses.map((item) => [item.address, item.mailboxPath]),
    [
      ['deals@example.com', 'Shared/Sales'],
      ['sales@example.com', 'Shared/Sales'],
    ],
  );

  const deleted = await api.gql<{ adminDeleteMailboxAddress: boolean }>(
    DELETE,
    { address: 'SALES@example.com' },
    admin,
  );
  assert.equal(deleted.data!.adminDeleteMailboxAddress, true);
  assert.equal(await findMailboxAddress(api.store.db, 'sales@example.com'), null);
  const again = await api.gql<{ adminDeleteMailboxAddress: boolean }>(
    DELETE,
    { address: 'sales@example.com' },
    admin,
  );
  assert.equal(again.data!.adminDeleteMailboxAddress, false);
  const after = await api.gql<{ adminMailboxAddresses: MailboxAddress[] }>(LIST, { userId }, admin);
  assert.deepEqual(
    after.data!.adminMailboxAddresses.map((item) => item.address),
    ['deals@example.com'],
  );
});

test('bad input answers BAD_USER_INPUT naming the field, and nothing is stored', async () => {
  const { userId, mailboxId } = await ownerWith('support-lead@example.com', 'Support');
  await api.gql(CREATE, { address: 'support@example.com', mailboxId }, admin);
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ address: 'not an address', mailboxId }, 'address', /email address/],
    [{ address: 'fresh@example.com', mailboxId: 'nope' }, 'mailboxId', /mailbox id/],
    [
      { address: 'fresh@example.com', mailboxId: new ObjectId().toHexString() },
      'mailboxId',
      /No such mailbox/,
    ],
    [{ address: 'support-lead@example.com', mailboxId }, 'address', /already a user's address/],
    [{ address: 'boss@example.com', mailboxId }, 'address', /already a user's address/],
    [{ address: 'Support@example.com', mailboxId }, 'address', /already another mailbox's address/],
  ];
  for (const [variables, field, message] of cases) {
    const error = firstError(await api.gql(CREATE, variables, admin));
    assert.equal(error.extensions.code, 'BAD_USER_INPUT', JSON.stringify(variables));
    assert.equal(error.extensions.field, field, JSON.stringify(variables));
    assert.match(error.message, message);
  }
  assert.equal(await findMailboxAddress(api.store.db, 'fresh@example.com'), null);

  const badDelete = firstError(await api.gql(DELETE, { address: 'nope' }, admin));
  assert.equal(badDelete.extensions.code, 'BAD_USER_INPUT');
  assert.equal(badDelete.extensions.field, 'address');
  const badList = firstError(await api.gql(LIST, { userId: 'nope' }, admin));
  assert.equal(badList.extensions.code, 'BAD_USER_INPUT');
  assert.equal(badList.extensions.field, 'userId');
  const unknown = firstError(await api.gql(LIST, { userId: new ObjectId().toHexString() }, admin));
  assert.equal(unknown.extensions.code, 'NOT_FOUND');
  assert.equal((await api.gql(LIST, { userId }, admin)).errors, undefined);
});

test('a user cannot be created with a mailbox address (BAD_USER_INPUT on address)', async () => {
  const { mailboxId } = await ownerWith('desk-lead@example.com', 'Desk');
  await api.gql(CREATE, { address: 'desk@example.com', mailboxId }, admin);
  const refused = firstError(
    await api.gql(
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      { input: { address: 'desk@example.com', password: PASSWORD } },
      admin,
    ),
  );
  assert.equal(refused.extensions.code, 'BAD_USER_INPUT');
  assert.equal(refused.extensions.field, 'address');
  assert.equal(await api.store.db.collection('users').findOne({ address: 'desk@example.com' }), null);
});

test('a normal user gets FORBIDDEN, no token UNAUTHENTICATED, and nothing changes', async () => {
  const { userId, mailboxId } = await ownerWith('plain-owner@example.com', 'Plain');
  await api.gql(CREATE, { address: 'plain-team@example.com', mailboxId }, admin);
  const token = await api.signIn('plain-owner@example.com');
  const calls: [string, Record<string, unknown>][] = [
    [CREATE, { address: 'sneaky@example.com', mailboxId }],
    [DELETE, { address: 'plain-team@example.com' }],
    [LIST, { userId }],
  ];
  for (const [query, variables] of calls) {
    assert.equal(firstError(await api.gql(query, variables, token)).extensions.code, 'FORBIDDEN', query);
    assert.equal(firstError(await api.gql(query, variables)).extensions.code, 'UNAUTHENTICATED', query);
  }
  assert.equal(await findMailboxAddress(api.store.db, 'sneaky@example.com'), null);
  assert.ok(await findMailboxAddress(api.store.db, 'plain-team@example.com'));
});
