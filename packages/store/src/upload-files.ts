import type { Readable } from 'node:stream';
import { GridFSBucket, type Db, type GridFSBucketWriteStream, type GridFSFile, type ObjectId } from 'mongodb';

/** The GridFS bucket of uploads (separate from the deduplicated message parts). */
export const UPLOADS_BUCKET = 'uploads';

/** What an upload is stored with (GridFS `metadata`). */
export interface UploadMetadata {
  user: ObjectId;
  contentType: string;
}

/** An upload's file as stored. */
export interface UploadFile {
  id: ObjectId;
  filename: string;
  contentType: string;
  size: number;
  uploaded: Date;
}

const bucketOf = (db: Db) => new GridFSBucket(db, { bucketName: UPLOADS_BUCKET });
const filesOf = (db: Db) => db.collection<GridFSFile>(`${UPLOADS_BUCKET}.files`);

/** A stream that stores what is written to it as a new upload (`.abort()` drops what it has). */
export function openUploadSink(db: Db, filename: string, metadata: UploadMetadata): GridFSBucketWriteStream {
  return bucketOf(db).openUploadStream(filename, { metadata });
}

/** The upload with this id if it is this user's, or null. */
export async function findUserUploadFile(db: Db, user: ObjectId, id: ObjectId): Promise<UploadFile | null> {
  const file = await filesOf(db).findOne({ _id: id, 'metadata.user': user });
  if (!file) return null;
  return {
    id: file._id,
    filename: file.filename,
    contentType: (file.metadata as unknown as UploadMetadata).contentType,
    size: file.length,
    uploaded: file.uploadDate,
  };
}

/** The bytes of an upload. */
export function openUploadContent(db: Db, id: ObjectId): Readable {
  return bucketOf(db).openDownloadStream(id);
}

/** The ids of uploads stored before `cutoff`, every user's. */
export async function findUploadsBefore(db: Db, cutoff: Date): Promise<ObjectId[]> {
  const files = await filesOf(db)
    .find({ uploadDate: { $lt: cutoff } }, { projection: { _id: 1 } })
    .toArray();
  return files.map((file) => file._id);
}

/** Deletes an upload, its file document and chunks. */
export async function deleteUpload(db: Db, id: ObjectId): Promise<void> {
  await bucketOf(db).delete(id);
}
