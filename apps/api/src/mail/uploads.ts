/**
 * Uploads: attachments stored ahead of the message that sends them (POST /uploads stores them,
 * composing a message reads them). They belong to their user and expire after a day.
 */
import type { Readable } from 'node:stream';
import { ObjectId, type Db, type GridFSBucketWriteStream } from 'mongodb';
import {
  deleteUpload,
  findUploadsBefore,
  findUserUploadFile,
  openUploadContent,
  openUploadSink,
} from '@wildduck/store';

/** Uploads not used within this time are deleted. */
export const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** An upload of this user, opened for reading (an attachment of a message being composed). */
export interface OpenedUpload {
  filename: string;
  contentType: string;
  size: number;
  stream(): Readable;
}

/** A stream that stores what is written to it as a new upload of the user; its `id` names the upload. */
export function newUploadSink(
  db: Db,
  user: ObjectId,
  filename: string,
  contentType: string,
): GridFSBucketWriteStream {
  return openUploadSink(db, filename, { user, contentType });
}

/** An upload of this user by id, or null (unknown, expired, or another user's). */
export async function openUserUpload(db: Db, user: ObjectId, id: string): Promise<OpenedUpload | null> {
  if (!ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) return null;
  const file = await findUserUploadFile(db, user, new ObjectId(id));
  if (!file || file.uploaded.getTime() < Date.now() - UPLOAD_LIFETIME_MS) return null;
  return {
    filename: file.filename,
    contentType: file.contentType,
    size: file.size,
    stream: () => openUploadContent(db, file.id),
  };
}

/** Deletes uploads older than UPLOAD_LIFETIME_MS; answers how many. */
export async function sweepExpiredUploads(db: Db, now = new Date()): Promise<number> {
  const expired = await findUploadsBefore(db, new Date(now.getTime() - UPLOAD_LIFETIME_MS));
  let deleted = 0;
  for (const id of expired) {
    await deleteUpload(db, id)
      .then(() => deleted++)
      .catch(() => {});
  }
  return deleted;
}
