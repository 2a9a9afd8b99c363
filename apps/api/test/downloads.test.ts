import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startApi, type ApiHarness } from './graphql-harness.js';
import { base64Lines, crlf, store, textMessage } from './mail-fixtures.js';

let api: ApiHarness;
let alice: string;
let aliceToken: string;
let bobToken: string;

before(async () => {
  api = await startApi('downloads', { apiToken: 'server-secret' });
  alice = await api.createUser('alice@example.com');
  await api.createUser('bob@example.com');
  aliceToken = await api.signIn('alice@example.com');
  bobToken = await api.signIn('bob@example.com');
});
after(async () => {
  await api.close();
});

/** Quoted-printable of arbitrary bytes, lines under 76 characters. */
function quotedPrintable(bytes: Buffer): string {
  let line = '';
  const lines: string[] = [];
  for (const byte of bytes) {
    const piece =
      (byte >= 33 && byte <= 126 && byte !== 61) || byte === 32
        ? String.fromCharCode(byte)
        : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (line.length + piece.length > 72) {
      lines.push(`${line}=`);
      line = '';
    }
    line += piece;
  }
  // a space at the end of a line would be lost in transport
  lines.push(line.endsWith(' ') ? `${line.slice(0, -1)}=20` : line);
  return lines.join('\r\n');
}

const big = randomBytes(200 * 1024); // > 128 KiB: the body goes to GridFS
const small = Buffer.concat([Buffer.from('Grüße = café\r\n\tend '), randomBytes(300)]);

function withAttachments(): Buffer {
  return crlf([
    'From: Alice <alice@example.com>',
    'To: bob@example.com',
    'Subject: files',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Two files.',
    '--b',
    'Content-Type: application/octet-stream',
    "Content-Disposition: attachment; filename*=UTF-8''%22Gro%C3%9Fe%22%20Datei%3B%20%2F..%2Fx.bin",
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(big),
    '--b',
    'Content-Type: text/html; charset=utf-8',
    'Content-Disposition: attachment; filename="page.html"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(small),
    '--b',
    'Content-Type: message/rfc822',
    '',
    'From: inner@example.com',
    'Subject: inner',
    '',
    'Inner.',
    '--b--',
    '',
  ]);
}

async function get(path: string, token: string | null = aliceToken): Promise<Response> {
  return fetch(path.startsWith('http') ? path : `${api.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

test('attachments download decoded, byte for byte, from GridFS and from the document', async () => {
  const bytes = withAttachments();
  const { id } = await store(api.services.store, alice, 'INBOX', bytes);
  // the big body really is in GridFS
  assert.ok((await api.store.db.collection('parts.files').countDocuments()) >= 1);

  const answer = await api.gql<{
    message: { attachments: { id: string; filename: string; size: number; downloadUrl: string }[] };
  }>(
    'query ($id: ID!) { message(id: $id) { attachments { id filename size downloadUrl } } }',
    { id },
    aliceToken,
  );
  assert.equal(answer.errors, undefined);
  const [first, second, third] = answer.data!.message.attachments;
  assert.deepEqual([first!.id, second!.id, third!.id], ['2', '3', '4']);
  assert.equal(first!.size, big.length);
  assert.equal(second!.size, small.length);

  const bigResponse = await get(first!.downloadUrl);
  assert.equal(bigResponse.status, 200);
  assert.equal(bigResponse.headers.get('content-type'), 'application/octet-stream');
  assert.equal(bigResponse.headers.get('content-length'), String(big.length));
  assert.equal(bigResponse.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(
    bigResponse.headers.get('content-disposition'),
    `attachment; filename="_Gro_e_ Datei_ _.._x.bin"; filename*=UTF-8''%22Gro%C3%9Fe%22%20Datei%3B%20_.._x.bin`,
  );
  assert.ok((await bytesOf(bigResponse)).equals(big));

  const smallResponse = await get(second!.downloadUrl);
  assert.equal(smallResponse.status, 200);
  assert.equal(smallResponse.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(smallResponse.headers.get('content-disposition')!, /^attachment; filename="page.html"/);
  assert.equal(smallResponse.headers.get('content-security-policy'), "default-src 'none'; sandbox");
  assert.ok((await bytesOf(smallResponse)).equals(small));

  const inner = await get(third!.downloadUrl);
  assert.equal(inner.status, 200);
  assert.equal(inner.headers.get('content-type'), 'message/rfc822');
  assert.equal((await bytesOf(inner)).toString(), 'From: inner@example.com\r\nSubject: inner\r\n\r\nInner.');

  // the text body is a part too
  const text = await get(`/messages/${id}/attachments/1`);
  assert.equal(text.status, 200);
  assert.equal((await bytesOf(text)).toString(), 'Two files.');
});

test('raw download is the message as stored, byte for byte (GridFS bodies included)', async () => {
  const bytes = withAttachments();
  const { id } = await store(api.services.store, alice, 'INBOX', bytes);
  const answer = await api.gql<{ message: { rawUrl: string } }>(
    'query ($id: ID!) { message(id: $id) { rawUrl } }',
    { id },
    aliceToken,
  );
  const response = await get(answer.data!.message.rawUrl);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'message/rfc822');
  assert.equal(response.headers.get('content-length'), String(bytes.length));
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.match(response.headers.get('content-disposition')!, /^attachment; filename="[0-9a-f]{24}\.eml"/);
  assert.ok((await bytesOf(response)).equals(bytes));

  const plain = textMessage({ subject: 'single part', body: 'only text' });
  const single = await store(api.services.store, alice, 'INBOX', plain);
  assert.ok((await bytesOf(await get(`/messages/${single.id}/raw`))).equals(plain));
  const body = await get(`/messages/${single.id}/attachments/1`);
  assert.equal(body.status, 200);
  assert.equal((await bytesOf(body)).toString(), 'only text\r\n');
});

test('downloads: 401 without a valid token, 404 for another user, 400 for bad ids and parts', async () => {
  const { id } = await store(api.services.store, alice, 'INBOX', withAttachments());
  for (const path of [`/messages/${id}/raw`, `/messages/${id}/attachments/2`]) {
    for (const token of [null, 'nope', 'server-secret']) {
      const response = await get(path, token);
      const expected = token === 'server-secret' ? 403 : 401;
      assert.equal(response.status, expected, `${path} with ${token}`);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const answer = (await response.json()) as { success: boolean; code: string };
      assert.equal(answer.success, false);
      assert.equal(answer.code, expected === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
    }
    const foreign = await get(path, bobToken);
    assert.equal(foreign.status, 404);
    const answer = (await foreign.json()) as { code: string };
    assert.equal(answer.code, 'NOT_FOUND');
  }
  const missing = '0123456789abcdef01234567';
  assert.equal((await get(`/messages/${missing}/raw`)).status, 404);
  assert.equal((await get(`/messages/${missing}/attachments/1`)).status, 404);
  assert.equal((await get(`/messages/${id}/attachments/9`)).status, 404);
  assert.equal((await get(`/messages/${id}/attachments/2.1.1`)).status, 404);
  const badId = await get('/messages/zzz/raw');
  assert.equal(badId.status, 400);
  assert.equal(((await badId.json()) as { field: string }).field, 'message');
  for (const part of ['0', 'x', '1..2', '-1', '1.0']) {
    const response = await get(`/messages/${id}/attachments/${part}`);
    assert.equal(response.status, 400, part);
    assert.equal(((await response.json()) as { field: string }).field, 'part');
  }
});

test('downloads: a personal access token needs the read scope', async () => {
  const { id } = await store(api.services.store, alice, 'INBOX', textMessage({ subject: 'scoped' }));
  const tokenWith = async (scopes: string[]) => {
    const answer = await api.gql<{ createAccessToken: { token: string } }>(
      'mutation ($scopes: [Scope!]!) { createAccessToken(name: "app", scopes: $scopes) { token } }',
      { scopes },
      aliceToken,
    );
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    return answer.data!.createAccessToken.token;
  };
  const sendOnly = await tokenWith(['send']);
  for (const path of [`/messages/${id}/raw`, `/messages/${id}/attachments/1`]) {
    const refused = await get(path, sendOnly);
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { code: string }).code, 'FORBIDDEN');
  }
  const reader = await tokenWith(['read']);
  const raw = await get(`/messages/${id}/raw`, reader);
  assert.equal(raw.status, 200);
  assert.ok((await bytesOf(raw)).equals(textMessage({ subject: 'scoped' })));
});
