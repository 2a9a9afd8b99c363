import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { ObjectId } from 'mongodb';
import type { Client } from 'graphql-ws';
import type { ChangeEvent } from '@wildduck/change-bus';
import { storeMessage } from '@wildduck/mail-service';
import { mailContextOf } from '../src/mail/mail-account.js';
import { changeHub } from '../src/changes/feed.js';
import { startApi, type ApiHarness } from './graphql-harness.js';
import { mailboxId, store, textMessage } from './mail-fixtures.js';

/**
 * Shared mailboxes (RFC 4314) through GraphQL: an owner shares a folder with presets, members read
 * it with their own \Seen and change what their rights allow, anybody else finds nothing, and the
 * change feed of the folder reaches its members.
 */

let api: ApiHarness;
const clients: Client[] = [];

before(async () => {
  api = await startApi('sharing');
});

after(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await api.close();
});

interface Person {
  id: string;
  address: string;
  token: string;
}

let counter = 0;
async function person(name: string, role: 'user' | 'admin' = 'user'): Promise<Person> {
  const address = `${name}${++counter}@sharing.test`;
  const id = await api.createUser(address, { role });
  return { id, address, token: await api.signIn(address) };
}

type Answer = Awaited<ReturnType<ApiHarness['gql']>>;

function errorOf(answer: Answer): { code: unknown; field: unknown; message: string } {
  const error = answer.errors?.[0];
  assert.ok(error, `expected an error, got ${JSON.stringify(answer.data)}`);
  return { code: error.extensions?.code, field: error.extensions?.field, message: error.message };
}

function dataOf<T>(answer: Answer): T {
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data as T;
}

const SHARE = /* GraphQL */ `
  mutation ($mailboxId: ID!, $with: String!, $access: AccessPreset, $rights: String) {
    shareMailbox(mailboxId: $mailboxId, with: $with, access: $access, rights: $rights) {
      identifier
      user
      rights
      preset
      owner
    }
  }
`;

const SHARED = /* GraphQL */ `
  {
    sharedMailboxes {
      id
      path
      name
      total
      unseen
      myRights
      access {
        identifier
      }
      shared {
        ownerAddress
        rights
        namespace
        path
      }
    }
  }
`;

const MESSAGES = /* GraphQL */ `
  query ($mailboxId: ID!) {
    messages(mailboxId: $mailboxId) {
      totalCount
      edges {
        node {
          id
          subject
          seen
          flagged
          flags
        }
      }
    }
  }
`;

const MAILBOX = /* GraphQL */ `
  query ($id: ID!) {
    mailbox(id: $id) {
      id
      total
      unseen
    }
  }
`;

interface SharedMailbox {
  id: string;
  path: string;
  name: string;
  total: number;
  unseen: number;
  myRights: string;
  access: { identifier: string }[] | null;
  shared: { ownerAddress: string; rights: string; namespace: string; path: string } | null;
}

interface Listed {
  messages: {
    totalCount: number;
    edges: { node: { id: string; subject: string; seen: boolean; flagged: boolean; flags: string[] } }[];
  };
}

/** An owner with a folder "Team" of two unread messages. */
async function ownerWithFolder(): Promise<{ owner: Person; folder: string; messages: string[] }> {
  const owner = await person('owner');
  const first = await store(api.services.store, owner.id, 'Team', textMessage({ subject: 'Plan' }));
  const second = await store(api.services.store, owner.id, 'Team', textMessage({ subject: 'Budget' }));
  const folder = (await mailboxId(api.services.store, owner.id, 'Team')).toHexString();
  return { owner, folder, messages: [first.id, second.id] };
}

async function share(owner: Person, folder: string, who: string, access: string) {
  return dataOf<{
    shareMailbox: { identifier: string; rights: string; preset: string | null; owner: boolean }[];
  }>(await api.gql(SHARE, { mailboxId: folder, with: who, access }, owner.token)).shareMailbox;
}

async function sharedWith(member: Person): Promise<SharedMailbox[]> {
  return dataOf<{ sharedMailboxes: SharedMailbox[] }>(await api.gql(SHARED, {}, member.token))
    .sharedMailboxes;
}

async function list(viewer: Person, folder: string): Promise<Listed['messages']> {
  return dataOf<Listed>(await api.gql(MESSAGES, { mailboxId: folder }, viewer.token)).messages;
}

async function setFlags(viewer: Person, ids: string[], flags: string[]): Promise<Answer> {
  return api.gql(
    /* GraphQL */ `
      mutation ($ids: [ID!]!, $flags: [String!]!) {
        setFlags(ids: $ids, flags: $flags) {
          id
          seen
          flagged
        }
      }
    `,
    { ids, flags },
    viewer.token,
  );
}

test('sharing with presets lists the access list, owner first, and the member sees the folder', async () => {
  const { owner, folder } = await ownerWithFolder();
  const member = await person('member');
  const shares = await share(owner, folder, member.address, 'READ');
  assert.deepEqual(shares, [
    { identifier: owner.address, user: owner.id, rights: 'lrswipkxtea', preset: 'FULL', owner: true },
    { identifier: member.address, user: member.id, rights: 'lrs', preset: 'READ', owner: false },
  ]);
  const [seen, ...rest] = await sharedWith(member);
  assert.equal(rest.length, 0);
  assert.equal(seen!.id, folder);
  assert.equal(seen!.path, `Other Users/${owner.address}/Team`);
  assert.equal(seen!.name, 'Team');
  assert.deepEqual(seen!.shared, {
    ownerAddress: owner.address,
    rights: 'lrs',
    namespace: 'Other Users',
    path: 'Team',
  });
  assert.equal(seen!.myRights, 'lrs');
  assert.equal(seen!.total, 2);
  assert.equal(seen!.unseen, 2);
  // the access list is for those who may administer the folder
  assert.equal(seen!.access, null);

  const upgraded = await share(owner, folder, member.address, 'READ_WRITE');
  assert.deepEqual(
    upgraded.map((entry) => [entry.rights, entry.preset]),
    [
      ['lrswipkxtea', 'FULL'],
      ['lrswipte', 'READ_WRITE'],
    ],
  );
  const custom = dataOf<{ shareMailbox: { rights: string; preset: string | null }[] }>(
    await api.gql(SHARE, { mailboxId: folder, with: member.address, rights: 'rl' }, owner.token),
  ).shareMailbox;
  assert.deepEqual(custom[1], {
    identifier: member.address,
    user: member.id,
    rights: 'lr',
    preset: null,
    owner: false,
  });
  // the owner's own view of the folder names who has it
  const ownView = dataOf<{ mailbox: { access: { identifier: string; rights: string }[]; shared: null } }>(
    await api.gql(
      `query ($id: ID!) { mailbox(id: $id) { access { identifier rights } shared { path } } }`,
      { id: folder },
      owner.token,
    ),
  ).mailbox;
  assert.equal(ownView.shared, null);
  assert.deepEqual(ownView.access, [
    { identifier: owner.address, rights: 'lrswipkxtea' },
    { identifier: member.address, rights: 'lr' },
  ]);
});

test("a member reads the folder with their own \\Seen: the owner's unread count stays", async () => {
  const { owner, folder, messages } = await ownerWithFolder();
  const member = await person('reader');
  await share(owner, folder, member.address, 'READ');

  const before = await list(member, folder);
  assert.equal(before.totalCount, 2);
  assert.deepEqual(
    before.edges.map((edge) => [edge.node.subject, edge.node.seen]),
    [
      ['Budget', false],
      ['Plan', false],
    ],
  );
  const opened = dataOf<{ message: { subject: string; text: string; seen: boolean } }>(
    await api.gql(
      `query ($id: ID!) { message(id: $id) { subject text flags } }`,
      { id: messages[0] },
      member.token,
    ),
  );
  assert.equal(opened.message.subject, 'Plan');

  const marked = dataOf<{ setFlags: { id: string; seen: boolean }[] }>(
    await setFlags(member, [messages[0]!], ['\\Seen']),
  );
  assert.deepEqual(marked.setFlags, [{ id: messages[0], seen: true, flagged: false }]);

  // the member's view: read; the owner's: still unread, counts unchanged
  const after = await list(member, folder);
  assert.deepEqual(
    after.edges.map((edge) => [edge.node.subject, edge.node.seen]),
    [
      ['Budget', false],
      ['Plan', true],
    ],
  );
  assert.equal((await sharedWith(member))[0]!.unseen, 1);
  const ownerList = await list(owner, folder);
  assert.ok(ownerList.edges.every((edge) => !edge.node.seen));
  const ownerBox = dataOf<{ mailbox: { unseen: number } }>(
    await api.gql(MAILBOX, { id: folder }, owner.token),
  );
  assert.equal(ownerBox.mailbox.unseen, 2);
  const memberBox = dataOf<{ mailbox: { unseen: number } }>(
    await api.gql(MAILBOX, { id: folder }, member.token),
  );
  assert.equal(memberBox.mailbox.unseen, 1);

  // a search for unread mail goes by each reader's own marks
  const unread = (viewer: Person) =>
    api.gql(
      `query ($m: ID!) { messages(mailboxId: $m, search: { unseen: true }) { edges { node { subject } } } }`,
      { m: folder },
      viewer.token,
    );
  const subjects = (answer: Answer) => dataOf<Listed>(answer).messages.edges.map((edge) => edge.node.subject);
  assert.deepEqual(subjects(await unread(member)), ['Budget']);
  assert.deepEqual(subjects(await unread(owner)), ['Budget', 'Plan']);

  // and the owner's \Seen is not the member's either
  dataOf(await setFlags(owner, [messages[1]!], ['\\Seen']));
  const memberAgain = await list(member, folder);
  assert.deepEqual(
    memberAgain.edges.map((edge) => [edge.node.subject, edge.node.seen]),
    [
      ['Budget', false],
      ['Plan', true],
    ],
  );
});

test('a read-only member is refused writes; with read and write their flags are shared', async () => {
  const { owner, folder, messages } = await ownerWithFolder();
  const member = await person('readonly');
  await share(owner, folder, member.address, 'READ');
  const ownInbox = (await mailboxId(api.services.store, member.id, 'INBOX')).toHexString();

  assert.equal(errorOf(await setFlags(member, [messages[0]!], ['\\Flagged'])).code, 'FORBIDDEN');
  const move = await api.gql(
    `mutation ($ids: [ID!]!, $to: ID!) { moveMessages(ids: $ids, mailboxId: $to) { id } }`,
    { ids: [messages[0]], to: folder },
    member.token,
  );
  assert.equal(errorOf(move).code, 'FORBIDDEN');
  const moveOut = await api.gql(
    `mutation ($ids: [ID!]!, $to: ID!) { moveMessages(ids: $ids, mailboxId: $to) { id } }`,
    { ids: [messages[0]], to: ownInbox },
    member.token,
  );
  // moving out takes the message away from the owner: t and e, which READ does not give
  assert.equal(errorOf(moveOut).code, 'FORBIDDEN');
  const del = await api.gql(
    `mutation ($ids: [ID!]!) { deleteMessages(ids: $ids) { expunged } }`,
    { ids: [messages[0]] },
    member.token,
  );
  assert.equal(errorOf(del).code, 'FORBIDDEN');
  const bulk = await api.gql(
    `mutation ($id: ID!) { bulkMessages(selection: { mailboxId: $id }, action: FLAG) { count } }`,
    { id: folder },
    member.token,
  );
  assert.equal(errorOf(bulk).code, 'FORBIDDEN');
  const rename = await api.gql(
    `mutation ($id: ID!) { renameMailbox(id: $id, path: "Taken") { id } }`,
    { id: folder },
    member.token,
  );
  assert.equal(errorOf(rename).code, 'FORBIDDEN');
  const reshare = await api.gql(
    SHARE,
    { mailboxId: folder, with: owner.address, access: 'READ' },
    member.token,
  );
  assert.equal(errorOf(reshare).code, 'FORBIDDEN');
  // nothing changed
  assert.equal((await list(owner, folder)).edges.filter((edge) => edge.node.flagged).length, 0);
  assert.equal((await list(owner, folder)).totalCount, 2);

  await share(owner, folder, member.address, 'READ_WRITE');
  const flagged = dataOf<{ setFlags: { flagged: boolean }[] }>(
    await setFlags(member, [messages[0]!], ['\\Flagged']),
  );
  assert.equal(flagged.setFlags[0]!.flagged, true);
  const ownerView = await list(owner, folder);
  assert.deepEqual(
    ownerView.edges.map((edge) => [edge.node.subject, edge.node.flagged]),
    [
      ['Budget', false],
      ['Plan', true],
    ],
  );
  // with t and e the member deletes for good (their Trash is not the owner's)
  const deleted = dataOf<{ deleteMessages: { expunged: string[]; movedToTrash: string[] } }>(
    await api.gql(
      `mutation ($ids: [ID!]!) { deleteMessages(ids: $ids) { expunged movedToTrash } }`,
      { ids: [messages[1]] },
      member.token,
    ),
  );
  assert.deepEqual(deleted.deleteMessages, { expunged: [messages[1]], movedToTrash: [] });
  assert.equal((await list(owner, folder)).totalCount, 1);
});

const MOVE = /* GraphQL */ `
  mutation ($ids: [ID!]!, $to: ID!) {
    moveMessages(ids: $ids, mailboxId: $to) {
      id
      mailboxId
      subject
      flags
    }
  }
`;

interface Moved {
  moveMessages: { id: string; mailboxId: string; subject: string; flags: string[] }[];
}

async function storageUsed(person: Person): Promise<number> {
  const user = await api.services.db
    .collection('users')
    .findOne({ _id: new ObjectId(person.id) }, { projection: { storageUsed: 1 } });
  return Number(user?.storageUsed ?? 0);
}

async function sizeOf(owner: Person, id: string): Promise<number> {
  const message = await api.services.db
    .collection('messages')
    .findOne({ _id: new ObjectId(id), user: new ObjectId(owner.id) }, { projection: { size: 1 } });
  assert.ok(message, `message ${id} of ${owner.address}`);
  return Number(message.size);
}

test('a member moves a message from the shared folder into their INBOX: it is theirs now, on their quota', async () => {
  const { owner, folder, messages } = await ownerWithFolder();
  const member = await person('mover');
  await share(owner, folder, member.address, 'READ_WRITE');
  const inbox = (await mailboxId(api.services.store, member.id, 'INBOX')).toHexString();
  // the member's own \Seen and a shared \Flagged go along; the owner's \Seen of the other is not the member's
  dataOf(await setFlags(member, [messages[0]!], ['\\Seen', '\\Flagged']));
  const size = await sizeOf(owner, messages[0]!);
  const [ownerBefore, memberBefore] = [await storageUsed(owner), await storageUsed(member)];

  const moved = dataOf<Moved>(
    await api.gql(MOVE, { ids: [messages[0]], to: inbox }, member.token),
  ).moveMessages;
  assert.equal(moved.length, 1);
  assert.equal(moved[0]!.mailboxId, inbox);
  assert.equal(moved[0]!.subject, 'Plan');
  // stored again for the member: a new id
  assert.notEqual(moved[0]!.id, messages[0]);
  assert.deepEqual([...moved[0]!.flags].sort(), ['\\Flagged', '\\Seen']);

  const ownerFolder = await list(owner, folder);
  assert.deepEqual(
    ownerFolder.edges.map((edge) => edge.node.subject),
    ['Budget'],
  );
  const memberInbox = await list(member, inbox);
  assert.deepEqual(
    memberInbox.edges.map((edge) => [edge.node.id, edge.node.subject, edge.node.seen]),
    [[moved[0]!.id, 'Plan', true]],
  );
  // the original is gone for both
  assert.equal(
    errorOf(await api.gql(`query ($id: ID!) { message(id: $id) { id } }`, { id: messages[0] }, owner.token))
      .code,
    'NOT_FOUND',
  );
  // the quota moved with it
  assert.equal(await storageUsed(owner), ownerBefore - size);
  assert.equal(await storageUsed(member), memberBefore + size);
});

test("a member moving a shared folder's message into their Junk reports it as spam, as theirs now", async () => {
  const { owner, folder, messages } = await ownerWithFolder();
  const member = await person('junker');
  await share(owner, folder, member.address, 'READ_WRITE');
  const junk = (await mailboxId(api.services.store, member.id, 'Junk')).toHexString();
  const events: ChangeEvent[] = [];
  const stop = api.services.bus.subscribe(member.id, (event) => events.push(event));
  try {
    const moved = dataOf<Moved>(
      await api.gql(MOVE, { ids: [messages[1]], to: junk }, member.token),
    ).moveMessages;
    assert.equal(moved[0]!.mailboxId, junk);
    await until(
      () =>
        events.some(
          (event) => event.type === 'account' && event.kind === 'SPAM' && event.message === moved[0]!.id,
        ),
      "SPAM of the moved message on the member's feed",
    );
  } finally {
    stop();
  }
});

test('a member files their own message into a shared folder they may insert into', async () => {
  const { owner, folder } = await ownerWithFolder();
  const member = await person('filer');
  await share(owner, folder, member.address, 'READ_WRITE');
  const inbox = (await mailboxId(api.services.store, member.id, 'INBOX')).toHexString();
  const own = await store(api.services.store, member.id, 'INBOX', textMessage({ subject: 'Minutes' }));
  dataOf(await setFlags(member, [own.id], ['\\Seen', '\\Flagged']));
  const size = await sizeOf(member, own.id);
  const [ownerBefore, memberBefore] = [await storageUsed(owner), await storageUsed(member)];

  const moved = dataOf<Moved>(await api.gql(MOVE, { ids: [own.id], to: folder }, member.token)).moveMessages;
  assert.equal(moved.length, 1);
  assert.equal(moved[0]!.mailboxId, folder);
  assert.notEqual(moved[0]!.id, own.id);
  // \Seen in the owner's folder is not the member's to set: only \Flagged went along
  assert.deepEqual(moved[0]!.flags, ['\\Flagged']);

  assert.equal((await list(member, inbox)).totalCount, 0);
  const ownerView = await list(owner, folder);
  assert.equal(ownerView.totalCount, 3);
  const filed = ownerView.edges.find((edge) => edge.node.subject === 'Minutes')!;
  assert.equal(filed.node.id, moved[0]!.id);
  assert.equal(filed.node.seen, false);
  assert.equal(filed.node.flagged, true);
  assert.equal(await storageUsed(member), memberBefore - size);
  assert.equal(await storageUsed(owner), ownerBefore + size);

  // a bulk move between owners is done too, but offers no undo (the messages have new ids)
  const back = dataOf<{ bulkMessages: { count: number; undoToken: string | null } }>(
    await api.gql(
      `mutation ($ids: [ID!]!, $to: ID!) { bulkMessages(selection: { ids: $ids }, action: MOVE, targetMailboxId: $to) { count undoToken } }`,
      { ids: [moved[0]!.id], to: inbox },
      member.token,
    ),
  ).bulkMessages;
  assert.deepEqual(back, { count: 1, undoToken: null });
  assert.equal((await list(member, inbox)).totalCount, 1);
  assert.equal((await list(owner, folder)).totalCount, 2);
});

test('moving out of a shared folder needs t and e there, and into one needs i: refused, nothing moves', async () => {
  const { owner, folder, messages } = await ownerWithFolder();
  const member = await person('inserter');
  // may insert and flag, but not delete or expunge
  dataOf(await api.gql(SHARE, { mailboxId: folder, with: member.address, rights: 'lrswi' }, owner.token));
  const inbox = (await mailboxId(api.services.store, member.id, 'INBOX')).toHexString();
  const before = [await storageUsed(owner), await storageUsed(member)];

  const out = errorOf(await api.gql(MOVE, { ids: [messages[0]], to: inbox }, member.token));
  assert.equal(out.code, 'FORBIDDEN');
  assert.match(out.message, /delete messages in|expunge/);
  const bulkOut = errorOf(
    await api.gql(
      `mutation ($m: ID!, $to: ID!) { bulkMessages(selection: { mailboxId: $m }, action: MOVE, targetMailboxId: $to) { count } }`,
      { m: folder, to: inbox },
      member.token,
    ),
  );
  assert.equal(bulkOut.code, 'FORBIDDEN');
  const spam = errorOf(
    await api.gql(
      `mutation ($m: ID!) { bulkMessages(selection: { mailboxId: $m }, action: REPORT_SPAM) { count } }`,
      { m: folder },
      member.token,
    ),
  );
  assert.equal(spam.code, 'FORBIDDEN');
  assert.equal((await list(owner, folder)).totalCount, 2);
  assert.equal((await list(member, inbox)).totalCount, 0);
  assert.deepEqual([await storageUsed(owner), await storageUsed(member)], before);

  // with i, their own message goes in
  const own = await store(api.services.store, member.id, 'INBOX', textMessage({ subject: 'Note' }));
  dataOf(await api.gql(MOVE, { ids: [own.id], to: folder }, member.token));
  assert.equal((await list(owner, folder)).totalCount, 3);
});

test('without rights the folder and its messages are NOT_FOUND, exactly as ids that do not exist', async () => {
  const { owner, folder, messages } = await ownerWithFolder();
  const stranger = await person('stranger');
  const madeUpFolder = new ObjectId().toHexString();
  const madeUpMessage = new ObjectId().toHexString();
  const attempts: [string, (mailbox: string, message: string) => Record<string, unknown>][] = [
    [`query ($m: ID!) { mailbox(id: $m) { id } }`, (m) => ({ m })],
    [`query ($m: ID!) { messages(mailboxId: $m) { totalCount } }`, (m) => ({ m })],
    [`query ($m: ID!) { threads(mailboxId: $m) { totalCount } }`, (m) => ({ m })],
    [`query ($x: ID!) { message(id: $x) { id } }`, (_m, x) => ({ x })],
    [`mutation ($x: ID!) { setFlags(ids: [$x], flags: ["\\\\Seen"]) { id } }`, (_m, x) => ({ x })],
    [`mutation ($x: ID!) { clearFlags(ids: [$x], flags: ["\\\\Seen"]) { id } }`, (_m, x) => ({ x })],
    [`mutation ($x: ID!) { deleteMessages(ids: [$x]) { expunged } }`, (_m, x) => ({ x })],
    [`mutation ($m: ID!) { renameMailbox(id: $m, path: "Mine") { id } }`, (m) => ({ m })],
    [`mutation ($m: ID!) { deleteMailboxToTrash(id: $m) }`, (m) => ({ m })],
    [
      `mutation ($m: ID!) { bulkMessages(selection: { mailboxId: $m }, action: MARK_READ) { count } }`,
      (m) => ({ m }),
    ],
    [
      `mutation ($m: ID!) { shareMailbox(mailboxId: $m, with: "anyone", access: READ) { rights } }`,
      (m) => ({ m }),
    ],
  ];
  for (const [query, variables] of attempts) {
    const real = errorOf(await api.gql(query, variables(folder, messages[0]!), stranger.token));
    const madeUp = errorOf(await api.gql(query, variables(madeUpFolder, madeUpMessage), stranger.token));
    assert.equal(real.code, 'NOT_FOUND', query);
    assert.equal(real.code, madeUp.code, query);
    assert.equal(real.field, madeUp.field, query);
    assert.equal(
      real.message.replace(folder, '<id>').replace(messages[0]!, '<id>'),
      madeUp.message.replace(madeUpFolder, '<id>').replace(madeUpMessage, '<id>'),
      query,
    );
  }
  // moving the stranger's own message into the folder: as into a folder that does not exist
  const own = await store(api.services.store, stranger.id, 'INBOX', textMessage({ subject: 'mine' }));
  const into = errorOf(
    await api.gql(
      `mutation ($x: ID!, $m: ID!) { moveMessages(ids: [$x], mailboxId: $m) { id } }`,
      { x: own.id, m: folder },
      stranger.token,
    ),
  );
  assert.equal(into.code, 'NOT_FOUND');
  assert.deepEqual(await sharedWith(stranger), []);
  // the owner's data is untouched
  assert.equal((await list(owner, folder)).totalCount, 2);
});

test('taking a share back takes effect at once', async () => {
  const { owner, folder, messages } = await ownerWithFolder();
  const member = await person('revoked');
  await share(owner, folder, member.address, 'READ_WRITE');
  assert.equal((await list(member, folder)).totalCount, 2);
  const shares = await share(owner, folder, member.address, 'NONE');
  assert.deepEqual(
    shares.map((entry) => entry.identifier),
    [owner.address],
  );
  assert.deepEqual(await sharedWith(member), []);
  assert.equal(errorOf(await api.gql(MESSAGES, { mailboxId: folder }, member.token)).code, 'NOT_FOUND');
  assert.equal(errorOf(await setFlags(member, [messages[0]!], ['\\Flagged'])).code, 'NOT_FOUND');
});

test("a member's subscription to the folder gets the owner's new message, with the member's own \\Seen", async () => {
  const { owner, folder } = await ownerWithFolder();
  const member = await person('follower');
  await share(owner, folder, member.address, 'READ');
  const cursor = dataOf<{ changesCursor: string }>(
    await api.gql(`{ changesCursor }`, {}, member.token),
  ).changesCursor;

  const hub = changeHub(api.services);
  const started = hub.stats().started;
  const client = api.wsClient(member.token);
  clients.push(client);
  const changes: {
    type: string;
    mailboxId: string;
    uid: number | null;
    flags: string[] | null;
    messageId: string | null;
  }[] = [];
  const errors: unknown[] = [];
  client.subscribe<{ mailboxChanges: (typeof changes)[number] }>(
    {
      query: `subscription ($since: String, $m: ID) { mailboxChanges(since: $since, mailboxId: $m) { type mailboxId uid flags messageId } }`,
      variables: { since: cursor, m: folder },
    },
    {
      next: (result) => {
        if (result.errors) errors.push(result.errors);
        else if (result.data) changes.push(result.data.mailboxChanges);
      },
      error: (error) => errors.push(error),
      complete: () => {},
    },
  );
  await until(() => hub.stats().started > started || errors.length > 0, 'the subscription to start');
  assert.deepEqual(errors, []);

  const outcome = await storeMessage(
    mailContextOf(api.services),
    new ObjectId(owner.id),
    new ObjectId(folder),
    Readable.from([textMessage({ subject: 'Fresh' })]),
    { flags: ['\\Seen'] },
  );
  assert.ok(outcome.ok);
  await until(() => changes.some((change) => change.type === 'EXISTS'), 'EXISTS of the new message');
  const exists = changes.find((change) => change.type === 'EXISTS')!;
  assert.equal(exists.mailboxId, folder);
  assert.equal(exists.uid, 3);
  assert.equal(exists.messageId, outcome.id.toHexString());
  // the owner's \Seen is not the member's
  assert.deepEqual(exists.flags, []);

  // the member marks it read: their own FLAGS come, with \Seen
  dataOf(await setFlags(member, [outcome.id.toHexString()], ['\\Seen']));
  await until(() => changes.some((change) => change.type === 'FLAGS'), 'FLAGS');
  assert.deepEqual(changes.find((change) => change.type === 'FLAGS')!.flags, ['\\Seen']);

  // someone without rights cannot follow it: as a mailbox that does not exist
  const stranger = await person('peeker');
  const strangerClient = api.wsClient(stranger.token);
  clients.push(strangerClient);
  const refusal = (id: string) =>
    new Promise<{ message: string; extensions?: Record<string, unknown> }>((resolve) => {
      strangerClient.subscribe(
        { query: `subscription ($m: ID) { mailboxChanges(mailboxId: $m) { type } }`, variables: { m: id } },
        {
          next: (result) => resolve((result.errors?.[0] ?? { message: 'no error' }) as never),
          error: (error) => resolve((Array.isArray(error) ? error[0] : { message: String(error) }) as never),
          complete: () => resolve({ message: 'completed without an error' }),
        },
      );
    });
  const real = await refusal(folder);
  const madeUp = await refusal(new ObjectId().toHexString());
  assert.equal(real.extensions?.code, 'NOT_FOUND', JSON.stringify(real));
  assert.equal(real.message.replace(folder, '<id>'), madeUp.message.replace(/[0-9a-f]{24}/, '<id>'));
});

test("a member's account-wide subscription carries the shared folder's changes, none of the owner's other folders, until taken back", async () => {
  const { owner, folder } = await ownerWithFolder();
  const member = await person('watcher');
  await share(owner, folder, member.address, 'READ');
  const ownerInbox = await mailboxId(api.services.store, owner.id, 'INBOX');
  const memberInbox = (await mailboxId(api.services.store, member.id, 'INBOX')).toHexString();

  const hub = changeHub(api.services);
  const started = hub.stats().started;
  const client = api.wsClient(member.token);
  clients.push(client);
  const changes: { type: string; mailboxId: string; uid: number | null; flags: string[] | null }[] = [];
  const errors: unknown[] = [];
  client.subscribe<{ mailboxChanges: (typeof changes)[number] }>(
    { query: `subscription { mailboxChanges { type mailboxId uid flags } }` },
    {
      next: (result) => {
        if (result.errors) errors.push(result.errors);
        else if (result.data) changes.push(result.data.mailboxChanges);
      },
      error: (error) => errors.push(error),
      complete: () => {},
    },
  );
  await until(() => hub.stats().started > started || errors.length > 0, 'the subscription to start');
  assert.deepEqual(errors, []);

  const deliverTo = (user: string, mailbox: ObjectId | string, subject: string) =>
    storeMessage(
      mailContextOf(api.services),
      new ObjectId(user),
      new ObjectId(mailbox),
      Readable.from([textMessage({ subject })]),
      { flags: ['\\Seen'] },
    );
  const deliver = (mailbox: ObjectId | string, subject: string) => deliverTo(owner.id, mailbox, subject);
  // the owner's INBOX first: were it leaked, it would come before the shared folder's
  assert.ok((await deliver(ownerInbox, 'Private')).ok);
  assert.ok((await deliver(new ObjectId(folder), 'Shared')).ok);
  await until(() => changes.some((change) => change.type === 'EXISTS'), 'EXISTS in the shared folder');
  assert.deepEqual(changes, [{ type: 'EXISTS', mailboxId: folder, uid: 3, flags: [] }]);

  // the member's own mail still comes on the same subscription
  assert.ok((await deliverTo(member.id, memberInbox, 'Own')).ok);
  await until(() => changes.some((change) => change.mailboxId === memberInbox), "the member's own EXISTS");

  // taken back: nothing more of the folder
  await share(owner, folder, member.address, 'NONE');
  assert.deepEqual(await sharedWith(member), []);
  const before = changes.length;
  assert.ok((await deliver(new ObjectId(folder), 'After')).ok);
  // a marker after it on the member's own feed: once it is here, the folder's event would be too
  assert.ok((await deliverTo(member.id, memberInbox, 'Marker')).ok);
  await until(() => changes.filter((change) => change.mailboxId === memberInbox).length >= 2, 'the marker');
  assert.deepEqual(
    changes.slice(before).map((change) => change.mailboxId),
    [memberInbox],
  );
  assert.ok(changes.every((change) => change.mailboxId !== ownerInbox.toHexString()));
  assert.deepEqual(errors, []);
});

test('resumed with a cursor, the account-wide subscription replays what the shared folder got meanwhile', async () => {
  const { owner, folder } = await ownerWithFolder();
  const member = await person('resumer');
  await share(owner, folder, member.address, 'READ');
  const cursor = dataOf<{ changesCursor: string }>(
    await api.gql(`{ changesCursor }`, {}, member.token),
  ).changesCursor;
  const outcome = await storeMessage(
    mailContextOf(api.services),
    new ObjectId(owner.id),
    new ObjectId(folder),
    Readable.from([textMessage({ subject: 'Meanwhile' })]),
  );
  assert.ok(outcome.ok);

  const client = api.wsClient(member.token);
  clients.push(client);
  const changes: { type: string; mailboxId: string; messageId: string | null }[] = [];
  const errors: unknown[] = [];
  client.subscribe<{ mailboxChanges: (typeof changes)[number] }>(
    {
      query: `subscription ($since: String) { mailboxChanges(since: $since) { type mailboxId messageId } }`,
      variables: { since: cursor },
    },
    {
      next: (result) => {
        if (result.errors) errors.push(result.errors);
        else if (result.data) changes.push(result.data.mailboxChanges);
      },
      error: (error) => errors.push(error),
      complete: () => {},
    },
  );
  await until(() => changes.length > 0 || errors.length > 0, 'the replayed change');
  assert.deepEqual(errors, []);
  assert.deepEqual(changes[0], { type: 'EXISTS', mailboxId: folder, messageId: outcome.id.toHexString() });
});

test("administrators list a user's access lists and change them as the owner", async () => {
  const { owner, folder } = await ownerWithFolder();
  const member = await person('granted');
  const admin = await person('admin', 'admin');
  await share(owner, folder, member.address, 'READ');
  const listed = dataOf<{
    adminMailboxAccess: {
      mailbox: { id: string; path: string };
      access: { identifier: string; preset: string | null }[];
    }[];
  }>(
    await api.gql(
      `query ($u: ID!) { adminMailboxAccess(userId: $u) { mailbox { id path } access { identifier preset } } }`,
      { u: owner.id },
      admin.token,
    ),
  ).adminMailboxAccess;
  const team = listed.find((entry) => entry.mailbox.id === folder)!;
  assert.equal(team.mailbox.path, 'Team');
  assert.deepEqual(team.access, [
    { identifier: owner.address, preset: 'FULL' },
    { identifier: member.address, preset: 'READ' },
  ]);
  assert.ok(listed.some((entry) => entry.mailbox.path === 'INBOX'));

  const changed = dataOf<{ adminSetMailboxAccess: { identifier: string; rights: string }[] }>(
    await api.gql(
      `mutation ($m: ID!, $w: String!, $r: String!) { adminSetMailboxAccess(mailboxId: $m, with: $w, rights: $r) { identifier rights } }`,
      { m: folder, w: member.address, r: 'lrswipte' },
      admin.token,
    ),
  ).adminSetMailboxAccess;
  assert.deepEqual(changed[1], { identifier: member.address, rights: 'lrswipte' });
  assert.equal((await sharedWith(member))[0]!.shared!.rights, 'lrswipte');

  // users are not administrators
  const refused = await api.gql(
    `query ($u: ID!) { adminMailboxAccess(userId: $u) { mailbox { id } } }`,
    { u: owner.id },
    member.token,
  );
  assert.equal(errorOf(refused).code, 'FORBIDDEN');
  const badRights = await api.gql(
    `mutation ($m: ID!) { adminSetMailboxAccess(mailboxId: $m, with: "anyone", rights: "lrq") { rights } }`,
    { m: folder },
    admin.token,
  );
  assert.deepEqual([errorOf(badRights).code, errorOf(badRights).field], ['BAD_USER_INPUT', 'rights']);
});

test('bad input is BAD_USER_INPUT naming the field', async () => {
  const { owner, folder } = await ownerWithFolder();
  const cases: [Record<string, unknown>, string][] = [
    [{ with: 'nobody@nowhere.test', access: 'READ' }, 'with'],
    [{ with: owner.address, access: 'READ' }, 'with'],
    [{ with: 'anyone', rights: 'lrz' }, 'rights'],
    [{ with: 'anyone', access: 'READ', rights: 'lr' }, 'access'],
    [{ with: 'anyone' }, 'access'],
    [{ with: '  ', access: 'READ' }, 'with'],
  ];
  for (const [variables, field] of cases) {
    const error = errorOf(await api.gql(SHARE, { mailboxId: folder, ...variables }, owner.token));
    assert.deepEqual([error.code, error.field], ['BAD_USER_INPUT', field], JSON.stringify(variables));
  }
});

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
