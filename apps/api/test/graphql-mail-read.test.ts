import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, type ApiHarness } from './graphql-harness.js';
import { base64Lines, crlf, errorOf, mailboxId, store, textMessage } from './mail-fixtures.js';

let api: ApiHarness;
let alice: string; // user id
let aliceToken: string;
let bobToken: string;

before(async () => {
  api = await startApi('gqlmailread');
  alice = await api.createUser('alice@example.com');
  await api.createUser('bob@example.com');
  aliceToken = await api.signIn('alice@example.com');
  bobToken = await api.signIn('bob@example.com');
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

const SUMMARY =
  'id mailboxId uid subject snippet seen flagged answered draft hasAttachments size flags date internalDate messageId from { name address } to { name address } cc { address }';

interface Summary {
  id: string;
  uid: number;
  subject: string;
  seen: boolean;
  flagged: boolean;
  hasAttachments: boolean;
}

interface Connection {
  edges: { cursor: string; node: Summary }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

const MESSAGES = `query ($mailboxId: ID!, $first: Int, $after: String, $search: MessageSearch) {
  messages(mailboxId: $mailboxId, first: $first, after: $after, search: $search) {
    edges { cursor node { ${SUMMARY} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

async function listAll(
  mailbox: string,
  search?: Record<string, unknown>,
  token = aliceToken,
): Promise<Connection> {
  return data<{ messages: Connection }>(
    await api.gql(MESSAGES, { mailboxId: mailbox, first: 200, search }, token),
  ).messages;
}

test('mailboxes: path, name, special use, subscribed, total, unseen and size', async () => {
  const inbox = await store(ctx(), alice, 'INBOX', textMessage({ subject: 'one' }), { flags: ['\\Seen'] });
  await store(ctx(), alice, 'INBOX', textMessage({ subject: 'two' }));
  await mailboxId(ctx(), alice, 'Work/Projects');
  const answer = data<{
    mailboxes: {
      id: string;
      path: string;
      name: string;
      specialUse: string | null;
      subscribed: boolean;
      total: number;
      unseen: number;
      size: number;
      uidValidity: number;
    }[];
  }>(
    await api.gql(
      '{ mailboxes { id path name specialUse subscribed total unseen size uidValidity } }',
      {},
      aliceToken,
    ),
  );
  const byPath = new Map(answer.mailboxes.map((mailbox) => [mailbox.path, mailbox]));
  assert.deepEqual(
    [...byPath.keys()].sort(),
    ['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent Mail', 'Trash', 'Work', 'Work/Projects'].sort(),
  );
  assert.equal(byPath.get('INBOX')!.specialUse, 'Inbox');
  assert.equal(byPath.get('Sent Mail')!.specialUse, 'Sent');
  assert.equal(byPath.get('Drafts')!.specialUse, 'Drafts');
  assert.equal(byPath.get('Junk')!.specialUse, 'Junk');
  assert.equal(byPath.get('Trash')!.specialUse, 'Trash');
  assert.equal(byPath.get('Archive')!.specialUse, 'Archive');
  assert.equal(byPath.get('Work/Projects')!.specialUse, null);
  assert.equal(byPath.get('Work/Projects')!.name, 'Projects');
  assert.equal(byPath.get('Sent Mail')!.name, 'Sent Mail');
  const inboxRow = byPath.get('INBOX')!;
  assert.equal(inboxRow.total, 2);
  assert.equal(inboxRow.unseen, 1);
  assert.equal(
    inboxRow.size,
    textMessage({ subject: 'one' }).length + textMessage({ subject: 'two' }).length,
  );
  assert.equal(inboxRow.subscribed, true);
  assert.ok(inboxRow.uidValidity > 0);
  assert.equal(byPath.get('Trash')!.total, 0);

  const one = data<{ mailbox: { path: string; total: number } }>(
    await api.gql('query ($id: ID!) { mailbox(id: $id) { path total } }', { id: inboxRow.id }, aliceToken),
  );
  assert.deepEqual(one.mailbox, { path: 'INBOX', total: 2 });
  // the message is in that mailbox
  const message = data<{ message: { mailboxId: string } }>(
    await api.gql('query ($id: ID!) { message(id: $id) { mailboxId } }', { id: inbox.id }, aliceToken),
  );
  assert.equal(message.message.mailboxId, inboxRow.id);
});

test('messages: newest first, cursor pagination across pages, totalCount', async () => {
  const mailbox = (await mailboxId(ctx(), alice, 'Paging')).toHexString();
  const stored = [];
  for (let n = 1; n <= 7; n++)
    stored.push(await store(ctx(), alice, 'Paging', textMessage({ subject: `page ${n}` })));
  const seen: string[] = [];
  let after: string | null = null;
  const pages: number[] = [];
  for (;;) {
    const page: Connection = data<{ messages: Connection }>(
      await api.gql(MESSAGES, { mailboxId: mailbox, first: 3, after }, aliceToken),
    ).messages;
    assert.equal(page.totalCount, 7);
    pages.push(page.edges.length);
    seen.push(...page.edges.map((edge) => edge.node.subject));
    assert.equal(page.pageInfo.endCursor, page.edges.at(-1)?.cursor ?? null);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  assert.deepEqual(pages, [3, 3, 1]);
  assert.deepEqual(seen, ['page 7', 'page 6', 'page 5', 'page 4', 'page 3', 'page 2', 'page 1']);

  const all = await listAll(mailbox);
  assert.deepEqual(
    all.edges.map((edge) => edge.node.uid),
    stored.map((message) => message.uid).reverse(),
  );
  assert.equal(all.pageInfo.hasNextPage, false);
  // the default page size is 50
  const defaulted = data<{ messages: Connection }>(
    await api.gql(
      'query ($m: ID!) { messages(mailboxId: $m) { totalCount edges { cursor } } }',
      { m: mailbox },
      aliceToken,
    ),
  );
  assert.equal(defaulted.messages.edges.length, 7);
});

test('messages: first outside 1..200 and foreign cursors are BAD_USER_INPUT naming the argument', async () => {
  const mailbox = (await mailboxId(ctx(), alice, 'Paging')).toHexString();
  for (const first of [0, -1, 201]) {
    const extensions = errorOf(await api.gql(MESSAGES, { mailboxId: mailbox, first }, aliceToken));
    assert.equal(extensions.code, 'BAD_USER_INPUT');
    assert.equal(extensions.field, 'first');
  }
  for (const after of ['not a cursor!', 'AAAA', Buffer.from('-5').toString('base64url'), '']) {
    const extensions = errorOf(await api.gql(MESSAGES, { mailboxId: mailbox, after }, aliceToken));
    assert.equal(extensions.code, 'BAD_USER_INPUT', after);
    assert.equal(extensions.field, 'after');
  }
  const bad = errorOf(await api.gql(MESSAGES, { mailboxId: 'nope' }, aliceToken));
  assert.deepEqual([bad.code, bad.field], ['BAD_USER_INPUT', 'mailboxId']);
  const long = errorOf(
    await api.gql(MESSAGES, { mailboxId: mailbox, search: { text: 'x'.repeat(1001) } }, aliceToken),
  );
  assert.deepEqual([long.code, long.field], ['BAD_USER_INPUT', 'search.text']);
});

test('messages: search by text, from, to, subject, unseen, flagged, has-attachment and date range', async () => {
  const mailbox = (await mailboxId(ctx(), alice, 'Search')).toHexString();
  await store(
    ctx(),
    alice,
    'Search',
    crlf([
      'From: Alice Example <alice@example.com>',
      'To: Bob <bob@example.com>',
      'Subject: Quarterly report',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The numbers are attached.',
      '--b',
      'Content-Type: application/pdf; name="report.pdf"',
      'Content-Disposition: attachment; filename="report.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(Buffer.from('%PDF-1.4 not really')),
      '--b--',
      '',
    ]),
    { flags: ['\\Seen', '\\Flagged'], internalDate: new Date('2026-01-10T12:00:00Z') },
  );
  await store(
    ctx(),
    alice,
    'Search',
    textMessage({
      from: 'Carol <carol@example.org>',
      to: 'Dave <dave@example.net>',
      subject: 'Lunch plans',
      body: 'Pizza on Friday?',
    }),
    { internalDate: new Date('2026-02-15T12:00:00Z') },
  );
  await store(
    ctx(),
    alice,
    'Search',
    textMessage({
      from: 'alice@example.com',
      to: 'Erin <erin@example.com>',
      subject: 'Re: Lunch plans',
      body: 'Yes please.',
    }),
    { flags: ['\\Seen'], internalDate: new Date('2026-03-20T12:00:00Z') },
  );
  const subjects = async (search: Record<string, unknown>) =>
    (await listAll(mailbox, search)).edges.map((edge) => edge.node.subject).sort();
  const report = 'Quarterly report';
  const lunch = 'Lunch plans';
  const re = 'Re: Lunch plans';
  assert.deepEqual(await subjects({}), [report, lunch, re].sort());
  assert.deepEqual(await subjects({ text: 'PIZZA' }), [lunch]);
  assert.deepEqual(await subjects({ text: 'numbers are' }), [report]);
  assert.deepEqual(await subjects({ text: 'erin@' }), [re]); // headers count as text too
  assert.deepEqual(await subjects({ from: 'alice' }), [report, re].sort());
  assert.deepEqual(await subjects({ from: 'Carol' }), [lunch]);
  assert.deepEqual(await subjects({ to: 'dave@example.net' }), [lunch]);
  assert.deepEqual(await subjects({ subject: 'lunch' }), [lunch, re].sort());
  assert.deepEqual(await subjects({ unseen: true }), [lunch]);
  assert.deepEqual(await subjects({ unseen: false }), [report, re].sort());
  assert.deepEqual(await subjects({ flagged: true }), [report]);
  assert.deepEqual(await subjects({ flagged: false }), [lunch, re].sort());
  assert.deepEqual(await subjects({ hasAttachment: true }), [report]);
  assert.deepEqual(await subjects({ hasAttachment: false }), [lunch, re].sort());
  assert.deepEqual(await subjects({ since: '2026-02-01T00:00:00Z' }), [lunch, re].sort());
  assert.deepEqual(await subjects({ before: '2026-03-01T00:00:00Z' }), [report, lunch].sort());
  assert.deepEqual(await subjects({ since: '2026-02-01T00:00:00Z', before: '2026-03-01T00:00:00Z' }), [
    lunch,
  ]);
  assert.deepEqual(await subjects({ from: 'alice', since: '2026-02-01T00:00:00Z' }), [re]);
  assert.deepEqual(await subjects({ subject: 'nothing like this' }), []);
  assert.deepEqual(await subjects({ text: '   ', from: '' }), [report, lunch, re].sort()); // blank: ignored
  const filtered = await listAll(mailbox, { subject: 'lunch' });
  assert.equal(filtered.totalCount, 2);
  const summary = (await listAll(mailbox, { hasAttachment: true })).edges[0]!.node;
  assert.equal(summary.hasAttachments, true);
  assert.equal(summary.flagged, true);
  assert.equal(summary.seen, true);
});

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

function richMessage(html: string): Buffer {
  return crlf([
    'From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jurgen@example.de>',
    'To: Alice <alice@example.com>, carol@example.org',
    'Cc: Dave <dave@example.net>',
    'Bcc: secret@example.com',
    'Reply-To: replies@example.de',
    'Subject: =?utf-8?b?R3LDvMOfZSBhdXMgQmVybGlu?=',
    'Date: Tue, 3 Nov 2026 09:30:00 +0100',
    'Message-ID: <rich-1@example.de>',
    'In-Reply-To: <earlier@example.com>',
    'References: <root@example.com> <earlier@example.com>',
    'X-Custom: =?utf-8?q?caf=C3=A9?=',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="mixed"',
    '',
    '--mixed',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Gr=C3=BC=C3=9Fe, Alice!',
    '--alt',
    'Content-Type: multipart/related; boundary="rel"',
    '',
    '--rel',
    'Content-Type: text/html; charset=iso-8859-1',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    html,
    '--rel',
    'Content-Type: image/png',
    'Content-ID: <logo@example.de>',
    'Content-Disposition: inline',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(PNG),
    '--rel--',
    '--alt--',
    '--mixed',
    "Content-Type: application/pdf; name*=UTF-8''Rechnung%20M%C3%A4rz.pdf",
    "Content-Disposition: attachment; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf",
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(Buffer.from('%PDF-1.4 invoice')),
    '--mixed',
    'Content-Type: message/rfc822',
    '',
    'From: someone@example.com',
    'Subject: forwarded',
    '',
    'Inner body.',
    '--mixed--',
    '',
  ]);
}

const MESSAGE = `query ($id: ID!, $remote: Boolean) {
  message(id: $id) {
    id mailboxId uid subject date internalDate flags size messageId inReplyTo references
    from { name address } to { name address } cc { name address } bcc { address } replyTo { address }
    headers { key value }
    text
    html
    remoteHtml: html(remoteContent: $remote)
    hasRemoteContent
    attachments { id filename contentType size disposition contentId downloadUrl }
    rawUrl
  }
}`;

interface FullMessage {
  id: string;
  subject: string;
  date: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: { name: string | null; address: string }[];
  to: { name: string | null; address: string }[];
  cc: { name: string | null; address: string }[];
  bcc: { address: string }[];
  replyTo: { address: string }[];
  headers: { key: string; value: string }[];
  text: string | null;
  html: string | null;
  remoteHtml: string | null;
  hasRemoteContent: boolean;
  attachments: {
    id: string;
    filename: string | null;
    contentType: string;
    size: number;
    disposition: string | null;
    contentId: string | null;
    downloadUrl: string;
  }[];
  rawUrl: string;
  size: number;
}

test('message: headers, addresses, text, sanitised HTML with cid images, attachments and links', async () => {
  const html =
    '<html><head><style>p{color:red}</style></head><body><p>Gr=FC=DFe <b>Alice</b></p>' +
    '<img src=3D"cid:logo@example.de" alt=3D"logo"><img src=3D"https://tracker.example/p.gif">' +
    '<a href=3D"https://example.com/x">link</a></body></html>';
  const bytes = richMessage(html);
  const { id, uid } = await store(ctx(), alice, 'INBOX', bytes);
  const message = data<{ message: FullMessage }>(
    await api.gql(MESSAGE, { id, remote: true }, aliceToken),
  ).message;
  assert.equal(message.id, id);
  assert.equal(message.subject, 'Grüße aus Berlin');
  assert.equal(message.date, '2026-11-03T08:30:00.000Z');
  assert.deepEqual(message.from, [{ name: 'Jürgen Müller', address: 'jurgen@example.de' }]);
  assert.deepEqual(message.to, [
    { name: 'Alice', address: 'alice@example.com' },
    { name: null, address: 'carol@example.org' },
  ]);
  assert.deepEqual(message.cc, [{ name: 'Dave', address: 'dave@example.net' }]);
  assert.deepEqual(message.bcc, [{ address: 'secret@example.com' }]);
  assert.deepEqual(message.replyTo, [{ address: 'replies@example.de' }]);
  assert.equal(message.messageId, '<rich-1@example.de>');
  assert.equal(message.inReplyTo, '<earlier@example.com>');
  assert.deepEqual(message.references, ['<root@example.com>', '<earlier@example.com>']);
  assert.equal(message.size, bytes.length);
  assert.ok(uid > 0);
  // every header, in order, names as written, values decoded
  assert.deepEqual(
    message.headers.slice(0, 3).map((header) => header.key),
    ['From', 'To', 'Cc'],
  );
  assert.deepEqual(
    message.headers.find((header) => header.key === 'X-Custom'),
    { key: 'X-Custom', value: 'café' },
  );
  assert.deepEqual(
    message.headers.find((header) => header.key === 'Subject'),
    {
      key: 'Subject',
      value: 'Grüße aus Berlin',
    },
  );
  assert.equal(message.headers.at(-1)!.key, 'Content-Type');
  // text from the text/plain part (quoted-printable UTF-8)
  assert.equal(message.text?.trim(), 'Grüße, Alice!');
  // HTML: Latin-1 decoded, style dropped, cid: pointing at the inline part's download URL, remote image blocked
  const logo = message.attachments.find((part) => part.contentId === 'logo@example.de')!;
  assert.ok(logo, 'the inline image is listed');
  assert.match(message.html!, /Grüße <b>Alice<\/b>/);
  assert.ok(!message.html!.includes('color:red'));
  assert.ok(message.html!.includes(`src="${logo.downloadUrl}"`), message.html!);
  assert.ok(!message.html!.includes('tracker.example'));
  assert.equal(message.hasRemoteContent, true);
  assert.match(
    message.html!,
    /<a href="https:\/\/example.com\/x" rel="noopener noreferrer" target="_blank">link<\/a>/,
  );
  // asked for: the remote image stays
  assert.ok(message.remoteHtml!.includes('src="https://tracker.example/p.gif"'));
  assert.ok(message.remoteHtml!.includes(`src="${logo.downloadUrl}"`));
  // attachments: by IMAP part number, decoded sizes, download URLs
  assert.deepEqual(
    message.attachments.map(({ id: part, filename, contentType, size, disposition, contentId }) => ({
      part,
      filename,
      contentType,
      size,
      disposition,
      contentId,
    })),
    [
      {
        part: '1.2.2',
        filename: null,
        contentType: 'image/png',
        size: PNG.length,
        disposition: 'inline',
        contentId: 'logo@example.de',
      },
      {
        part: '2',
        filename: 'Rechnung März.pdf',
        contentType: 'application/pdf',
        size: '%PDF-1.4 invoice'.length,
        disposition: 'attachment',
        contentId: null,
      },
      {
        part: '3',
        filename: null,
        contentType: 'message/rfc822',
        size: message.attachments[2]!.size,
        disposition: null,
        contentId: null,
      },
    ],
  );
  assert.equal(message.attachments[1]!.downloadUrl, `${api.url}/messages/${id}/attachments/2`);
  assert.equal(message.rawUrl, `${api.url}/messages/${id}/raw`);
});

test('message: HTML-only mail gets a text made from the HTML; a plain mail has no HTML', async () => {
  const { id } = await store(
    ctx(),
    alice,
    'INBOX',
    crlf([
      'From: a@example.com',
      'Subject: html only',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<div>First line</div><div>Second &amp; last</div><script>alert(1)</script>',
      '',
    ]),
  );
  const message = data<{ message: FullMessage }>(await api.gql(MESSAGE, { id }, aliceToken)).message;
  assert.equal(message.text, 'First line\nSecond & last');
  assert.equal(message.html, '<div>First line</div><div>Second &amp; last</div>\r\n');
  assert.equal(message.hasRemoteContent, false);
  assert.deepEqual(message.attachments, []);

  const plain = await store(ctx(), alice, 'INBOX', textMessage({ subject: 'plain', body: 'Just text.' }));
  const answer = data<{ message: FullMessage }>(await api.gql(MESSAGE, { id: plain.id }, aliceToken)).message;
  assert.equal(answer.text, 'Just text.\r\n');
  assert.equal(answer.html, null);
  assert.equal(answer.hasRemoteContent, false);
  assert.equal(answer.messageId, null);
  assert.deepEqual(answer.references, []);
});

test('message: a body larger than 2 MiB is cut for display, the rest stays downloadable', async () => {
  const line = `${'0123456789'.repeat(7)}ab\r\n`; // 74 bytes
  const body = line.repeat(Math.ceil((3 * 1024 * 1024) / line.length));
  const { id } = await store(ctx(), alice, 'INBOX', textMessage({ subject: 'huge', body }));
  const message = data<{ message: { text: string; attachments: unknown[] } }>(
    await api.gql('query ($id: ID!) { message(id: $id) { text attachments { id } } }', { id }, aliceToken),
  ).message;
  assert.equal(message.text.length, 2 * 1024 * 1024);
  assert.ok(body.startsWith(message.text));
  assert.deepEqual(message.attachments, []);
  const whole = await fetch(`${api.url}/messages/${id}/attachments/1`, {
    headers: { authorization: `Bearer ${aliceToken}` },
  });
  assert.equal(Buffer.from(await whole.arrayBuffer()).toString(), `${body}\r\n`);
});

test('a personal access token without the read scope cannot read mail', async () => {
  const created = await api.gql<{ createAccessToken: { token: string } }>(
    'mutation { createAccessToken(name: "sender", scopes: [send]) { token } }',
    {},
    aliceToken,
  );
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));
  const token = created.data!.createAccessToken.token;
  for (const query of ['{ mailboxes { id } }', '{ message(id: "0123456789abcdef01234567") { id } }']) {
    assert.equal(errorOf(await api.gql(query, {}, token)).code, 'FORBIDDEN');
  }
});

/** Hostile HTML: nothing that runs, submits, frames or phones home may survive. */
const HOSTILE = [
  '<html><head>',
  '<meta http-equiv="refresh" content="0; url=https://evil.example/">',
  '<base href="https://evil.example/">',
  '<link rel="stylesheet" href="https://evil.example/style.css">',
  '<style>body { background: url(https://evil.example/bg.png) } * { behavior: url(x.htc) }</style>',
  '<script src="https://evil.example/x.js"></script>',
  '</head><body onload="alert(1)">',
  '<p>Safe paragraph</p>',
  '<script>alert("script")</script>',
  '<SCRIPT>alert("upper")</SCRIPT>',
  '<img src="x" onerror="alert(\'onerror\')">',
  '<img src="https://evil.example/pixel.gif" srcset="https://evil.example/2x.gif 2x">',
  '<img src="//evil.example/protocol-relative.gif">',
  '<a href="javascript:alert(\'js\')">js link</a>',
  '<a href="  JaVaScRiPt:alert(1)">spaced js link</a>',
  '<a href="jav&#x09;ascript:alert(1)">tab js link</a>',
  '<a href="vbscript:msgbox(1)">vb link</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>',
  '<a href="https://ok.example/page" onclick="alert(1)" target="_self">good link</a>',
  '<a href="/settings/delete-account">relative link</a><a href="#top">fragment</a>',
  '<a href="mailto:someone@example.com">mail link</a>',
  '<form action="https://evil.example/steal" method="post"><input name="password" type="password"><button type="submit">Log in</button><select><option>x</option></select><textarea>t</textarea></form>',
  '<iframe src="https://evil.example/frame"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<svg onload="alert(\'svg\')"><script>alert(1)</script><a xlink:href="javascript:alert(1)"><text>svg</text></a></svg>',
  '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">m</maction></math>',
  '<object data="https://evil.example/x.swf"></object>',
  '<embed src="https://evil.example/x.swf">',
  '<div style="width: expression(alert(\'expr\')); color: green">styled</div>',
  '<div style="background-image: url(https://evil.example/css.png); color: blue">css url</div>',
  '<div style="background: url(&quot;javascript:alert(1)&quot;)">css js</div>',
  '<div style="position: fixed; top: 0; left: 0; z-index: 9999">overlay</div>',
  '<div style="background-image: image-set(\'https://evil.example/set.png\' 1x)">set</div>',
  '<table background="https://evil.example/table.png"><tr><td>cell</td></tr></table>',
  '<p id="clobber" class="app-header" data-x="1" name="n">attributes</p>',
  '<video src="https://evil.example/v.mp4" poster="https://evil.example/p.png"></video>',
  '<!--[if mso]><script>alert(1)</script><![endif]-->',
  '</body></html>',
].join('\n');

test('message: hostile HTML is sanitised (scripts, handlers, forms, frames, svg, CSS expressions, meta refresh, remote content)', async () => {
  const { id } = await store(
    ctx(),
    alice,
    'INBOX',
    crlf([
      'From: evil@example.com',
      'Subject: hostile',
      'Content-Type: text/html; charset=utf-8',
      '',
      HOSTILE,
      '',
    ]),
  );
  const message = data<{ message: FullMessage }>(
    await api.gql(MESSAGE, { id, remote: true }, aliceToken),
  ).message;
  assert.equal(message.hasRemoteContent, true);
  for (const html of [message.html!, message.remoteHtml!]) {
    const lower = html.toLowerCase();
    for (const forbidden of [
      '<script',
      'alert(',
      'onload',
      'onerror',
      'onclick',
      'javascript:',
      'vbscript:',
      'data:text',
      '<form',
      '<input',
      '<button',
      '<select',
      '<textarea',
      '<iframe',
      'srcdoc',
      '<svg',
      '<math',
      '<object',
      '<embed',
      '<video',
      'expression',
      '<meta',
      'refresh',
      '<base',
      '<link',
      '<style',
      'behavior',
      'position',
      'z-index',
      'image-set',
      'srcset',
      'id="clobber"',
      'class=',
      'data-x',
      'target="_self"',
      'evil.example/frame',
      'evil.example/x',
      'evil.example/style.css',
      'evil.example/bg.png',
      'evil.example/steal',
      '/settings',
      'href="#',
    ]) {
      assert.ok(!lower.includes(forbidden), `"${forbidden}" survived in:\n${html}`);
    }
    assert.match(html, /<p>Safe paragraph<\/p>/);
    assert.match(
      html,
      /<a href="mailto:someone@example.com" rel="noopener noreferrer" target="_blank">mail link<\/a>/,
    );
    const good = /<a ([^>]*)>good link<\/a>/.exec(html)?.[1] ?? '';
    assert.deepEqual(
      good.split(' ').sort(),
      ['href="https://ok.example/page"', 'rel="noopener', 'noreferrer"', 'target="_blank"'].sort(),
    );
    assert.match(html, /<div style="color:green">styled<\/div>/);
  }
  // blocked by default: no remote URL at all
  assert.ok(!message.html!.includes('evil.example'), message.html!);
  // asked for: remote images and CSS backgrounds come back, nothing else
  assert.ok(message.remoteHtml!.includes('src="https://evil.example/pixel.gif"'));
  assert.ok(message.remoteHtml!.includes('src="https://evil.example/protocol-relative.gif"'));
  assert.ok(message.remoteHtml!.includes('url(&quot;https://evil.example/css.png&quot;)'));
});

test('message: thread by References and In-Reply-To, oldest first', async () => {
  const original = await store(
    ctx(),
    alice,
    'INBOX',
    textMessage({ subject: 'Plan', messageId: '<plan@example.com>' }),
    { internalDate: new Date('2026-05-01T10:00:00Z') },
  );
  const reply = await store(
    ctx(),
    alice,
    'Sent Mail',
    textMessage({
      subject: 'Re: Plan',
      messageId: '<reply1@example.com>',
      inReplyTo: '<plan@example.com>',
      references: '<plan@example.com>',
    }),
    { internalDate: new Date('2026-05-02T10:00:00Z') },
  );
  const second = await store(
    ctx(),
    alice,
    'INBOX',
    textMessage({
      subject: 'Re: Re: Plan',
      messageId: '<reply2@example.com>',
      inReplyTo: '<reply1@example.com>',
      references: '<plan@example.com> <reply1@example.com>',
    }),
    { internalDate: new Date('2026-05-03T10:00:00Z') },
  );
  const unrelated = await store(
    ctx(),
    alice,
    'INBOX',
    textMessage({ subject: 'Other', messageId: '<other@example.com>' }),
  );
  // Bob's message in the same conversation is not Alice's business
  const bob = (await api.gql<{ me: { id: string } }>('{ me { id } }', {}, bobToken)).data?.me.id;
  if (bob)
    await store(
      ctx(),
      bob,
      'INBOX',
      textMessage({
        subject: 'Re: Plan (bob)',
        messageId: '<bob@example.com>',
        references: '<plan@example.com>',
      }),
    );
  const thread = async (id: string) =>
    data<{ message: { thread: { id: string; subject: string }[] } }>(
      await api.gql('query ($id: ID!) { message(id: $id) { thread { id subject } } }', { id }, aliceToken),
    ).message.thread.map((entry) => entry.id);
  const conversation = [original.id, reply.id, second.id];
  assert.deepEqual(await thread(original.id), conversation);
  assert.deepEqual(await thread(reply.id), conversation);
  assert.deepEqual(await thread(second.id), conversation);
  assert.deepEqual(await thread(unrelated.id), [unrelated.id]);
});

test("another user's ids answer NOT_FOUND; bad ids BAD_USER_INPUT; no token UNAUTHENTICATED", async () => {
  const mailbox = (await mailboxId(ctx(), alice, 'Private')).toHexString();
  const { id } = await store(ctx(), alice, 'Private', textMessage({ subject: 'for alice only' }));
  const bobMailboxes = data<{ mailboxes: { id: string; path: string }[] }>(
    await api.gql('{ mailboxes { id path } }', {}, bobToken),
  ).mailboxes;
  assert.ok(!bobMailboxes.some((entry) => entry.id === mailbox || entry.path === 'Private'));
  for (const [query, variables] of [
    ['query ($id: ID!) { mailbox(id: $id) { path } }', { id: mailbox }],
    [MESSAGES, { mailboxId: mailbox }],
    ['query ($id: ID!) { message(id: $id) { subject } }', { id }],
    ['query ($id: ID!) { message(id: $id) { id } }', { id: mailbox }], // a mailbox id is no message id
  ] as const) {
    const answer = await api.gql(query, variables, bobToken);
    assert.equal(errorOf(answer).code, 'NOT_FOUND', `${query} ${JSON.stringify(answer)}`);
    assert.ok(!JSON.stringify(answer).includes('for alice only'));
  }
  for (const [query, variables, field] of [
    ['query ($id: ID!) { mailbox(id: $id) { path } }', { id: 'xyz' }, 'id'],
    ['query ($id: ID!) { message(id: $id) { subject } }', { id: '1234' }, 'id'],
  ] as const) {
    const extensions = errorOf(await api.gql(query, variables, aliceToken));
    assert.deepEqual([extensions.code, extensions.field], ['BAD_USER_INPUT', field]);
  }
  for (const query of ['{ mailboxes { id } }', `{ message(id: "${id}") { subject } }`]) {
    assert.equal(errorOf(await api.gql(query, {}, null)).code, 'UNAUTHENTICATED');
    assert.equal(errorOf(await api.gql(query, {}, 'not-a-token')).code, 'UNAUTHENTICATED');
  }
});
