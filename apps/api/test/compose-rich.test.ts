/**
 * Rich compose through the real API (issue 18): HTML sanitised as received HTML is, a plain text
 * alternative, inline images as cid: related parts, identities and their signatures, the From of
 * a send, and suggestions of addresses written to (GraphQL send and SMTP submission). What was sent
 * is read back over IMAP with imapflow, and submitted with nodemailer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ImapFlow, type MessageStructureObject } from 'imapflow';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import type { SMTPServer } from 'smtp-server';
import { ImapServer } from '@wildduck/imap-core';
import { JunkReporter } from '@wildduck/mail-service';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { StoreImapBackend } from '../../mailserver/src/imap/store-backend.js';
import { loadOrCreateCertificate } from '../../mailserver/src/tls.js';
import { LOGIN_LIMITS } from '../../mailserver/src/runtime.js';
import { createSubmissionServer } from '../../mailserver/src/delivery/submission-server.js';
import { listenOnFreePort } from '../../mailserver/test/mail-harness.js';
import { startApi, PASSWORD, type ApiHarness } from './graphql-harness.js';

let api: ApiHarness;
let imap: ImapServer;
let imapPort: number;
let submission: SMTPServer;
let submissionPort: number;
const imapClients: ImapFlow[] = [];

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

before(async () => {
  api = await startApi('composerich');
  const ctx = api.services.store;
  const bus = api.bus;
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const tls = await loadOrCreateCertificate({ dataDir: mkdtempSync(join(tmpdir(), 'wd-tls-')) });
  const backend = new StoreImapBackend({
    ctx,
    bus,
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
    junkReporter: new JunkReporter({ ctx, bus, apiUrl: api.url, logger }),
  });
  imap = new ImapServer({ backend, tls, allowPlaintextLogin: true });
  imapPort = (await imap.listen(0)).port;
  submission = createSubmissionServer({
    ctx,
    bus,
    serverName: 'mx.test.example',
    tls,
    logger,
    allowInsecureAuth: true,
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
  });
  submissionPort = await listenOnFreePort(submission);
});

after(async () => {
  await Promise.all(imapClients.map((client) => client.logout().catch(() => {})));
  await new Promise<void>((resolve) => submission.close(() => resolve()));
  await imap.close();
  await api.close();
});

let counter = 0;

/** A new user, signed in: its address and session token. */
async function newUser(name: string): Promise<{ address: string; token: string }> {
  const address = `${name}${++counter}@example.com`;
  await api.createUser(address);
  return { address, token: await api.signIn(address) };
}

async function upload(token: string, bytes: Buffer, filename: string, contentType: string): Promise<string> {
  const response = await fetch(`${api.url}/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-filename': filename, 'content-type': contentType },
    body: bytes,
  });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { id: string }).id;
}

interface GqlError {
  code: unknown;
  field: unknown;
}

/** Runs a GraphQL operation that must succeed; answers its data. */
async function ok<T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const answer = await api.gql<T>(query, variables, token);
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data as T;
}

/** Runs a GraphQL operation that must fail; answers its error's code and field. */
async function failing(token: string, query: string, variables: Record<string, unknown>): Promise<GqlError> {
  const answer = await api.gql(query, variables, token);
  assert.ok(answer.errors?.length, `expected an error, got ${JSON.stringify(answer.data)}`);
  return { code: answer.errors[0]!.extensions?.code, field: answer.errors[0]!.extensions?.field };
}

const SEND = `mutation Send($input: ComposeInput!) { send(input: $input) { messageId sent { id } } }`;
const IDENTITIES = `query { identities { id name address signatureHtml isDefault } }`;
const SAVE_IDENTITY = `mutation Save($id: ID, $input: IdentityInput!) {
  saveIdentity(id: $id, input: $input) { id name address signatureHtml isDefault }
}`;
const DELETE_IDENTITY = `mutation Delete($id: ID!) { deleteIdentity(id: $id) }`;
const SUGGEST = `query Suggest($prefix: String!, $first: Int) { addressSuggestions(prefix: $prefix, first: $first) { name address } }`;

interface Identity {
  id: string;
  name: string | null;
  address: string;
  signatureHtml: string | null;
  isDefault: boolean;
}

async function imapClient(address: string): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: imapPort,
    secure: false,
    auth: { user: address, pass: PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await client.connect();
  imapClients.push(client);
  return client;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The newest message of the user's INBOX over IMAP: its structure, envelope and a reader of parts. */
async function newestInInbox(address: string) {
  const client = await imapClient(address);
  const lock = await client.getMailboxLock('INBOX');
  try {
    const message = await client.fetchOne('*', { uid: true, bodyStructure: true, envelope: true });
    assert.ok(message, 'the INBOX is empty');
    const part = async (id: string) => {
      const { content } = await client.download(String(message.uid), id, { uid: true });
      return readAll(content);
    };
    const parts: Record<string, Buffer> = {};
    for (const id of partIds(message.bodyStructure!)) parts[id] = await part(id);
    return { structure: message.bodyStructure!, envelope: message.envelope!, parts };
  } finally {
    lock.release();
  }
}

function partIds(node: MessageStructureObject): string[] {
  if (node.childNodes?.length) return node.childNodes.flatMap(partIds);
  return [node.part ?? '1'];
}

async function inboxTotal(token: string): Promise<number> {
  const data = await ok<{ mailboxes: { path: string; total: number }[] }>(
    token,
    `query { mailboxes { path total } }`,
  );
  return data.mailboxes.find((mailbox) => mailbox.path === 'INBOX')!.total;
}

const RICH_HTML = `<p>Hello <b>Bob</b> and <i>friends</i>,</p>
<ul><li>first point</li><li>second point</li></ul>
<ol><li>step one</li><li>step two</li></ol>
<p>See <a href="https://example.org/plan">the plan</a> and <a href="javascript:alert(1)">this</a>.</p>
<blockquote><p>An old line</p></blockquote>
<p><img src="cid:pic-1@compose" alt="logo"><img src="https://images.example.net/remote.png" alt="remote"></p>
<img src="x" onerror="alert(2)"><script>alert(3)</script><form><input name="q"></form>
<iframe src="https://evil.example"></iframe>`;

test('HTML goes out sanitised as multipart/alternative: a text part, and the HTML with its picture as multipart/related', async () => {
  const alice = await newUser('alice');
  const bob = await newUser('bob');
  const picture = await upload(alice.token, PNG, 'logo.png', 'image/png');
  const unused = await upload(alice.token, PNG, 'unused.png', 'image/png');
  await ok(alice.token, SEND, {
    input: {
      to: [{ name: 'Bob', address: bob.address }],
      subject: 'Rich',
      html: RICH_HTML,
      inlineImages: [
        { uploadId: picture, contentId: 'pic-1@compose' },
        { uploadId: unused, contentId: 'not-in-the-html' },
      ],
    },
  });

  const { structure, parts } = await newestInInbox(bob.address);
  assert.equal(structure.type, 'multipart/alternative');
  const [plain, related] = structure.childNodes!;
  assert.equal(plain!.type, 'text/plain');
  assert.equal(related!.type, 'multipart/related');
  // the picture the HTML does not use is left out
  assert.equal(related!.childNodes!.length, 2);
  const [htmlPart, image] = related!.childNodes!;
  assert.equal(htmlPart!.type, 'text/html');
  assert.equal(image!.type, 'image/png');
  assert.equal(image!.id, '<pic-1@compose>');
  assert.equal(image!.disposition, 'inline');
  assert.deepEqual(parts[image!.part!], PNG);

  const html = parts[htmlPart!.part!]!.toString('utf8');
  for (const kept of ['<b>Bob</b>', '<i>friends</i>', '<ul>', '<ol>', '<li>first point</li>', '<blockquote>'])
    assert.ok(html.includes(kept), `${kept} is kept in ${html}`);
  assert.match(html, /<a href="https:\/\/example\.org\/plan"[^>]*>the plan<\/a>/);
  assert.match(html, /<img src="cid:pic-1@compose" alt="logo"/);
  // remote images in the user's own HTML stay: the reader's webmail blocks them until asked
  assert.match(html, /src="https:\/\/images\.example\.net\/remote\.png"/);
  for (const gone of ['<script', 'alert(', 'onerror', 'javascript:', '<form', '<input', '<iframe'])
    assert.ok(!html.includes(gone), `${gone} is removed from ${html}`);

  const text = parts[plain!.part!]!.toString('utf8').replace(/\r\n/g, '\n');
  assert.equal(
    text.trim(),
    [
      'Hello Bob and friends,',
      '',
      '- first point',
      '- second point',
      '',
      '1. step one',
      '2. step two',
      '',
      'See the plan <https://example.org/plan> and this.',
      '',
      '> An old line',
      '',
      '[logo][remote]',
    ].join('\n'),
  );
});

test('a given text is sent as the alternative as it is', async () => {
  const alice = await newUser('alice');
  const bob = await newUser('bob');
  await ok(alice.token, SEND, {
    input: {
      to: [{ address: bob.address }],
      subject: 'Both',
      html: '<p>Rich <b>one</b></p>',
      text: 'Plain one',
    },
  });
  const { structure, parts } = await newestInInbox(bob.address);
  assert.equal(structure.type, 'multipart/alternative');
  assert.equal(parts['1']!.toString('utf8').trim(), 'Plain one');
  assert.match(parts['2']!.toString('utf8'), /<p>Rich <b>one<\/b><\/p>/);
});

test('inline images must be image uploads of the sender under usable Content-IDs: BAD_USER_INPUT input.inlineImages, nothing sent', async () => {
  const alice = await newUser('alice');
  const mallory = await newUser('mallory');
  const bob = await newUser('bob');
  const hers = await upload(alice.token, PNG, 'hers.png', 'image/png');
  const text = await upload(mallory.token, Buffer.from('not a picture'), 'notes.txt', 'text/plain');
  const mine = await upload(mallory.token, PNG, 'mine.png', 'image/png');
  const before = await inboxTotal(bob.token);
  const attempts = [
    { uploadId: hers, contentId: 'a@b' }, // another user's upload
    { uploadId: text, contentId: 'a@b' }, // not an image
    { uploadId: '0123456789abcdef01234567', contentId: 'a@b' }, // no such upload
    { uploadId: mine, contentId: 'bad id<>' }, // not a Content-ID
  ];
  for (const image of attempts) {
    const error = await failing(mallory.token, SEND, {
      input: { to: [{ address: bob.address }], html: '<img src="cid:a@b">', inlineImages: [image] },
    });
    assert.deepEqual(error, { code: 'BAD_USER_INPUT', field: 'input.inlineImages' }, JSON.stringify(image));
  }
  const twice = await failing(mallory.token, SEND, {
    input: {
      to: [{ address: bob.address }],
      html: '<img src="cid:a@b">',
      inlineImages: [
        { uploadId: mine, contentId: 'a@b' },
        { uploadId: mine, contentId: 'a@b' },
      ],
    },
  });
  assert.deepEqual(twice, { code: 'BAD_USER_INPUT', field: 'input.inlineImages' });
  assert.equal(await inboxTotal(bob.token), before);
});

test('a draft keeps the sanitised HTML and its inline picture, so reopening it shows them', async () => {
  const alice = await newUser('alice');
  const picture = await upload(alice.token, PNG, 'logo.png', 'image/png');
  const saved = await ok<{ saveDraft: { id: string } }>(
    alice.token,
    `mutation Draft($input: ComposeInput!) { saveDraft(input: $input) { id } }`,
    {
      input: {
        subject: 'Draft',
        html: '<p><b>Half</b> written <img src="cid:d1@x" alt="pic"></p><script>x()</script>',
        inlineImages: [{ uploadId: picture, contentId: 'd1@x' }],
      },
    },
  );
  const data = await ok<{
    message: { html: string; text: string; attachments: { contentId: string | null; downloadUrl: string }[] };
  }>(
    alice.token,
    `query M($id: ID!) { message(id: $id) { html text attachments { contentId downloadUrl } } }`,
    {
      id: saved.saveDraft.id,
    },
  );
  const { html, text, attachments } = data.message;
  assert.equal(attachments.length, 1);
  assert.equal(attachments[0]!.contentId, 'd1@x');
  assert.ok(html.includes('<b>Half</b>'), html);
  assert.ok(html.includes(`src="${attachments[0]!.downloadUrl}"`), html);
  assert.ok(!html.includes('script'), html);
  assert.equal(text.trim(), 'Half written [pic]');
});

test('identities: the account address made on first read, add, edit, one default, sanitised signature, delete', async () => {
  const alice = await newUser('alice');
  const first = (await ok<{ identities: Identity[] }>(alice.token, IDENTITIES)).identities;
  assert.equal(first.length, 1);
  assert.deepEqual(
    { ...first[0], id: undefined },
    { id: undefined, name: null, address: alice.address, signatureHtml: null, isDefault: true },
  );
  // reading again does not make another
  assert.deepEqual((await ok<{ identities: Identity[] }>(alice.token, IDENTITIES)).identities, first);

  const work = (
    await ok<{ saveIdentity: Identity }>(alice.token, SAVE_IDENTITY, {
      input: {
        name: 'Alice at Work',
        address: alice.address.toUpperCase(),
        signatureHtml:
          '<p><b>Alice</b> — <a href="javascript:evil()">site</a><img src=x onerror="y()"></p><script>z()</script>',
        isDefault: true,
      },
    })
  ).saveIdentity;
  assert.equal(work.address, alice.address);
  assert.equal(work.isDefault, true);
  assert.ok(work.signatureHtml!.includes('<b>Alice</b>'), work.signatureHtml!);
  for (const gone of ['javascript:', 'onerror', '<script', 'z()'])
    assert.ok(!work.signatureHtml!.includes(gone), work.signatureHtml!);
  let list = (await ok<{ identities: Identity[] }>(alice.token, IDENTITIES)).identities;
  assert.deepEqual(
    list.map((identity) => [identity.id, identity.isDefault]),
    [
      [first[0]!.id, false],
      [work.id, true],
    ],
  );

  const renamed = (
    await ok<{ saveIdentity: Identity }>(alice.token, SAVE_IDENTITY, {
      id: first[0]!.id,
      input: { name: 'Alice', address: alice.address, signatureHtml: '<i>A.</i>' },
    })
  ).saveIdentity;
  assert.deepEqual(
    { name: renamed.name, signatureHtml: renamed.signatureHtml, isDefault: renamed.isDefault },
    { name: 'Alice', signatureHtml: '<i>A.</i>', isDefault: false },
  );

  // not her address, a wrong id, another user's id: errors, nothing changes
  assert.deepEqual(
    await failing(alice.token, SAVE_IDENTITY, { input: { name: 'Boss', address: 'boss@example.com' } }),
    { code: 'BAD_USER_INPUT', field: 'input.address' },
  );
  assert.deepEqual(
    await failing(alice.token, SAVE_IDENTITY, { id: work.id, input: { address: 'not an address' } }),
    { code: 'BAD_USER_INPUT', field: 'input.address' },
  );
  const bob = await newUser('bob');
  assert.deepEqual(await failing(bob.token, DELETE_IDENTITY, { id: work.id }), {
    code: 'NOT_FOUND',
    field: undefined,
  });
  assert.deepEqual(
    await failing(bob.token, SAVE_IDENTITY, { id: work.id, input: { address: bob.address } }),
    { code: 'NOT_FOUND', field: undefined },
  );
  list = (await ok<{ identities: Identity[] }>(alice.token, IDENTITIES)).identities;
  assert.deepEqual(
    list.map((identity) => [identity.name, identity.isDefault]),
    [
      ['Alice', false],
      ['Alice at Work', true],
    ],
  );

  // deleting the default makes the oldest left the default; the last one stays
  assert.equal(
    (await ok<{ deleteIdentity: boolean }>(alice.token, DELETE_IDENTITY, { id: work.id })).deleteIdentity,
    true,
  );
  list = (await ok<{ identities: Identity[] }>(alice.token, IDENTITIES)).identities;
  assert.deepEqual(
    list.map((identity) => [identity.id, identity.isDefault]),
    [[first[0]!.id, true]],
  );
  assert.deepEqual(await failing(alice.token, DELETE_IDENTITY, { id: first[0]!.id }), {
    code: 'BAD_USER_INPUT',
    field: 'id',
  });
  assert.equal((await ok<{ identities: Identity[] }>(alice.token, IDENTITIES)).identities.length, 1);
});

test('send uses the chosen identity, else the default, for the name in From', async () => {
  const alice = await newUser('alice');
  const bob = await newUser('bob');
  const work = (
    await ok<{ saveIdentity: Identity }>(alice.token, SAVE_IDENTITY, {
      input: { name: 'Alice Work', address: alice.address, isDefault: true },
    })
  ).saveIdentity;
  const plain = (await ok<{ identities: Identity[] }>(alice.token, IDENTITIES)).identities.find(
    (identity) => identity.id !== work.id,
  )!;
  await ok(alice.token, SAVE_IDENTITY, {
    id: plain.id,
    input: { name: 'Alice Home', address: alice.address },
  });

  await ok(alice.token, SEND, { input: { to: [{ address: bob.address }], subject: 'default', text: 'hi' } });
  let { envelope } = await newestInInbox(bob.address);
  assert.deepEqual(envelope.from, [{ name: 'Alice Work', address: alice.address }]);

  await ok(alice.token, SEND, {
    input: { to: [{ address: bob.address }], subject: 'chosen', text: 'hi', identityId: plain.id },
  });
  ({ envelope } = await newestInInbox(bob.address));
  assert.equal(envelope.subject, 'chosen');
  assert.deepEqual(envelope.from, [{ name: 'Alice Home', address: alice.address }]);

  const unknown = await failing(alice.token, SEND, {
    input: { to: [{ address: bob.address }], text: 'hi', identityId: '0123456789abcdef01234567' },
  });
  assert.deepEqual(unknown, { code: 'NOT_FOUND', field: undefined });
});

test('suggestions: addresses written to by GraphQL send, most used first, on a word start of name or address', async () => {
  const alice = await newUser('alice');
  const bob = await newUser('bob');
  const carol = await newUser('carol');
  await ok(alice.token, SEND, {
    input: {
      to: [{ name: 'Bob Builder', address: bob.address }],
      cc: [{ address: carol.address }],
      text: '1',
    },
  });
  await ok(alice.token, SEND, { input: { to: [{ address: bob.address }], text: '2' } });

  const suggest = async (token: string, prefix: string, first?: number) =>
    (
      await ok<{ addressSuggestions: { name: string | null; address: string }[] }>(token, SUGGEST, {
        prefix,
        first,
      })
    ).addressSuggestions;
  // a later send without a name keeps the one known
  assert.deepEqual(await suggest(alice.token, 'bui'), [{ name: 'Bob Builder', address: bob.address }]);
  assert.deepEqual(await suggest(alice.token, 'BOB'), [{ name: 'Bob Builder', address: bob.address }]);
  assert.deepEqual(await suggest(alice.token, 'car'), [{ name: null, address: carol.address }]);
  // "example" starts a word of both addresses: bob was written to twice, carol once
  assert.deepEqual(
    (await suggest(alice.token, 'example')).map((entry) => entry.address),
    [bob.address, carol.address],
  );
  assert.deepEqual(
    (await suggest(alice.token, 'example', 1)).map((entry) => entry.address),
    [bob.address],
  );
  // inside a word is not a word start
  assert.deepEqual(await suggest(alice.token, 'uilder'), []);
  assert.deepEqual(await suggest(alice.token, ''), []);
  // nobody else sees them
  assert.deepEqual(await suggest(bob.token, 'bob'), []);
  assert.deepEqual(await failing(alice.token, SUGGEST, { prefix: 'b', first: 0 }), {
    code: 'BAD_USER_INPUT',
    field: 'first',
  });
});

test('suggestions: addresses written to by SMTP submission, recorded after the reply', async () => {
  const dave = await newUser('dave');
  const erin = await newUser('erin');
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: submissionPort,
    secure: false,
    ignoreTLS: true,
    auth: { user: dave.address, pass: PASSWORD },
  });
  try {
    const info = await transport.sendMail({
      from: dave.address,
      to: { name: 'Erin', address: erin.address },
      subject: 'by SMTP',
      text: 'hello',
    });
    assert.deepEqual(info.accepted, [erin.address]);
  } finally {
    transport.close();
  }
  const deadline = Date.now() + 5000;
  let found: { address: string }[] = [];
  while (Date.now() < deadline) {
    found = (await ok<{ addressSuggestions: { address: string }[] }>(dave.token, SUGGEST, { prefix: 'erin' }))
      .addressSuggestions;
    if (found.length) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.deepEqual(
    found.map((entry) => entry.address),
    [erin.address],
  );
});
