/**
 * GraphQL send runs the local recipients' Sieve filters as LMTP does (packages/delivery
 * submit.ts): a fileinto with flags, a rejection (the sender gets a notice in the INBOX), and a
 * redirect through the smarthost with the recipient as envelope sender.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import { activateSieveScript, findMailbox, putSieveScript } from '@wildduck/store';
import { startApi, type ApiHarness } from './graphql-harness.js';
import { startRelaySink, type Relayed } from '../../mailserver/test/outside-world.js';

let api: ApiHarness;
let sink: Awaited<ReturnType<typeof startRelaySink>>;
let relayed: Relayed[];

before(async () => {
  sink = await startRelaySink();
  relayed = sink.relayed;
  api = await startApi('send-filters', { smarthost: sink.url });
});
after(async () => {
  await api.close();
  await sink.close();
});

let counter = 0;
async function account(name: string): Promise<{ address: string; id: ObjectId; token: string }> {
  const address = `${name}${++counter}@example.com`;
  const id = new ObjectId(await api.createUser(address));
  return { address, id, token: await api.signIn(address) };
}

async function activeScript(user: ObjectId, content: string): Promise<void> {
  await putSieveScript(api.store.db, user, 'main', content);
  await activateSieveScript(api.store.db, user, 'main');
}

async function send(token: string, to: string, subject: string): Promise<void> {
  const answer = await api.gql<{ send: { messageId: string } }>(
    'mutation ($input: ComposeInput!) { send(input: $input) { messageId } }',
    { input: { to: [{ address: to }], subject, text: 'Hello.' } },
    token,
  );
  assert.ok(answer.data, JSON.stringify(answer.errors));
}

async function messagesIn(user: ObjectId, path: string) {
  const mailbox = await findMailbox(api.store.db, user, path);
  if (!mailbox) return [];
  return api.store.db.collection('messages').find({ mailbox: mailbox._id }).toArray();
}

async function waitFor<T>(look: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = await look();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('send to a local user with a filter: filed into Archive, flagged', async () => {
  const alice = await account('alice');
  const bob = await account('bob');
  await activeScript(
    bob.id,
    'require ["fileinto", "imap4flags"];\nif header :contains "subject" "report" { fileinto :flags "\\\\Flagged" "Archive"; }\n',
  );
  await send(alice.token, bob.address, 'Weekly report');
  const archived = await messagesIn(bob.id, 'Archive');
  assert.equal(archived.length, 1);
  assert.deepEqual(archived[0]!.flags, ['\\Flagged']);
  assert.equal((await messagesIn(bob.id, 'INBOX')).length, 0);
});

test('send to a local user whose filter rejects: no copy for them, a notice for the sender', async () => {
  const alice = await account('alice');
  const carol = await account('carol');
  await activeScript(carol.id, 'require "reject";\nreject "Please use the ticket system.";\n');
  await send(alice.token, carol.address, 'Help!');
  assert.equal((await messagesIn(carol.id, 'INBOX')).length, 0);
  const notice = await waitFor(async () => (await messagesIn(alice.id, 'INBOX'))[0], 'the rejection notice');
  assert.match(String(notice.hdr?.subject ?? ''), /Rejected: Help!/);
  assert.equal((await messagesIn(alice.id, 'Sent Mail')).length, 1, 'the Sent copy is kept');
});

test('send to a local user who redirects: the smarthost gets it from the recipient', async () => {
  const alice = await account('alice');
  const dave = await account('dave');
  await activeScript(dave.id, 'redirect "dave-elsewhere@remote.example";\n');
  await send(alice.token, dave.address, 'Pass it on');
  const sent = await waitFor(
    () => relayed.find((entry) => entry.to.includes('dave-elsewhere@remote.example')),
    'the redirect',
  );
  assert.equal(sent.from, dave.address);
  assert.match(sent.raw.toString(), new RegExp(`^Delivered-To: ${dave.address}\r\n`));
});
