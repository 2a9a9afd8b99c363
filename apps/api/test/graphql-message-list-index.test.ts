/**
 * The messages query answers from the API's in-memory list of a mailbox (src/mail/list-index.ts):
 * what other processes write (deliveries, IMAP flag changes and expunges) shows in the next answer,
 * read from the journal, pages and searches stay consistent, and a folder whose UIDs have gaps
 * lists right while it is first read.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { ObjectId } from 'mongodb';
import { removeMessagesById, setFlags, storeMessage, type MailContext } from '@wildduck/mail-service';
import { startApi, type ApiHarness } from './graphql-harness.js';
import { mailboxId, store, textMessage } from './mail-fixtures.js';

let api: ApiHarness;
let carol: string;
let token: string;

before(async () => {
  api = await startApi('gqllistindex');
  carol = await api.createUser('carol@example.com');
  token = await api.signIn('carol@example.com');
});
after(async () => {
  await api.close();
});

interface Connection {
  edges: { node: { id: string; uid: number; subject: string; seen: boolean; flagged: boolean } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

const MESSAGES = `query ($mailboxId: ID!, $first: Int, $after: String, $search: MessageSearch) {
  messages(mailboxId: $mailboxId, first: $first, after: $after, search: $search) {
    edges { node { id uid subject seen flagged } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

async function list(
  mailbox: ObjectId,
  options: { first?: number; after?: string | null; search?: Record<string, unknown> } = {},
): Promise<Connection> {
  const answer = await api.gql(
    MESSAGES,
    {
      mailboxId: mailbox.toHexString(),
      first: options.first ?? 200,
      after: options.after ?? null,
      search: options.search,
    },
    token,
  );
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return (answer.data as { messages: Connection }).messages;
}

/** Every page, following the cursors. */
async function listAll(
  mailbox: ObjectId,
  first: number,
  search?: Record<string, unknown>,
): Promise<string[]> {
  const subjects: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Connection = await list(mailbox, { first, after, ...(search ? { search } : {}) });
    subjects.push(...page.edges.map((edge) => edge.node.subject));
    if (!page.pageInfo.hasNextPage) return subjects;
    after = page.pageInfo.endCursor;
  }
}

const subjects = (page: Connection) => page.edges.map((edge) => edge.node.subject);

test('changes made elsewhere (delivery, flags, expunge) show in the next answer', async () => {
  const mail: MailContext = { ctx: api.services.store, bus: api.services.bus };
  const user = new ObjectId(carol);
  const inbox = await mailboxId(mail.ctx, carol, 'INBOX');
  for (const subject of ['alpha', 'bravo', 'charlie'])
    await store(mail.ctx, carol, 'INBOX', textMessage({ subject, body: `about ${subject}` }));
  assert.deepEqual(await listAll(inbox, 2), ['charlie', 'bravo', 'alpha']);

  // as the mail server would: a delivery, a flag change and a removal, none of them through the API
  const delivered = await storeMessage(
    mail,
    user,
    inbox,
    Readable.from([textMessage({ subject: 'delta', body: 'the heron is back' })]),
  );
  assert.ok(delivered.ok);
  await setFlags(mail, user, inbox, [1], { action: 'add', flags: ['\\Seen', '\\Flagged'] });
  const bravo = (await list(inbox)).edges.find((edge) => edge.node.subject === 'bravo')!.node;
  await removeMessagesById(mail, user, inbox, [new ObjectId(bravo.id)]);

  const after = await list(inbox);
  assert.deepEqual(subjects(after), ['delta', 'charlie', 'alpha']);
  assert.equal(after.totalCount, 3);
  const alpha = after.edges.find((edge) => edge.node.subject === 'alpha')!.node;
  assert.equal(alpha.seen, true);
  assert.equal(alpha.flagged, true);
  assert.deepEqual(subjects(await list(inbox, { search: { text: 'heron' } })), ['delta']);
  assert.deepEqual(subjects(await list(inbox, { search: { unseen: true } })), ['delta', 'charlie']);
  assert.deepEqual(subjects(await list(inbox, { search: { flagged: true } })), ['alpha']);
  assert.deepEqual(subjects(await list(inbox, { search: { text: 'bravo' } })), []);
});

test('searches page by cursor like the whole folder does', async () => {
  const folder = await mailboxId(api.services.store, carol, 'Projects');
  for (let index = 1; index <= 7; index++)
    await store(
      api.services.store,
      carol,
      'Projects',
      textMessage({ subject: `report ${index}`, body: index % 2 ? 'odd kingfisher' : 'even' }),
    );
  assert.deepEqual(await listAll(folder, 2, { text: 'kingfisher' }), [
    'report 7',
    'report 5',
    'report 3',
    'report 1',
  ]);
  const first = await list(folder, { first: 3, search: { text: 'kingfisher' } });
  assert.equal(first.totalCount, 4);
  assert.equal(first.pageInfo.hasNextPage, true);
});
