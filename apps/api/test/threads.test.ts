/**
 * Conversations over GraphQL against the real API and store: grouping by links and subject, the
 * thread fields, cursor paging, search, live changes, another user's mailbox, and how long the
 * query takes on a 5,000 and a 20,000-message folder.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId, type Document } from 'mongodb';
import { startApi, type ApiHarness } from './graphql-harness.js';
import { base64Lines, crlf, errorOf, mailboxId, store, textMessage } from './mail-fixtures.js';

let api: ApiHarness;
let alice: string;
let aliceToken: string;
let bobToken: string;
let inbox: string;

before(async () => {
  api = await startApi('gqlthreads');
  alice = await api.createUser('alice@example.com');
  await api.createUser('bob@example.com');
  aliceToken = await api.signIn('alice@example.com');
  bobToken = await api.signIn('bob@example.com');
  inbox = (await mailboxId(api.services.store, alice, 'INBOX')).toHexString();
});
after(async () => {
  await api.close();
});

const ctx = () => api.services.store;

type Gql = Awaited<ReturnType<ApiHarness['gql']>>;
function data<T>(answer: Gql): T {
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data as T;
}

interface ThreadNode {
  id: string;
  subject: string;
  messageCount: number;
  unseenCount: number;
  flagged: boolean;
  hasAttachments: boolean;
  date: string;
  participants: { name: string | null; address: string }[];
  latest: { uid: number; subject: string; snippet: string };
  messages: { uid: number; subject: string }[];
}
interface ThreadConnection {
  edges: { cursor: string; node: ThreadNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

const THREAD_FIELDS = `id subject messageCount unseenCount flagged hasAttachments date
  participants { name address } latest { uid subject snippet } messages { uid subject }`;
const THREADS = `query ($mailboxId: ID!, $first: Int, $after: String, $search: MessageSearch) {
  threads(mailboxId: $mailboxId, first: $first, after: $after, search: $search) {
    edges { cursor node { ${THREAD_FIELDS} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;
const THREAD = `query ($mailboxId: ID!, $id: ID!) { thread(mailboxId: $mailboxId, id: $id) { ${THREAD_FIELDS} } }`;

async function threads(
  variables: { mailboxId?: string; first?: number; after?: string; search?: Record<string, unknown> } = {},
  token = aliceToken,
): Promise<ThreadConnection> {
  return data<{ threads: ThreadConnection }>(
    await api.gql(THREADS, { mailboxId: inbox, first: 100, ...variables }, token),
  ).threads;
}

const uidsOf = (connection: ThreadConnection) =>
  connection.edges.map((edge) => edge.node.messages.map((message) => message.uid));

/** A day of November 2026 at 10:00, for Date headers (arrival order is the UID order here). */
const day = (n: number) =>
  `${['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][(n + 0) % 7]}, ${n} Nov 2026 10:00:00 +0000`;

const lunch: number[] = [];
const budget: number[] = [];
let lone: number;

test('threads: linked messages and subject-only replies form one conversation, newest activity first', async () => {
  const put = async (fields: Parameters<typeof textMessage>[0], flags: string[] = []) =>
    (await store(ctx(), alice, 'INBOX', textMessage(fields), { flags })).uid;
  lunch.push(
    await put({ subject: 'Lunch friday', messageId: '<l1@ex>', from: 'Carol <carol@ex.org>', date: day(2) }, [
      '\\Seen',
    ]),
  );
  budget.push(
    await put({ subject: '[fin] Budget', messageId: '<b1@ex>', from: 'Dave <dave@ex.org>', date: day(3) }, [
      '\\Seen',
    ]),
  );
  lunch.push(
    await put(
      {
        subject: 'Re: Lunch friday',
        messageId: '<l2@ex>',
        references: '<l1@ex>',
        from: 'Erin <erin@ex.org>',
        date: day(4),
        body: 'Count me in.',
      },
      ['\\Seen', '\\Flagged'],
    ),
  );
  lone = await put({
    subject: 'Something else',
    messageId: '<x1@ex>',
    from: 'Carol <carol@ex.org>',
    date: day(5),
  });
  // In-Reply-To only, and a reply with no links at all (joins by its subject)
  lunch.push(
    await put({
      subject: 'RE: Lunch friday',
      messageId: '<l3@ex>',
      inReplyTo: '<l2@ex>',
      from: 'carol@ex.org',
      date: day(6),
    }),
  );
  const attachment = crlf([
    'From: Dave <dave@ex.org>',
    'To: alice@example.com',
    'Subject: Re: [fin] Budget',
    `Date: ${day(7)}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'Figures attached.',
    '--b',
    'Content-Type: application/pdf; name="figures.pdf"',
    'Content-Disposition: attachment; filename="figures.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(Buffer.from('%PDF-1.4 figures')),
    '--b--',
    '',
  ]);
  budget.push((await store(ctx(), alice, 'INBOX', attachment)).uid);
  lunch.push(
    await put({
      subject: 'Fwd: Lunch friday',
      from: 'Frank <frank@ex.org>',
      date: day(8),
      body: 'See below.',
    }),
  );

  const list = await threads();
  assert.equal(list.totalCount, 3);
  assert.deepEqual(uidsOf(list), [lunch, budget, [lone]]);
  const [conversation, money, other] = list.edges.map((edge) => edge.node);
  assert.equal(conversation!.subject, 'Lunch friday');
  assert.equal(conversation!.messageCount, 4);
  assert.equal(conversation!.unseenCount, 2);
  assert.equal(conversation!.flagged, true);
  assert.equal(conversation!.hasAttachments, false);
  assert.deepEqual(
    conversation!.participants.map((sender) => sender.address),
    ['carol@ex.org', 'erin@ex.org', 'frank@ex.org'],
  );
  assert.equal(conversation!.latest.uid, lunch.at(-1));
  assert.match(conversation!.latest.snippet, /See below/);
  assert.equal(new Date(conversation!.date).toISOString(), new Date(day(8)).toISOString());
  assert.equal(money!.subject, '[fin] Budget');
  assert.equal(money!.hasAttachments, true);
  assert.equal(money!.flagged, false);
  assert.equal(money!.unseenCount, 1);
  assert.equal(other!.messageCount, 1);

  // one thread by its id: the same conversation
  const one = data<{ thread: ThreadNode }>(
    await api.gql(THREAD, { mailboxId: inbox, id: conversation!.id }, aliceToken),
  );
  assert.deepEqual(
    one.thread.messages.map((message) => message.uid),
    lunch,
  );
  assert.equal(one.thread.id, conversation!.id);
});

test('threads: a new message joins its conversation at once and moves it up; ids stay', async () => {
  const before = await threads();
  const budgetId = before.edges[1]!.node.id;
  const reply = await store(
    ctx(),
    alice,
    'INBOX',
    textMessage({ subject: 'Re: Budget', messageId: '<b3@ex>', references: '<b1@ex>', date: day(9) }),
  );
  budget.push(reply.uid);
  const after = await threads();
  assert.deepEqual(uidsOf(after), [budget, lunch, [lone]]);
  assert.equal(after.edges[0]!.node.id, budgetId);
  // a flag change shows too (the summaries are read each time; only the grouping is kept)
  data(
    await api.gql(
      `mutation ($ids: [ID!]!) { setFlags(ids: $ids, flags: ["\\\\Flagged"]) { id } }`,
      { ids: [reply.id] },
      aliceToken,
    ),
  );
  assert.equal((await threads()).edges[0]!.node.flagged, true);

  // moved out (an EXPUNGE here): the conversation shrinks and falls back into place
  const archive = (await mailboxId(ctx(), alice, 'Archive')).toHexString();
  data(
    await api.gql(
      `mutation ($ids: [ID!]!, $to: ID!) { moveMessages(ids: $ids, mailboxId: $to) { id } }`,
      { ids: [reply.id], to: archive },
      aliceToken,
    ),
  );
  budget.pop();
  assert.deepEqual(uidsOf(await threads()), [lunch, budget, [lone]]);
  // and in Archive it is a conversation of its own (only messages of the mailbox are in a thread)
  assert.equal((await threads({ mailboxId: archive })).edges[0]!.node.messageCount, 1);
  // delivered again: back in its conversation
  const again = await store(
    ctx(),
    alice,
    'INBOX',
    textMessage({ subject: 'Re: Budget', messageId: '<b4@ex>', references: '<b1@ex> <b3@ex>', date: day(9) }),
  );
  budget.push(again.uid);
  assert.deepEqual(uidsOf(await threads()), [budget, lunch, [lone]]);
});

test('threads: a conversation keeps its id, and is found by it, when its oldest message goes', async () => {
  const dora = await api.createUser('dora@example.com');
  const doraToken = await api.signIn('dora@example.com');
  const doraInbox = (await mailboxId(ctx(), dora, 'INBOX')).toHexString();
  const root = await store(
    ctx(),
    dora,
    'INBOX',
    textMessage({ subject: 'Plans', messageId: '<p1@ex>', date: day(3) }),
  );
  for (const [n, references] of [
    [2, '<p1@ex>'],
    [3, '<p1@ex> <p2@ex>'],
  ] as const)
    await store(
      ctx(),
      dora,
      'INBOX',
      textMessage({ subject: 'Re: Plans', messageId: `<p${n}@ex>`, references, date: day(3 + n) }),
    );
  const before = await threads({ mailboxId: doraInbox }, doraToken);
  const id = before.edges[0]!.node.id;
  assert.equal(before.edges[0]!.node.messageCount, 3);
  // the oldest message goes (moved to Trash): the replies still name it as their root
  const trash = (await mailboxId(ctx(), dora, 'Trash')).toHexString();
  data(
    await api.gql(
      `mutation ($ids: [ID!]!, $to: ID!) { moveMessages(ids: $ids, mailboxId: $to) { id } }`,
      { ids: [root.id], to: trash },
      doraToken,
    ),
  );
  const after = await threads({ mailboxId: doraInbox }, doraToken);
  assert.equal(after.edges[0]!.node.id, id, 'the same id in the list');
  const open = data<{ thread: ThreadNode | null }>(
    await api.gql(THREAD, { mailboxId: doraInbox, id }, doraToken),
  ).thread;
  assert.deepEqual(
    open?.messages.map((message) => message.subject),
    ['Re: Plans', 'Re: Plans'],
    'the open conversation is still found by its id',
  );
});

test('threads: cursor paging walks every conversation once; bad input names its field', async () => {
  for (let n = 0; n < 5; n++)
    await store(
      ctx(),
      alice,
      'INBOX',
      textMessage({ subject: `Page filler ${n}`, messageId: `<f${n}@ex>`, date: day(10 + n) }),
    );
  const everything = await threads();
  assert.equal(everything.totalCount, 8);
  const seen: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await threads({ first: 3, ...(after ? { after } : {}) });
    assert.equal(page.totalCount, 8);
    seen.push(...page.edges.map((edge) => edge.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor!;
    assert.equal(page.edges.at(-1)!.cursor, after);
  }
  assert.deepEqual(
    seen,
    everything.edges.map((edge) => edge.node.id),
  );

  for (const [variables, field] of [
    [{ after: 'not-a-cursor' }, 'after'],
    [{ after: Buffer.from('12').toString('base64url') }, 'after'],
    [{ first: 0 }, 'first'],
    [{ first: 101 }, 'first'],
    [{ mailboxId: 'nope' }, 'mailboxId'],
  ] as const) {
    const answer = await api.gql(THREADS, { mailboxId: inbox, ...variables }, aliceToken);
    assert.equal(errorOf(answer).code, 'BAD_USER_INPUT', JSON.stringify(variables));
    assert.equal(errorOf(answer).field, field);
  }
  const badId = await api.gql(THREAD, { mailboxId: inbox, id: 'zz' }, aliceToken);
  assert.equal(errorOf(badId).code, 'BAD_USER_INPUT');
});

test('threads: search filters the messages first, then groups what matched', async () => {
  const bySubject = await threads({ search: { subject: 'lunch' } });
  assert.deepEqual(uidsOf(bySubject), [lunch]);
  const unseen = await threads({ search: { unseen: true } });
  // only the unseen messages of each conversation
  const lunchUnseen = unseen.edges.find((edge) =>
    edge.node.messages.some((message) => lunch.includes(message.uid)),
  );
  assert.deepEqual(
    lunchUnseen!.node.messages.map((message) => message.uid),
    [lunch[2], lunch[3]],
  );
  assert.equal(lunchUnseen!.node.unseenCount, lunchUnseen!.node.messageCount);
  const nothing = await threads({ search: { text: 'no message says this' } });
  assert.equal(nothing.totalCount, 0);
  assert.deepEqual(nothing.pageInfo, { hasNextPage: false, endCursor: null });
});

test("threads: another user's mailbox is not found, and its threads are nothing", async () => {
  const list = await threads();
  const answer = await api.gql(THREADS, { mailboxId: inbox, first: 10 }, bobToken);
  assert.equal(errorOf(answer).code, 'NOT_FOUND');
  const one = data<{ thread: ThreadNode | null }>(
    await api.gql(THREAD, { mailboxId: inbox, id: list.edges[0]!.node.id }, bobToken),
  );
  assert.equal(one.thread, null);
  const missing = data<{ thread: ThreadNode | null }>(
    await api.gql(THREAD, { mailboxId: inbox, id: Buffer.from('r99999').toString('base64url') }, aliceToken),
  );
  assert.equal(missing.thread, null);
  const unauthenticated = await api.gql(THREADS, { mailboxId: inbox }, null);
  assert.equal(errorOf(unauthenticated).code, 'UNAUTHENTICATED');
});

/**
 * Fills a mailbox up to `total` messages quickly: copies of one stored message (and of its search
 * document) with their own UIDs, Message-IDs and subjects, in conversations of five, inserted in
 * batches, with the mailbox's counters set to match. Delivering 20,000 messages one by one would
 * take most of the test's time; the query under measure reads the same documents either way.
 */
async function fillMailbox(mailbox: ObjectId, userId: string, from: number, total: number): Promise<void> {
  const db = api.services.db;
  const template = await db.collection('messages').findOne({ mailbox });
  const searchTemplate = await db.collection('messageSearch').findOne({ _id: template!._id });
  assert.ok(template && searchTemplate, 'a stored message and its search document to copy');
  const start = template.internalDate as Date;
  for (let first = from; first <= total; first += 1000) {
    const messages: Document[] = [];
    const searches: Document[] = [];
    for (let uid = first; uid < Math.min(first + 1000, total + 1); uid++) {
      const _id = new ObjectId();
      const thread = Math.floor((uid - 1) / 5);
      const subject = `${uid % 5 === 1 ? '' : 'Re: '}Topic ${thread}`;
      const messageId = `<bulk-${uid}@ex>`;
      const references = uid % 5 === 1 ? [] : [`<bulk-${thread * 5 + 1}@ex>`];
      const internalDate = new Date(start.getTime() + uid * 60_000);
      messages.push({
        ...template,
        _id,
        uid,
        internalDate,
        hdr: { ...template.hdr, subject, messageId, references, inReplyTo: references[0] ?? '' },
      });
      searches.push({
        ...searchTemplate,
        _id,
        uid,
        internalDate,
        hdr: {
          ...searchTemplate.hdr,
          search: { ...searchTemplate.hdr.search, subject: subject.toLowerCase() },
        },
        sort: { ...searchTemplate.sort, subject, messageId, references, inReplyTo: references[0] ?? '' },
        // the list fields (search-index.ts listFields): what the lists show
        list: {
          ...searchTemplate.list,
          hdr: { ...searchTemplate.list.hdr, subject, messageId, references, inReplyTo: references[0] ?? '' },
        },
      });
    }
    await db.collection('messages').insertMany(messages, { ordered: false });
    await db.collection('messageSearch').insertMany(searches, { ordered: false });
  }
  await db
    .collection('mailboxes')
    .updateOne(
      { _id: mailbox, user: new ObjectId(userId) },
      { $set: { uidNext: total + 1, messages: total } },
    );
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: Math.round(performance.now() - started), value };
}

/** 20,000 too with THREADS_MEASURE_LARGE=1 (about four more minutes on a loaded 2-core machine). */
const MEASURED_SIZES = process.env.THREADS_MEASURE_LARGE === '1' ? [5_000, 20_000] : [5_000];

test('threads: figures on a 5,000-message folder (and 20,000 on request)', async () => {
  const carol = await api.createUser('carol@example.com');
  const carolToken = await api.signIn('carol@example.com');
  const big = await mailboxId(ctx(), carol, 'Big');
  await store(ctx(), carol, 'Big', textMessage({ subject: 'Topic 0', messageId: '<bulk-1@ex>' }));
  let filled = 1;
  const first = await api.services.db.collection('messages').findOne({ mailbox: big, uid: 1 });
  const firstDate = first!.internalDate as Date;
  for (const size of MEASURED_SIZES) {
    await fillMailbox(big, carol, filled + 1, size);
    filled = size;
    const list = (variables: Record<string, unknown>) =>
      timed(
        async () =>
          data<{ threads: ThreadConnection }>(
            await api.gql(THREADS, { mailboxId: big.toHexString(), first: 50, ...variables }, carolToken),
          ).threads,
      );
    const cold = await list({});
    assert.equal(cold.value.totalCount, size / 5);
    assert.equal(cold.value.edges.length, 50);
    assert.equal(cold.value.edges[0]!.node.messageCount, 5);
    assert.equal(cold.value.edges[0]!.node.subject, `Topic ${size / 5 - 1}`);
    const second = await list({ after: cold.value.pageInfo.endCursor });
    assert.equal(second.value.edges[0]!.node.subject, `Topic ${size / 5 - 51}`);
    const far = await list({ after: second.value.pageInfo.endCursor, first: 100 });
    const search = await list({ search: { subject: 'topic 7' } });
    // for scale: the single-message list's first page on the same folder, at the same moment
    const messages = await timed(async () =>
      data<{ messages: { edges: unknown[] } }>(
        await api.gql(
          `query ($mailboxId: ID!) { messages(mailboxId: $mailboxId, first: 50) { edges { node { id subject } } } }`,
          { mailboxId: big.toHexString() },
          carolToken,
        ),
      ),
    );
    // the message list's first page may be short (40) while the API first reads the folder
    assert.ok(messages.value.messages.edges.length >= 40, 'a first page of the messages');
    // one more message: the grouping catches up from the journal instead of reading the folder again
    filled += 1;
    await store(
      ctx(),
      carol,
      'Big',
      textMessage({ subject: 'Re: Topic 0', messageId: `<late-${size}@ex>`, references: '<bulk-1@ex>' }),
      // just after the newest copy (fillMailbox dates them a minute apart from the first message's)
      { internalDate: new Date(firstDate.getTime() + (size + 1) * 60_000) },
    );
    const caughtUp = await list({});
    assert.equal(caughtUp.value.edges[0]!.node.subject, 'Topic 0');
    assert.equal(caughtUp.value.totalCount, size / 5);
    assert.ok(search.value.totalCount > 0);
    console.log(
      `threads on ${size} messages (FerretDB): first page ${cold.ms} ms (reads and groups the folder), ` +
        `second page ${second.ms} ms, a page of 100 ${far.ms} ms (cached grouping), ` +
        `subject search ${search.ms} ms (${search.value.totalCount} threads); ` +
        `messages(first: 50) ${messages.ms} ms; first page after one more message ${caughtUp.ms} ms`,
    );
    assert.ok(second.ms < cold.ms * 3 + 2000, 'a later page does not take longer than regrouping');
  }
});
