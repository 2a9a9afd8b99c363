import type { Db, ObjectId } from 'mongodb';
import { PARTS_BUCKET } from '@wildduck/schema';
import { finding, type Finding } from './consistency-findings.js';
import { UPLOADS_BUCKET } from './upload-files.js';

/** A file of the parts bucket as the check sees it. */
export interface PartFile {
  id: ObjectId;
  /** The content hash, or `pending:<uuid>` while its upload runs. */
  hash: string;
  refs: number;
  uploaded: Date;
}

/** Every file of the parts bucket, by hash: one read of the file documents (never of their chunks). */
export async function readPartFiles(db: Db): Promise<Map<string, PartFile>> {
  const documents = await db
    .collection(`${PARTS_BUCKET}.files`)
    .find({}, { projection: { metadata: 1, uploadDate: 1 } })
    .toArray();
  const files = new Map<string, PartFile>();
  for (const document of documents) {
    const hash = String(document.metadata?.hash);
    files.set(hash, {
      id: document._id as ObjectId,
      hash,
      refs: Number(document.metadata?.refs ?? 0),
      uploaded: document.uploadDate as Date,
    });
  }
  return files;
}

/** Parts a user's messages refer to that have no file. */
export function missingParts(
  user: ObjectId,
  references: ReadonlyMap<string, number>,
  files: ReadonlyMap<string, PartFile>,
): Finding[] {
  const missing = [...references.keys()].filter((ref) => !files.has(ref));
  return missing.length ? [finding('missing-part', { user }, missing, 'a parts file', 'none')] : [];
}

/**
 * Reference counts against the references counted. With every user's references (`exact`), a count
 * must equal them and a file nobody refers to is an orphan; with one user's, a count can only be
 * checked for being at least that user's references (other users may share the part).
 * Files younger than `graceMs` are left out: a delivery stores its parts before its message.
 */
export function checkPartCounts(
  references: ReadonlyMap<string, number>,
  files: ReadonlyMap<string, PartFile>,
  options: { exact: boolean; graceMs: number; now: Date },
): Finding[] {
  const findings: Finding[] = [];
  const settled = (file: PartFile) => options.now.getTime() - file.uploaded.getTime() >= options.graceMs;
  for (const file of files.values()) {
    if (file.hash.startsWith('pending:')) {
      // an unfinished upload belongs to no user yet: only the store-wide check reports it
      if (options.exact && settled(file))
        findings.push(
          finding('abandoned-part-upload', {}, [String(file.id)], 'no upload', 'unfinished upload'),
        );
      continue;
    }
    const counted = references.get(file.hash) ?? 0;
    if (options.exact && counted === 0) {
      if (settled(file)) findings.push(finding('orphaned-part', {}, [file.hash], 0, file.refs));
    } else if (options.exact ? file.refs !== counted : file.refs < counted) {
      if (settled(file) || file.refs < counted)
        findings.push(finding('part-refcount', {}, [file.hash], counted, file.refs));
    }
  }
  return findings;
}

/** Uploads older than their lifetime (the API deletes them after a day; a missed sweep leaves them). */
export async function expiredUploads(
  db: Db,
  options: { user?: ObjectId; lifetimeMs: number; now: Date },
): Promise<Finding[]> {
  const cutoff = new Date(options.now.getTime() - options.lifetimeMs);
  const documents = await db
    .collection(`${UPLOADS_BUCKET}.files`)
    .find({ uploadDate: { $lt: cutoff } }, { projection: { metadata: 1, uploadDate: 1 } })
    .toArray();
  return documents
    .filter((document) => !options.user || options.user.equals(document.metadata?.user as ObjectId))
    .map((document) =>
      finding(
        'expired-upload',
        { user: (document.metadata?.user as ObjectId | undefined) ?? null },
        [String(document._id)],
        `uploaded after ${cutoff.toISOString()}`,
        (document.uploadDate as Date).toISOString(),
      ),
    );
}
