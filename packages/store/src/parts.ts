import { createHash, randomUUID } from 'node:crypto';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  GridFSBucket,
  ObjectId,
  type Binary,
  type Db,
  type Document,
  type GridFSBucketWriteStream,
} from 'mongodb';
import { PARTS_BUCKET } from '@wildduck/schema';
import { partLock, type StoreContext } from './context.js';
import { finishWrite, isStoreUnreachable } from './write-completion.js';

/**
 * Large bodies and attachments live in the GridFS bucket `parts`, one file per distinct content:
 * a part's reference is its SHA-256 (hex), the file carries `metadata.hash` (unique) and
 * `metadata.refs`, the number of message documents that point at it. Every change of a count runs
 * under the part's lock (see locks.ts); the file goes when its count reaches zero.
 */
export interface StoredPart {
  /** The reference messages keep: the SHA-256 of the content. */
  ref: string;
  size: number;
}

/** GridFS chunk size: the driver's default of 255 KiB keeps each chunk far under the BSON limit. */
const CHUNK_SIZE = 255 * 1024;

function bucket(db: Db): GridFSBucket {
  return new GridFSBucket(db, { bucketName: PARTS_BUCKET, chunkSizeBytes: CHUNK_SIZE });
}

const files = (db: Db) => db.collection(`${PARTS_BUCKET}.files`);

/**
 * The file of a part. A finished upload's `filename` is its hash too: FerretDB 1.24 pushes only
 * top-level equality down to SQL, so `{filename}` is an index lookup where the dotted
 * `metadata.hash` would decode every file document of the bucket in Go. Parts stored before
 * carry the name "part": they are found by `metadata.hash`, and renamed when `migrate` is set
 * (only under the part's lock, as every other write of a file document).
 */
async function findPartFile(
  db: Db,
  ref: string,
  options: { projection?: Document; migrate?: boolean } = {},
): Promise<Document | null> {
  const findOptions = options.projection ? { projection: options.projection } : {};
  const named = await files(db).findOne({ filename: ref, 'metadata.hash': ref }, findOptions);
  if (named) return named;
  const old = await files(db).findOne({ 'metadata.hash': ref }, findOptions);
  if (old && options.migrate) await files(db).updateOne({ _id: old._id }, { $set: { filename: ref } });
  return old;
}

/**
 * Streams a body into GridFS and deduplicates it: the hash is known only at the end, so the upload
 * is written under a placeholder name first; then, under the part's lock, either an existing file
 * with that content gains a reference (and the upload is removed) or the upload takes the hash.
 */
export async function storePart(ctx: StoreContext, content: Readable): Promise<StoredPart> {
  const hash = createHash('sha256');
  let size = 0;
  const upload = bucket(ctx.db).openUploadStream('part', {
    metadata: { hash: `pending:${randomUUID()}`, refs: 1, created: new Date() },
  });
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  const destination = settledUpload(upload);
  try {
    await pipeline(content, measure, destination.stream);
  } catch (error) {
    // a chunk insert still running would land after the deletion and stay for good
    await destination.settled();
    await deleteFile(ctx.db, upload.id as ObjectId);
    throw error;
  }
  const sha256 = hash.digest('hex');
  await ctx.locks.run(partLock(sha256), async () => {
    const existing = await findPartFile(ctx.db, sha256, { migrate: true });
    if (existing && Number(existing.metadata?.refs ?? 0) > 0) {
      await files(ctx.db).updateOne({ _id: existing._id }, { $inc: { 'metadata.refs': 1 } });
      await deleteFile(ctx.db, upload.id as ObjectId);
      return;
    }
    // a file left with no references (its deleter died midway) is replaced by the new upload
    if (existing) await deleteFile(ctx.db, existing._id as ObjectId);
    await files(ctx.db).updateOne(
      { _id: upload.id },
      { $set: { 'metadata.hash': sha256, filename: sha256 } },
    );
  });
  return { ref: sha256, size };
}

/**
 * The upload as a pipeline destination whose last write can be waited for. The GridFS stream
 * inserts a chunk for every 255 KiB written and calls back when the insert is done, but pipeline()
 * gives up at once when the content fails (a message cut off or refused mid-way), while that
 * insert is still on its way to the store.
 */
function settledUpload(upload: GridFSBucketWriteStream): { stream: Writable; settled(): Promise<void> } {
  let last: Promise<void> = Promise.resolve();
  // a failed insert reaches the pipeline through the write's callback; the event is the same failure
  upload.on('error', () => {});
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      last = new Promise((resolve) =>
        upload.write(chunk, (error) => {
          resolve();
          callback(error ?? null);
        }),
      );
    },
    final(callback) {
      last = new Promise((resolve) =>
        upload.end((error?: Error | null) => {
          resolve();
          callback(error ?? null);
        }),
      );
    },
  });
  return { stream, settled: () => last };
}

/** Adds a reference to each part (a copied message shares its parts). Throws if one is missing. */
export async function acquireParts(ctx: StoreContext, refs: readonly string[]): Promise<void> {
  const done: string[] = [];
  for (const ref of refs) {
    const found = await ctx.locks.run(partLock(ref), async () => {
      const file = await findPartFile(ctx.db, ref, { projection: { metadata: 1 }, migrate: true });
      if (!file || !(Number(file.metadata?.refs ?? 0) > 0)) return false;
      const result = await files(ctx.db).updateOne({ _id: file._id }, { $inc: { 'metadata.refs': 1 } });
      return result.modifiedCount === 1;
    });
    if (!found) {
      await releaseParts(ctx, done);
      throw new Error(`stored part ${ref} is missing`);
    }
    done.push(ref);
  }
}

/** Drops a reference from each part; a part whose count reaches zero is deleted. */
export async function releaseParts(ctx: StoreContext, refs: readonly string[]): Promise<void> {
  for (const ref of refs) await releasePart(ctx, ref);
}

/**
 * Gives back one reference. Through a store outage the read is tried again, but not a count update
 * or deletion whose answer was lost: it may have been applied, and applying it twice could delete a
 * part a message still refers to. Such a count is left as it is, at worst one too high, which only
 * keeps a file longer (`npm run fsck -- --repair` lowers it).
 */
async function releasePart(ctx: StoreContext, ref: string): Promise<void> {
  let written = false;
  await finishWrite(() =>
    ctx.locks.run(partLock(ref), async () => {
      if (written) return;
      const file = await findPartFile(ctx.db, ref, { migrate: true });
      if (!file) return;
      written = true;
      const left = Number(file.metadata?.refs ?? 0) - 1;
      if (left > 0) await files(ctx.db).updateOne({ _id: file._id }, { $set: { 'metadata.refs': left } });
      else await deleteFile(ctx.db, file._id as ObjectId);
    }),
  ).catch((error: unknown) => {
    if (!written || !isStoreUnreachable(error)) throw error;
  });
}

async function deleteFile(db: Db, id: ObjectId): Promise<void> {
  // the file document first: a part without it is invisible, whatever chunks stay behind a crash
  await files(db).deleteOne({ _id: id });
  await db.collection(`${PARTS_BUCKET}.chunks`).deleteMany({ files_id: id });
}

/**
 * Streams a stored part, or its bytes [start, end) (end exclusive). The file is looked up when the
 * stream is first read, so opening costs nothing until the bytes are wanted.
 */
export function openPart(db: Db, ref: string, start?: number, end?: number): Readable {
  return Readable.from(partBytes(db, ref, start ?? 0, end), { objectMode: false });
}

/**
 * The bytes of a part's range, read chunk by chunk with `{files_id, n}` equality, one query per
 * chunk the range touches. Why not the driver's `openDownloadStream({start, end})`: it queries
 * `{files_id, n: {$gte: first}}` sorted by `n`, and FerretDB 1.24 pushes neither the range nor the
 * sort down (shared/ferretdb-notes.md), so every ranged read fetched and decoded every chunk of
 * the file: imapflow's download of an 8 MB message in 64 KiB FETCHes read the file 128 times.
 * Both stores serve the equality from an index: MongoDB the driver's unique `(files_id, n)`, the
 * embedded store its `(files_id, n)` GIN pair (embedded-store postgres-indexes.ts). The next
 * chunk is asked for while the current one is passed on, so a whole read waits little longer.
 */
async function* partBytes(db: Db, ref: string, start: number, end?: number): AsyncGenerator<Buffer> {
  const file = await findPartFile(db, ref, { projection: { _id: 1, length: 1, chunkSize: 1 } });
  if (!file) throw new Error(`stored part ${ref} is missing`);
  const length = Number(file.length);
  const chunkSize = Number(file.chunkSize);
  const stop = Math.min(end ?? length, length);
  if (start >= stop) return;
  const chunks = db.collection(`${PARTS_BUCKET}.chunks`);
  const readChunk = async (n: number): Promise<Buffer> => {
    const chunk = await chunks.findOne({ files_id: file._id, n }, { projection: { data: 1 } });
    const data = chunk?.data as Binary | undefined;
    if (!data) throw new Error(`stored part ${ref} is missing chunk ${n}`);
    const bytes = data.buffer;
    const expected = Math.min(chunkSize, length - n * chunkSize);
    if (bytes.length !== expected)
      throw new Error(`stored part ${ref}: chunk ${n} has ${bytes.length} bytes, not ${expected}`);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
  const last = Math.floor((stop - 1) / chunkSize);
  let n = Math.floor(start / chunkSize);
  let next = readChunk(n);
  for (; n <= last; n++) {
    const current = await next;
    if (n < last) {
      next = readChunk(n + 1);
      // a failed read ahead is reported when its turn comes, not as an unhandled rejection
      next.catch(() => undefined);
    }
    const offset = n * chunkSize;
    yield current.subarray(Math.max(0, start - offset), Math.min(current.length, stop - offset));
  }
}

/** Every stored part with its reference count (consistency checks in tests and tools). */
export async function listParts(db: Db): Promise<{ ref: string; refs: number; length: number }[]> {
  const all = await files(db).find({}).toArray();
  return all.map((file) => ({
    ref: String(file.metadata?.hash),
    refs: Number(file.metadata?.refs ?? 0),
    length: Number(file.length),
  }));
}

/**
 * Deletes what a failed upload left behind when even its clean-up could not reach the store (the
 * connection was lost mid-delivery): chunks whose file document was never written, and files
 * still under their placeholder name. Only leftovers older than `olderThanMs` are touched, so
 * uploads in progress are safe. Returns how many chunks and files were deleted.
 */
export async function sweepAbandonedUploads(
  db: Db,
  olderThanMs = 60 * 60 * 1000,
  now = new Date(),
): Promise<{ chunks: number; files: number }> {
  // ObjectIds carry their creation time in whole seconds
  const cutoff = ObjectId.createFromTime(Math.floor((now.getTime() - olderThanMs) / 1000));
  const chunks = db.collection(`${PARTS_BUCKET}.chunks`);
  const chunkFiles = (await chunks.distinct('files_id', { _id: { $lt: cutoff } })) as ObjectId[];
  const existing = new Set(
    (
      await files(db)
        .find({ _id: { $in: chunkFiles } }, { projection: { _id: 1 } })
        .toArray()
    ).map((file) => String(file._id)),
  );
  const orphans = chunkFiles.filter((id) => !existing.has(String(id)));
  const deletedChunks = orphans.length
    ? (await chunks.deleteMany({ files_id: { $in: orphans } })).deletedCount
    : 0;
  const pending = await files(db)
    .find({ _id: { $lt: cutoff }, 'metadata.hash': { $regex: '^pending:' } }, { projection: { _id: 1 } })
    .toArray();
  for (const file of pending) await deleteFile(db, file._id as ObjectId);
  return { chunks: deletedChunks, files: pending.length };
}
