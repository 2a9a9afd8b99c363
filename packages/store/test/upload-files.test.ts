import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { ObjectId } from 'mongodb';
import type { TestDatabase } from '@wildduck/embedded-store';
import {
  deleteUpload,
  findUploadsBefore,
  findUserUploadFile,
  openUploadContent,
  openUploadSink,
  UPLOADS_BUCKET,
} from '@wildduck/store';
import { openStore, readAll } from './support.js';

let store: TestDatabase;
before(async () => {
  store = await openStore('upload-files');
});
after(async () => {
  await store.drop();
});

async function upload(user: ObjectId, filename: string, bytes: Buffer): Promise<ObjectId> {
  const sink = openUploadSink(store.db, filename, { user, contentType: 'text/plain' });
  await pipeline(Readable.from([bytes]), sink);
  return sink.id;
}

test('an upload is found for its user only, with its name, type and size, and reads back whole', async () => {
  const alice = new ObjectId();
  const bytes = Buffer.from('attachment bytes '.repeat(1000));
  const id = await upload(alice, 'notes.txt', bytes);
  const file = await findUserUploadFile(store.db, alice, id);
  assert.deepEqual(
    { filename: file?.filename, contentType: file?.contentType, size: file?.size },
    { filename: 'notes.txt', contentType: 'text/plain', size: bytes.length },
  );
  assert.ok(file!.uploaded instanceof Date);
  assert.deepEqual(await readAll(openUploadContent(store.db, id)), bytes);
  assert.equal(await findUserUploadFile(store.db, new ObjectId(), id), null, "another user's");
  assert.equal(await findUserUploadFile(store.db, alice, new ObjectId()), null, 'unknown');
});

test('uploads stored before a time are found and deleted with their chunks', async () => {
  const user = new ObjectId();
  const old = await upload(user, 'old.txt', Buffer.from('old'));
  const fresh = await upload(user, 'fresh.txt', Buffer.from('fresh'));
  await store.db
    .collection(`${UPLOADS_BUCKET}.files`)
    .updateOne({ _id: old }, { $set: { uploadDate: new Date(Date.now() - 60_000) } });
  const before = await findUploadsBefore(store.db, new Date(Date.now() - 30_000));
  assert.ok(before.some((id) => id.equals(old)));
  assert.ok(!before.some((id) => id.equals(fresh)));

  await deleteUpload(store.db, old);
  assert.equal(await findUserUploadFile(store.db, user, old), null);
  assert.equal(await store.db.collection(`${UPLOADS_BUCKET}.chunks`).countDocuments({ files_id: old }), 0);
  assert.ok(await findUserUploadFile(store.db, user, fresh));
});
