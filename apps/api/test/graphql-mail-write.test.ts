import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ObjectId } from 'mongodb';
import { simpleParser } from 'mailparser';
import { appendMessage, findMailbox, openMessageSource } from '@wildduck/store';
import type { ChangeEvent } from '@wildduck/change-bus';
import { startApi, type ApiHarness } from './graphql-harness.js';
import {
  REFUSED_PREFIX,
  startRelaySink,
  startWebhookReceiver,
  type ReceivedHook,
  type Relayed,
} from '../../mailserver/test/outside-world.js';

const SECRET = 'mail-write-webhook-secret';
interface Account {
  address: string;
  id: string;
  token: string;
}

let api: ApiHarness;
let sink: Awaited<ReturnType<typeof startRelaySink>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let relayed: Relayed[];
let hooks: ReceivedHook[];
const events: ChangeEvent[] = [];
let alice: Account;
let bob: Account;

before(async () => {
  sink = await startRelaySink();
  relayed = sink.relayed;
  receiver = await startWebhookReceiver(SECRET);
  hooks = receiver.hooks;
  api = await startApi('mail-write', {
    webhookTargets: [{ url: receiver.url, secret: SECRET }],
    smarthost: sink.url,
  });
  alice = await account('alice@example.com');
  bob = await account('bob@example.com');
  api.bus.subscribe(alice.id, (event) => events.push(event));
});

after(async () => {
  await api.close();
  await sink.close();
  await receiver.close();
});

async function account(address: string, quota: number | null = null): Promise<Account> {
  const id = await api.createUser(address, { quota });
  return { address, id, token: await api.signIn(address) };
}

/** A message stored in one of the user's mailboxes through the store; answers its id (hex). */
async function storeMessage(
  owner: Account,
  subject: string,
  path = 'INBOX',
  flags: string[] = [],
): Promise<string> {
  const mailbox = await findMailbox(api.store.db, new ObjectId(owner.id), path);
  const raw =
    `From: Carol <carol@example.net>\r\nTo: ${owner.address}\r\nSubject: ${subject}\r\n` +
    `Message-ID: <${randomBytes(6).toString('hex')}@example.net>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nHello.\r\n`;
  const outcome = await appendMessage(
    api.services.store,
    new ObjectId(owner.id),
    mailbox!._id!,
    Readable.from([raw]),
    {
      flags,
    },
  );
  assert.ok(outcome.ok);
  return outcome.id.toHexString();
}

/** The user's mailbox ids by path. */
async function mailboxIds(owner: Account): Promise<Record<string, string>> {
  const answer = await api.gql<{ mailboxes: { id: string; path: string }[] }>(
    '{ mailboxes { id path } }',
    {},
    owner.token,
  );
  assert.ok(answer.data, JSON.stringify(answer.errors));
  return Object.fromEntries(answer.data.mailboxes.map((box) => [box.path, box.id]));
}

/** The message document (or null) by id. */
async function messageDoc(id: string) {
  return api.store.db.collection('messages').findOne({ _id: new ObjectId(id) });
}

/** The messages of a user's mailbox, through the store. */
async function messagesIn(owner: Account, path: string) {
  const mailbox = await findMailbox(api.store.db, new ObjectId(owner.id), path);
  return api.store.db.collection('messages').find({ mailbox: mailbox!._id }).sort({ uid: 1 }).toArray();
}

async function rawMessage(owner: Account, id: ObjectId | string): Promise<Buffer> {
  const source = await openMessageSource(api.store.db, new ObjectId(owner.id), new ObjectId(String(id)));
  assert.ok(source);
  const chunks: Buffer[] = [];
  for await (const chunk of source.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function errorOf(answer: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) {
  const error = answer.errors?.[0];
  assert.ok(error, 'expected an error');
  return { message: error.message, code: error.extensions?.code, field: error.extensions?.field };
}

async function waitFor<T>(what: string, probe: () => T | undefined | null | false, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function upload(owner: Account, bytes: Buffer, filename: string, contentType: string) {
  const response = await fetch(`${api.url}/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner.token}`, 'content-type': contentType, 'x-filename': filename },
    body: bytes,
  });
  assert.equal(response.status, 201);
  return (await response.json()) as { id: string; size: number };
}

const SUMMARY = 'id mailboxId uid flags seen flagged answered draft subject messageId';

test('setFlags and clearFlags change flags, answer the summaries and announce the change on the bus', async () => {
  const id = await storeMessage(alice, 'flag me');
  const mailbox = String((await messageDoc(id))!.mailbox);
  const before = events.length;
  const set = await api.gql<{ setFlags: { id: string; flags: string[]; flagged: boolean; seen: boolean }[] }>(
    `mutation ($ids: [ID!]!, $flags: [String!]!) { setFlags(ids: $ids, flags: $flags) { ${SUMMARY} } }`,
    { ids: [id], flags: ['\\flagged', '\\Seen', '$Important'] },
    alice.token,
  );
  assert.ok(set.data, JSON.stringify(set.errors));
  assert.equal(set.data.setFlags[0]!.id, id);
  assert.deepEqual([...set.data.setFlags[0]!.flags].sort(), ['$Important', '\\Flagged', '\\Seen']);
  assert.equal(set.data.setFlags[0]!.flagged, true);
  const event = await waitFor('a mailbox event', () =>
    events.slice(before).find((entry) => entry.type === 'mailbox' && entry.mailbox === mailbox),
  );
  assert.ok(event.type === 'mailbox' && event.modseq > 1);

  const cleared = await api.gql<{ clearFlags: { flags: string[]; seen: boolean; flagged: boolean }[] }>(
    `mutation ($ids: [ID!]!, $flags: [String!]!) { clearFlags(ids: $ids, flags: $flags) { ${SUMMARY} } }`,
    { ids: [id], flags: ['\\Flagged', '$Important'] },
    alice.token,
  );
  assert.ok(cleared.data, JSON.stringify(cleared.errors));
  assert.deepEqual(cleared.data.clearFlags[0]!.flags, ['\\Seen']);
  assert.equal(cleared.data.clearFlags[0]!.flagged, false);
  assert.deepEqual((await messageDoc(id))!.flags, ['\\Seen']);
});

test('flag errors: a bad flag is BAD_USER_INPUT (flags), no token UNAUTHENTICATED, an unknown id NOT_FOUND', async () => {
  const id = await storeMessage(alice, 'bad flags');
  for (const flags of [['\\Recent'], ['two words'], ['\\Bogus'], []]) {
    const answer = await api.gql(
      'mutation ($ids: [ID!]!, $flags: [String!]!) { setFlags(ids: $ids, flags: $flags) { id } }',
      { ids: [id], flags },
      alice.token,
    );
    assert.deepEqual(
      { code: errorOf(answer).code, field: errorOf(answer).field },
      { code: 'BAD_USER_INPUT', field: 'flags' },
    );
  }
  const anonymous = await api.gql(
    'mutation ($ids: [ID!]!) { setFlags(ids: $ids, flags: ["\\\\Seen"]) { id } }',
    {
      ids: [id],
    },
  );
  assert.equal(errorOf(anonymous).code, 'UNAUTHENTICATED');
  for (const bogus of [new ObjectId().toHexString(), 'not-an-id']) {
    const answer = await api.gql(
      'mutation ($ids: [ID!]!) { setFlags(ids: $ids, flags: ["\\\\Seen"]) { id } }',
      { ids: [id, bogus] },
      alice.token,
    );
    assert.equal(errorOf(answer).code, 'NOT_FOUND');
  }
  // all or nothing: the known message was not changed either
  assert.deepEqual((await messageDoc(id))!.flags, []);
});

test('moveMessages moves into another mailbox and keeps the ids', async () => {
  const boxes = await mailboxIds(alice);
  const ids = [await storeMessage(alice, 'archive one'), await storeMessage(alice, 'archive two')];
  const answer = await api.gql<{ moveMessages: { id: string; mailboxId: string; uid: number }[] }>(
    'mutation ($ids: [ID!]!, $to: ID!) { moveMessages(ids: $ids, mailboxId: $to) { id mailboxId uid } }',
    { ids, to: boxes.Archive },
    alice.token,
  );
  assert.ok(answer.data, JSON.stringify(answer.errors));
  assert.deepEqual(
    answer.data.moveMessages.map((entry) => entry.id),
    ids,
  );
  assert.ok(answer.data.moveMessages.every((entry) => entry.mailboxId === boxes.Archive));
  const archived = await messagesIn(alice, 'Archive');
  assert.deepEqual(
    archived.map((message) => String(message._id)),
    ids,
  );
  const unknownBox = await api.gql(
    'mutation ($ids: [ID!]!, $to: ID!) { moveMessages(ids: $ids, mailboxId: $to) { id } }',
    { ids, to: new ObjectId().toHexString() },
    alice.token,
  );
  assert.equal(errorOf(unknownBox).code, 'NOT_FOUND');
});

test('a move into Junk emits SPAM on the bus and to the webhook; out of Junk NOT_SPAM', async () => {
  const boxes = await mailboxIds(alice);
  const id = await storeMessage(alice, 'cheap pills');
  const move = (to: string) =>
    api.gql(
      'mutation ($ids: [ID!]!, $to: ID!) { moveMessages(ids: $ids, mailboxId: $to) { id } }',
      { ids: [id], to },
      alice.token,
    );
  assert.ok((await move(boxes.Junk!)).data);
  const spam = await waitFor('SPAM on the bus', () =>
    events.find((event) => event.type === 'account' && event.kind === 'SPAM' && event.message === id),
  );
  assert.ok(spam.type === 'account' && spam.path === 'Junk');
  const hook = await waitFor('the SPAM webhook', () =>
    hooks.find((entry) => entry.body.type === 'SPAM' && (entry.body.message as { id: string }).id === id),
  );
  assert.ok(hook.verified, 'the webhook signature verifies');
  assert.equal(hook.body.user, alice.id);
  assert.equal(hook.body.address, alice.address);
  assert.deepEqual(hook.body.from, { id: boxes.INBOX, path: 'INBOX' });
  assert.equal((hook.body.message as { subject: string }).subject, 'cheap pills');

  assert.ok((await move(boxes.INBOX!)).data);
  await waitFor('NOT_SPAM on the bus', () =>
    events.find((event) => event.type === 'account' && event.kind === 'NOT_SPAM' && event.message === id),
  );
  await waitFor('the NOT_SPAM webhook', () =>
    hooks.find((entry) => entry.body.type === 'NOT_SPAM' && (entry.body.message as { id: string }).id === id),
  );
});

test('deleteMessages moves to Trash, and deletes for good what is in Trash already', async () => {
  const used = async () =>
    Number((await api.store.db.collection('users').findOne({ _id: new ObjectId(alice.id) }))!.storageUsed);
  const first = await storeMessage(alice, 'delete me');
  const second = await storeMessage(alice, 'already in trash', 'Trash');
  const storageBefore = await used();
  const answer = await api.gql<{ deleteMessages: { movedToTrash: string[]; expunged: string[] } }>(
    'mutation ($ids: [ID!]!) { deleteMessages(ids: $ids) { movedToTrash expunged } }',
    { ids: [first, second] },
    alice.token,
  );
  assert.ok(answer.data, JSON.stringify(answer.errors));
  assert.deepEqual(answer.data.deleteMessages, { movedToTrash: [first], expunged: [second] });
  const trash = await messagesIn(alice, 'Trash');
  assert.ok(trash.some((message) => String(message._id) === first));
  assert.equal(await messageDoc(second), null);
  assert.ok((await used()) < storageBefore, 'the expunged message gave its storage back');

  const again = await api.gql<{ deleteMessages: { movedToTrash: string[]; expunged: string[] } }>(
    'mutation ($ids: [ID!]!) { deleteMessages(ids: $ids) { movedToTrash expunged } }',
    { ids: [first] },
    alice.token,
  );
  assert.deepEqual(again.data?.deleteMessages, { movedToTrash: [], expunged: [first] });
  assert.equal(await messageDoc(first), null);
});

test('createMailbox, renameMailbox and deleteMailbox, with account events on the bus', async () => {
  const before = events.length;
  const created = await api.gql<{
    createMailbox: { id: string; path: string; name: string; total: number; specialUse: string | null };
  }>(
    'mutation ($path: String!) { createMailbox(path: $path) { id path name total specialUse } }',
    { path: 'Work/Projects' },
    alice.token,
  );
  assert.ok(created.data, JSON.stringify(created.errors));
  const box = created.data.createMailbox;
  assert.deepEqual(
    { ...box, id: undefined },
    { id: undefined, path: 'Work/Projects', name: 'Projects', total: 0, specialUse: null },
  );
  assert.ok(
    events
      .slice(before)
      .some(
        (event) =>
          event.type === 'account' && event.kind === 'MAILBOX_CREATED' && event.path === 'Work/Projects',
      ),
  );

  const duplicate = await api.gql(
    'mutation { createMailbox(path: "Work/Projects") { id } }',
    {},
    alice.token,
  );
  assert.deepEqual([errorOf(duplicate).code, errorOf(duplicate).field], ['BAD_USER_INPUT', 'path']);
  for (const bad of ['', 'a//b', 'x\ny', '/lead']) {
    const invalid = await api.gql(
      'mutation ($p: String!) { createMailbox(path: $p) { id } }',
      { p: bad },
      alice.token,
    );
    assert.deepEqual([errorOf(invalid).code, errorOf(invalid).field], ['BAD_USER_INPUT', 'path'], bad);
  }
  const inbox = await api.gql('mutation { createMailbox(path: "inbox") { id } }', {}, alice.token);
  assert.equal(errorOf(inbox).code, 'BAD_USER_INPUT');

  const id = await storeMessage(alice, 'in projects', 'Work/Projects');
  const renamed = await api.gql<{ renameMailbox: { id: string; path: string; name: string; total: number } }>(
    'mutation ($id: ID!, $path: String!) { renameMailbox(id: $id, path: $path) { id path name total } }',
    { id: box.id, path: 'Clients/Acme' },
    alice.token,
  );
  assert.ok(renamed.data, JSON.stringify(renamed.errors));
  assert.deepEqual(renamed.data.renameMailbox, { id: box.id, path: 'Clients/Acme', name: 'Acme', total: 1 });
  assert.ok(
    events.some(
      (event) =>
        event.type === 'account' &&
        event.kind === 'MAILBOX_RENAMED' &&
        event.path === 'Clients/Acme' &&
        event.oldPath === 'Work/Projects',
    ),
  );
  const clash = await api.gql(
    'mutation ($id: ID!) { renameMailbox(id: $id, path: "Archive") { id } }',
    { id: box.id },
    alice.token,
  );
  assert.deepEqual([errorOf(clash).code, errorOf(clash).field], ['BAD_USER_INPUT', 'path']);
  const badPath = await api.gql(
    'mutation ($id: ID!) { renameMailbox(id: $id, path: "a//b") { id } }',
    { id: box.id },
    alice.token,
  );
  assert.deepEqual([errorOf(badPath).code, errorOf(badPath).field], ['BAD_USER_INPUT', 'path']);

  const boxes = await mailboxIds(alice);
  for (const path of ['INBOX', 'Sent Mail', 'Trash', 'Junk', 'Drafts', 'Archive']) {
    const refused = await api.gql(
      'mutation ($id: ID!) { deleteMailbox(id: $id) }',
      { id: boxes[path] },
      alice.token,
    );
    assert.equal(errorOf(refused).code, 'BAD_USER_INPUT', path);
  }
  const deleted = await api.gql<{ deleteMailbox: boolean }>(
    'mutation ($id: ID!) { deleteMailbox(id: $id) }',
    { id: box.id },
    alice.token,
  );
  assert.equal(deleted.data?.deleteMailbox, true);
  assert.equal(await messageDoc(id), null, 'its messages went with it');
  assert.ok(
    events.some(
      (event) => event.type === 'account' && event.kind === 'MAILBOX_DELETED' && event.mailbox === box.id,
    ),
  );
  const gone = await api.gql('mutation ($id: ID!) { deleteMailbox(id: $id) }', { id: box.id }, alice.token);
  assert.equal(errorOf(gone).code, 'NOT_FOUND');
});

test("another user's ids are NOT_FOUND in every mutation, and nothing of theirs changes", async () => {
  const message = await storeMessage(alice, 'private');
  const draft = await storeMessage(alice, 'private draft', 'Drafts', ['\\Draft']);
  const aliceBoxes = await mailboxIds(alice);
  const bobBoxes = await mailboxIds(bob);
  const bobMessage = await storeMessage(bob, 'bob own');
  const aliceUpload = await upload(alice, Buffer.from('secret'), 'secret.txt', 'text/plain');
  const attempts: [string, string, Record<string, unknown>][] = [
    [
      'setFlags',
      'mutation ($ids: [ID!]!) { setFlags(ids: $ids, flags: ["\\\\Seen"]) { id } }',
      { ids: [message] },
    ],
    [
      'clearFlags',
      'mutation ($ids: [ID!]!) { clearFlags(ids: $ids, flags: ["\\\\Seen"]) { id } }',
      { ids: [message] },
    ],
    [
      'moveMessages (message)',
      'mutation ($ids: [ID!]!, $to: ID!) { moveMessages(ids: $ids, mailboxId: $to) { id } }',
      { ids: [message], to: bobBoxes.Archive },
    ],
    [
      'moveMessages (mailbox)',
      'mutation ($ids: [ID!]!, $to: ID!) { moveMessages(ids: $ids, mailboxId: $to) { id } }',
      { ids: [bobMessage], to: aliceBoxes.Archive },
    ],
    [
      'deleteMessages',
      'mutation ($ids: [ID!]!) { deleteMessages(ids: $ids) { expunged } }',
      { ids: [message] },
    ],
    [
      'renameMailbox',
      'mutation ($id: ID!) { renameMailbox(id: $id, path: "Stolen") { id } }',
      { id: aliceBoxes.Archive },
    ],
    ['deleteMailbox', 'mutation ($id: ID!) { deleteMailbox(id: $id) }', { id: aliceBoxes.Archive }],
    [
      'send (inReplyTo)',
      'mutation ($m: ID!) { send(input: { to: [{ address: "bob@example.com" }], inReplyTo: $m }) { messageId } }',
      { m: message },
    ],
    [
      'send (attachment)',
      'mutation ($a: ID!) { send(input: { to: [{ address: "bob@example.com" }], attachments: [$a] }) { messageId } }',
      { a: aliceUpload.id },
    ],
    [
      'saveDraft (replaceId)',
      'mutation ($r: ID!) { saveDraft(input: { subject: "x" }, replaceId: $r) { id } }',
      { r: draft },
    ],
    [
      'saveDraft (inReplyTo)',
      'mutation ($m: ID!) { saveDraft(input: { subject: "x", inReplyTo: $m }) { id } }',
      { m: message },
    ],
  ];
  for (const [name, query, variables] of attempts) {
    const answer = await api.gql(query, variables, bob.token);
    assert.equal(errorOf(answer).code, 'NOT_FOUND', name);
  }
  assert.deepEqual((await messageDoc(message))!.flags, []);
  assert.equal(String((await messageDoc(message))!.mailbox), aliceBoxes.INBOX);
  assert.ok(await messageDoc(draft));
  assert.equal(String((await messageDoc(bobMessage))!.mailbox), bobBoxes.INBOX);
  assert.ok(await findMailbox(api.store.db, new ObjectId(alice.id), 'Archive'));
  assert.equal((await messagesIn(bob, 'Sent Mail')).length, 0, 'bob sent nothing');
  assert.equal((await messagesIn(bob, 'Drafts')).length, 0, 'bob saved no draft');
});

test('send to a local user: it arrives in their INBOX, unread; the Sent copy is \\Seen', async () => {
  const answer = await api.gql<{
    send: {
      messageId: string;
      rejected: string[];
      sent: { id: string; mailboxId: string; seen: boolean; subject: string; messageId: string };
    };
  }>(
    `mutation ($input: ComposeInput!) { send(input: $input) { messageId rejected sent { id mailboxId seen subject messageId } } }`,
    {
      input: {
        to: [{ name: 'Bob', address: 'Bob@Example.com' }],
        cc: [],
        subject: 'Lunch? ünïcödé',
        text: 'At noon.',
      },
    },
    alice.token,
  );
  assert.ok(answer.data, JSON.stringify(answer.errors));
  const { send } = answer.data;
  assert.match(send.messageId, /^<[^@]+@api\.test\.example>$/);
  assert.deepEqual(send.rejected, []);
  assert.equal(send.sent.seen, true);
  assert.equal(send.sent.subject, 'Lunch? ünïcödé');
  assert.equal(send.sent.messageId, send.messageId);
  assert.equal(send.sent.mailboxId, (await mailboxIds(alice))['Sent Mail']);

  const inbox = await messagesIn(bob, 'INBOX');
  const arrived = inbox.find((message) => message.hdr.messageId === send.messageId);
  assert.ok(arrived, 'the message is in the INBOX of bob');
  assert.deepEqual(arrived.flags, []);
  const parsed = await simpleParser(await rawMessage(bob, arrived._id));
  assert.equal(parsed.subject, 'Lunch? ünïcödé');
  assert.equal(parsed.text?.trim(), 'At noon.');
  assert.equal(parsed.from?.value[0]?.address, alice.address);
  assert.match(parsed.headers.get('received')?.toString() ?? '', /with HTTP/);
});

test('Bcc recipients get the message, only the Sent copy names them; a reply sets In-Reply-To and \\Answered', async () => {
  const original = await storeMessage(alice, 'question');
  const originalMessageId = (await messageDoc(original))!.hdr.messageId as string;
  const answer = await api.gql<{ send: { messageId: string; sent: { id: string } } }>(
    `mutation ($input: ComposeInput!) { send(input: $input) { messageId sent { id } } }`,
    {
      input: {
        to: [{ address: 'carol@remote.example' }],
        bcc: [{ address: 'bob@example.com' }],
        subject: 'Re: question',
        text: 'Yes.',
        html: '<p>Yes.</p>',
        inReplyTo: original,
      },
    },
    alice.token,
  );
  assert.ok(answer.data, JSON.stringify(answer.errors));
  const sentRaw = (await rawMessage(alice, answer.data.send.sent.id)).toString();
  assert.match(sentRaw, /^Bcc: bob@example\.com/m);
  assert.match(sentRaw, new RegExp(`^In-Reply-To: ${originalMessageId}`, 'm'));
  const bobCopy = (await messagesIn(bob, 'INBOX')).find(
    (message) => message.hdr.messageId === answer.data!.send.messageId,
  );
  assert.ok(bobCopy);
  const bobRaw = (await rawMessage(bob, bobCopy._id)).toString();
  assert.doesNotMatch(bobRaw, /^Bcc:/im);
  assert.match(bobRaw, /^References: .*/m);
  const relay = relayed.find((entry) => entry.raw.toString().includes(answer.data!.send.messageId));
  assert.ok(relay, 'the smarthost got it');
  assert.deepEqual(relay.to, ['carol@remote.example']);
  assert.doesNotMatch(relay.raw.toString(), /^Bcc:/im);
  assert.ok(((await messageDoc(original))!.flags as string[]).includes('\\Answered'));
});

test('send with an uploaded attachment over 128 KiB: it arrives byte for byte', async () => {
  const bytes = randomBytes(300 * 1024);
  const uploaded = await upload(bob, bytes, 'data.bin', 'application/octet-stream');
  assert.equal(uploaded.size, bytes.length);
  const answer = await api.gql<{ send: { messageId: string } }>(
    `mutation ($input: ComposeInput!) { send(input: $input) { messageId } }`,
    {
      input: {
        to: [{ address: alice.address }],
        subject: 'the data',
        text: 'Attached.',
        attachments: [uploaded.id],
      },
    },
    bob.token,
  );
  assert.ok(answer.data, JSON.stringify(answer.errors));
  const arrived = (await messagesIn(alice, 'INBOX')).find(
    (message) => message.hdr.messageId === answer.data!.send.messageId,
  );
  assert.ok(arrived);
  assert.equal(arrived.hasAttachments, true);
  const parsed = await simpleParser(await rawMessage(alice, arrived._id));
  assert.equal(parsed.attachments.length, 1);
  assert.equal(parsed.attachments[0]!.filename, 'data.bin');
  assert.ok(parsed.attachments[0]!.content.equals(bytes), 'the attachment decodes to the uploaded bytes');
  const unknown = await api.gql(
    `mutation ($a: ID!) { send(input: { to: [{ address: "alice@example.com" }], attachments: [$a] }) { messageId } }`,
    { a: new ObjectId().toHexString() },
    bob.token,
  );
  assert.equal(errorOf(unknown).code, 'NOT_FOUND');
});

test('send to remote addresses goes through the smarthost; refused ones are listed in rejected', async () => {
  const answer = await api.gql<{ send: { messageId: string; rejected: string[] } }>(
    `mutation ($input: ComposeInput!) { send(input: $input) { messageId rejected } }`,
    {
      input: {
        to: [{ address: 'dave@remote.example' }, { address: `${REFUSED_PREFIX}eve@remote.example` }],
        subject: 'outside',
        text: 'Hi Dave.',
      },
    },
    alice.token,
  );
  assert.ok(answer.data, JSON.stringify(answer.errors));
  assert.deepEqual(answer.data.send.rejected, [`${REFUSED_PREFIX}eve@remote.example`]);
  const relay = relayed.find((entry) => entry.raw.toString().includes(answer.data!.send.messageId));
  assert.ok(relay);
  assert.equal(relay.from, alice.address);
  assert.deepEqual(relay.to, ['dave@remote.example']);
  const parsed = await simpleParser(relay.raw);
  assert.equal(parsed.subject, 'outside');
  // the sender gets a report of the refusal in the INBOX
  const inbox = await messagesIn(alice, 'INBOX');
  assert.ok(
    inbox.some((message) => message.hdr.subject === 'Undelivered mail: some recipients refused your message'),
  );
});

test('send errors: no recipient, an invalid address, no smarthost, over quota; nothing is kept', async () => {
  const send = (input: Record<string, unknown>, token = alice.token) =>
    api.gql('mutation ($input: ComposeInput!) { send(input: $input) { messageId } }', { input }, token);
  const sentBefore = (await messagesIn(alice, 'Sent Mail')).length;

  const none = errorOf(await send({ subject: 'to nobody' }));
  assert.deepEqual([none.code, none.field], ['BAD_USER_INPUT', 'to']);
  const invalid = errorOf(
    await send({ to: [{ address: 'bob@example.com' }], cc: [{ address: 'not an address' }] }),
  );
  assert.deepEqual([invalid.code, invalid.field], ['BAD_USER_INPUT', 'cc']);

  const smarthost = api.services.smarthost;
  delete api.services.smarthost;
  try {
    const local = await send({
      to: [{ address: 'bob@example.com' }],
      bcc: [{ address: 'frank@remote.example' }],
    });
    const error = errorOf(local);
    assert.deepEqual([error.code, error.field], ['BAD_USER_INPUT', 'bcc']);
    assert.match(error.message, /frank@remote\.example/);
  } finally {
    api.services.smarthost = smarthost!;
  }

  api.services.smarthost = 'smtp://127.0.0.1:1';
  const bobInbox = (await messagesIn(bob, 'INBOX')).length;
  try {
    const unreachable = errorOf(
      await send({ to: [{ address: 'bob@example.com' }, { address: 'gina@remote.example' }], text: 'later' }),
    );
    assert.equal(unreachable.code, 'SERVICE_UNAVAILABLE');
    assert.equal((await messagesIn(bob, 'INBOX')).length, bobInbox, 'the local copy was taken back');
  } finally {
    api.services.smarthost = smarthost!;
  }

  const full = await account(`full-${randomBytes(3).toString('hex')}@example.com`, 2000);
  const tooMuch = errorOf(await send({ to: [{ address: full.address }], text: 'x'.repeat(5000) }));
  assert.equal(tooMuch.code, 'OVER_QUOTA');
  assert.match(tooMuch.message, new RegExp(full.address));
  const senderFull = errorOf(
    await send({ to: [{ address: alice.address }], text: 'y'.repeat(5000) }, full.token),
  );
  assert.equal(senderFull.code, 'OVER_QUOTA');
  assert.equal((await messagesIn(full, 'Sent Mail')).length, 0);
  assert.equal(
    (await messagesIn(alice, 'Sent Mail')).length,
    sentBefore,
    'no Sent copy of a refused message',
  );
});

test('saveDraft stores in Drafts with \\Draft \\Seen; a new version replaces the old one', async () => {
  const first = await api.gql<{
    saveDraft: { id: string; mailboxId: string; draft: boolean; seen: boolean; subject: string };
  }>(
    `mutation ($input: ComposeInput!) { saveDraft(input: $input) { id mailboxId draft seen subject } }`,
    {
      input: {
        to: [{ address: 'bob@example.com' }],
        bcc: [{ address: 'secret@example.com' }],
        subject: 'draft v1',
        text: 'first',
      },
    },
    alice.token,
  );
  assert.ok(first.data, JSON.stringify(first.errors));
  const boxes = await mailboxIds(alice);
  assert.equal(first.data.saveDraft.mailboxId, boxes.Drafts);
  assert.equal(first.data.saveDraft.draft, true);
  assert.equal(first.data.saveDraft.seen, true);
  assert.match((await rawMessage(alice, first.data.saveDraft.id)).toString(), /^Bcc: secret@example\.com/m);

  const second = await api.gql<{ saveDraft: { id: string; subject: string } }>(
    `mutation ($input: ComposeInput!, $r: ID) { saveDraft(input: $input, replaceId: $r) { id subject } }`,
    { input: { subject: 'draft v2', text: 'second' }, r: first.data.saveDraft.id },
    alice.token,
  );
  assert.ok(second.data, JSON.stringify(second.errors));
  assert.equal(second.data.saveDraft.subject, 'draft v2');
  assert.equal(await messageDoc(first.data.saveDraft.id), null, 'the old version is gone');
  const drafts = await messagesIn(alice, 'Drafts');
  assert.ok(drafts.some((message) => String(message._id) === second.data!.saveDraft.id));
  assert.equal(drafts.filter((message) => String(message.hdr.subject).startsWith('draft v')).length, 1);

  const notADraft = await storeMessage(alice, 'not a draft');
  const refused = errorOf(
    await api.gql(
      'mutation ($r: ID) { saveDraft(input: { subject: "v3" }, replaceId: $r) { id } }',
      { r: notADraft },
      alice.token,
    ),
  );
  assert.deepEqual([refused.code, refused.field], ['BAD_USER_INPUT', 'replaceId']);
  assert.ok(await messageDoc(notADraft));
});

test('a read-only personal access token can neither send nor change flags (FORBIDDEN)', async () => {
  const created = await api.gql<{ createAccessToken: { token: string } }>(
    'mutation { createAccessToken(name: "reader", scopes: [read]) { token } }',
    {},
    alice.token,
  );
  assert.ok(created.data, JSON.stringify(created.errors));
  const token = created.data.createAccessToken.token;
  const answer = await api.gql(
    'mutation { send(input: { to: [{ address: "bob@example.com" }] }) { messageId } }',
    {},
    token,
  );
  assert.equal(errorOf(answer).code, 'FORBIDDEN');
  const flags = await api.gql(
    'mutation ($ids: [ID!]!) { setFlags(ids: $ids, flags: ["\\\\Seen"]) { id } }',
    { ids: [await storeMessage(alice, 'ro')] },
    token,
  );
  assert.equal(errorOf(flags).code, 'FORBIDDEN');
});
