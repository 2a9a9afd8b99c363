import { createHash, randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import { PARTS_BUCKET } from '@wildduck/schema';
import { partLock, type StoreContext } from './context.js';

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
  try {
    await pipeline(content, measure, upload);
  } catch (error) {
    await deleteFile(ctx.db, upload.id as ObjectId);
    throw error;
  }
  const sha256 = hash.digest('hex');
  await ctx.locks.run(partLock(sha256), async () => {
    const existing = await files(ctx.db).findOne({ 'metadata.hash': sha256 });
    if (existing && Number(existing.metadata?.refs ?? 0) > 0) {
      await files(ctx.db).updateOne({ _id: existing._id }, { $inc: { 'metadata.refs': 1 } });
      await deleteFile(ctx.db, upload.id as ObjectId);
      return;
    }
    // a file left with no references (its deleter died midway) is replaced by the new upload
    if (existing) await deleteFile(ctx.db, existing._id as ObjectId);
    await files(ctx.db).updateOne({ _id: upload.id }, { $set: { 'metadata.hash': sha256 } });
  });
  return { ref: sha256, size };
}

/** Adds a reference to each part (a copied message shares its parts). Throws if one is missing. */
export async function acquireParts(ctx: StoreContext, refs: readonly string[]): Promise<void> {
  const done: string[] = [];
  for (const ref of refs) {
    const found = await ctx.locks.run(partLock(ref), async () => {
      const result = await files(ctx.db).updateOne(
        { 'metadata.hash': ref, 'metadata.refs': { $gt: 0 } },
        { $inc: { 'metadata.refs': 1 } },
      );
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
  for (const ref of refs) {
    await ctx.locks.run(partLock(ref), async () => {
      const file = await files(ctx.db).findOne({ 'metadata.hash': ref });
      if (!file) return;
      const left = Number(file.metadata?.refs ?? 0) - 1;
      if (left > 0) await files(ctx.db).updateOne({ _id: file._id }, { $set: { 'metadata.refs': left } });
      else await deleteFile(ctx.db, file._id as ObjectId);
    });
  }
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
  const passThrough = new Transform({
    transform(chunk, _encoding, callback) {
      callback(null, chunk);
    },
  });
  void files(db)
    .findOne({ 'metadata.hash': ref }, { projection: { _id: 1 } })
    .then((file) => {
      if (!file) throw new Error(`stored part ${ref} is missing`);
      const options: { start?: number; end?: number } = {};
      if (start !== undefined) options.start = start;
      if (end !== undefined) options.end = end;
      const download = bucket(db).openDownloadStream(file._id as ObjectId, options);
      download.on('error', (error) => passThrough.destroy(error));
      download.pipe(passThrough);
    })
    .catch((error: unknown) => passThrough.destroy(error as Error));
  return passThrough;
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
