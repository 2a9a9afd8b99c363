import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { GridFSBucket, ObjectId } from 'mongodb';
import { startApi, type ApiHarness } from './graphql-harness.js';
import { UPLOADS_BUCKET } from '@wildduck/store';
import { UPLOAD_LIFETIME_MS, openUserUpload, sweepExpiredUploads } from '../src/mail/uploads.js';
import { MAX_UPLOAD_BYTES } from '../src/rest/uploads.js';

const API_TOKEN = 'uploads-test-api-token';

let api: ApiHarness;
let alice: { id: string; token: string };
let bob: { id: string; token: string };

before(async () => {
  api = await startApi('uploads', { apiToken: API_TOKEN });
  alice = { id: await api.createUser('alice@example.com'), token: '' };
  alice.token = await api.signIn('alice@example.com');
  bob = { id: await api.createUser('bob@example.com'), token: '' };
  bob.token = await api.signIn('bob@example.com');
});
after(async () => {
  await api.close();
});

function post(body: Buffer | ReadableStream, headers: Record<string, string>, path = '/uploads') {
  return fetch(`${api.url}${path}`, {
    method: 'POST',
    headers,
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

async function storedBytes(id: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of new GridFSBucket(api.store.db, { bucketName: UPLOADS_BUCKET }).openDownloadStream(
    new ObjectId(id),
  ))
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test('POST /uploads stores the body in GridFS and answers id, filename, content type and size', async () => {
  const bytes = randomBytes(200 * 1024);
  const response = await post(bytes, {
    authorization: `Bearer ${alice.token}`,
    'content-type': 'image/png',
    'x-filename': encodeURIComponent('Ferien Foto ü.png'),
  });
  assert.equal(response.status, 201);
  const answer = (await response.json()) as {
    id: string;
    filename: string;
    contentType: string;
    size: number;
  };
  assert.match(answer.id, /^[0-9a-f]{24}$/);
  assert.deepEqual(
    { ...answer, id: undefined },
    { id: undefined, filename: 'Ferien Foto ü.png', contentType: 'image/png', size: bytes.length },
  );
  assert.ok((await storedBytes(answer.id)).equals(bytes));
  const file = await api.store.db
    .collection(`${UPLOADS_BUCKET}.files`)
    .findOne({ _id: new ObjectId(answer.id) });
  assert.equal(String(file?.metadata?.user), alice.id, 'the upload belongs to its user');

  const opened = await openUserUpload(api.store.db, new ObjectId(alice.id), answer.id);
  assert.equal(opened?.size, bytes.length);
  assert.equal(await openUserUpload(api.store.db, new ObjectId(bob.id), answer.id), null, "not bob's");
});

test('the file name may come from ?filename=, without any path; no type is application/octet-stream', async () => {
  const response = await post(
    Buffer.from('hello'),
    { authorization: `Bearer ${alice.token}` },
    '/uploads?filename=..%2F..%2Fetc%2Fnotes.txt',
  );
  assert.equal(response.status, 201);
  const answer = (await response.json()) as { filename: string; contentType: string; size: number };
  assert.equal(answer.filename, 'notes.txt');
  assert.equal(answer.size, 5);
  const unnamed = await post(Buffer.from('x'), {
    authorization: `Bearer ${alice.token}`,
    'content-type': 'nonsense',
  });
  const body = (await unnamed.json()) as { filename: string; contentType: string };
  assert.deepEqual(body, { ...body, filename: 'attachment', contentType: 'application/octet-stream' });
});

test('without a valid user token: 401; with the API token (no mailbox): 403; nothing is stored', async () => {
  const count = () => api.store.db.collection(`${UPLOADS_BUCKET}.files`).countDocuments();
  const before = await count();
  const attempts: Record<string, string>[] = [
    {},
    { authorization: 'Bearer not-a-token' },
    { authorization: 'Basic abc' },
  ];
  for (const headers of attempts) {
    const response = await post(Buffer.from('data'), headers);
    assert.equal(response.status, 401);
    const body = (await response.json()) as { success: boolean; code: string };
    assert.deepEqual({ success: body.success, code: body.code }, { success: false, code: 'UNAUTHORIZED' });
  }
  const server = await post(Buffer.from('data'), { authorization: `Bearer ${API_TOKEN}` });
  assert.equal(server.status, 403);
  assert.equal(await count(), before);
});

test('an upload over 25 MiB is refused with 413 naming the limit, announced or streamed; nothing stays', async () => {
  const files = () => api.store.db.collection(`${UPLOADS_BUCKET}.files`).countDocuments();
  const chunks = () => api.store.db.collection(`${UPLOADS_BUCKET}.chunks`).countDocuments();
  const before = { files: await files(), chunks: await chunks() };

  // announced by Content-Length: refused before reading
  const announced = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${api.url}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-length': String(MAX_UPLOAD_BYTES + 1) },
    });
    req.once('response', (res) => {
      text(res).then((body) => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      }, reject);
    });
    req.once('error', () => {});
    req.write(Buffer.alloc(1024));
  });
  assert.equal(announced.status, 413);
  const announcedBody = JSON.parse(announced.body) as { code: string; error: string };
  assert.equal(announcedBody.code, 'BODY_TOO_LARGE');
  assert.match(announcedBody.error, new RegExp(String(MAX_UPLOAD_BYTES)));

  // streamed without a length (chunked): cut off when it passes the limit
  let sent = 0;
  const piece = Buffer.alloc(1024 * 1024, 7);
  const body = Readable.toWeb(
    new Readable({
      read() {
        if (sent > MAX_UPLOAD_BYTES + 2 * piece.length) return this.push(null);
        sent += piece.length;
        this.push(piece);
      },
    }),
  ) as ReadableStream;
  const streamed = await post(body, { authorization: `Bearer ${alice.token}` });
  assert.equal(streamed.status, 413);
  assert.match(((await streamed.json()) as { error: string }).error, /25 MiB/);

  // exactly the limit is fine
  const atLimit = await post(Buffer.alloc(MAX_UPLOAD_BYTES, 1), { authorization: `Bearer ${alice.token}` });
  assert.equal(atLimit.status, 201);
  const kept = (await atLimit.json()) as { id: string; size: number };
  assert.equal(kept.size, MAX_UPLOAD_BYTES);

  // the refused uploads left no file and no chunk behind (only the accepted one is there)
  await new GridFSBucket(api.store.db, { bucketName: UPLOADS_BUCKET }).delete(new ObjectId(kept.id));
  assert.equal(await files(), before.files);
  assert.equal(await chunks(), before.chunks);
});

test("another user's upload cannot be attached: NOT_FOUND", async () => {
  const response = await post(Buffer.from('mine'), {
    authorization: `Bearer ${alice.token}`,
    'x-filename': 'a.txt',
  });
  const { id } = (await response.json()) as { id: string };
  const answer = await api.gql(
    'mutation ($a: ID!) { send(input: { to: [{ address: "alice@example.com" }], attachments: [$a] }) { messageId } }',
    { a: id },
    bob.token,
  );
  assert.equal(answer.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  const draft = await api.gql(
    'mutation ($a: ID!) { saveDraft(input: { attachments: [$a] }) { id } }',
    { a: id },
    bob.token,
  );
  assert.equal(draft.errors?.[0]?.extensions?.code, 'NOT_FOUND');
});

test('uploads older than a day expire: they cannot be used and the sweep deletes them', async () => {
  const response = await post(randomBytes(1000), { authorization: `Bearer ${alice.token}` });
  const { id } = (await response.json()) as { id: string };
  const files = api.store.db.collection(`${UPLOADS_BUCKET}.files`);
  await files.updateOne(
    { _id: new ObjectId(id) },
    { $set: { uploadDate: new Date(Date.now() - UPLOAD_LIFETIME_MS - 60_000) } },
  );
  assert.equal(await openUserUpload(api.store.db, new ObjectId(alice.id), id), null);
  const answer = await api.gql(
    'mutation ($a: ID!) { send(input: { to: [{ address: "bob@example.com" }], attachments: [$a] }) { messageId } }',
    { a: id },
    alice.token,
  );
  assert.equal(answer.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  assert.ok((await sweepExpiredUploads(api.store.db)) >= 1);
  assert.equal(await files.findOne({ _id: new ObjectId(id) }), null);
  assert.equal(
    await api.store.db.collection(`${UPLOADS_BUCKET}.chunks`).countDocuments({ files_id: new ObjectId(id) }),
    0,
  );
});
