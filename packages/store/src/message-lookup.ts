import type { Db, Document, ObjectId } from 'mongodb';
import { toNumber } from './ids.js';

/**
 * Up to this many UIDs are read one `{mailbox, uid}` equality each, at the same time; more are read
 * by one query over the mailbox. FerretDB 1.24 pushes only top-level scalar equality down to SQL
 * (shared/ferretdb-notes.md), so `{mailbox, uid: 5}` is an index lookup while `{mailbox, uid: {$in}}`
 * decodes every message of the mailbox in Go: a few point reads are cheaper than that, many are not.
 */
export const POINT_READS = 16;

/**
 * The messages of a mailbox with these UIDs (those that exist), in ascending UID order, with the
 * given projection (`uid` is always read; null reads whole documents). On MongoDB both shapes use
 * the (mailbox, uid) index.
 */
export async function findByUids(
  db: Db,
  mailbox: ObjectId,
  uids: readonly number[],
  projection: Document | null,
  options: { promoteBuffers?: boolean; extra?: Document; pointReads?: number } = {},
): Promise<Document[]> {
  const wanted = [...new Set(uids)].sort((a, b) => a - b);
  if (!wanted.length) return [];
  const messages = db.collection('messages');
  const findOptions = {
    ...(projection ? { projection: { ...projection, uid: 1 } } : {}),
    promoteBuffers: options.promoteBuffers ?? false,
  };
  let documents: Document[];
  if (wanted.length <= (options.pointReads ?? POINT_READS)) {
    const found = await Promise.all(
      wanted.map((uid) => messages.findOne({ mailbox, uid, ...options.extra }, findOptions)),
    );
    documents = found.filter((document) => document !== null);
  } else {
    // the range narrows nothing on FerretDB, but lets MongoDB walk only that part of the index
    const uid = { $gte: wanted[0]!, $lte: wanted[wanted.length - 1]!, $in: wanted };
    documents = await messages.find({ mailbox, uid, ...options.extra }, findOptions).toArray();
  }
  // sorted here: FerretDB sorts in Go after reading everything anyway, and MongoDB needs no index for it
  return documents.sort((a, b) => toNumber(a.uid) - toNumber(b.uid));
}
