import type { AnyBulkWriteOperation, Db, Document, ObjectId } from 'mongodb';
import { sendInCommands } from './write-commands.js';
import {
  indexMessage,
  reassembleMessage,
  type BodyStructure,
  type Envelope,
  type PartSink,
} from '@wildduck/mime';
import { userLock } from './context.js';
import type { LockManager } from './locks.js';
import { openPart } from './parts.js';

/**
 * The layout of a message document's ENVELOPE and BODYSTRUCTURE (`structureVersion`); a document
 * without it (or with another) was indexed before the fixes it names and is indexed again when a
 * FETCH first asks for either, then kept.
 *   2: addresses of every To/Cc/... line, body lines as IMAP counts them (the CRLF before a
 *      boundary is the boundary's), a multipart without parts kept a multipart, the default
 *      charset after the given parameters (all as Dovecot answers).
 */
export const STRUCTURE_VERSION = 2;

/** ENVELOPE and BODYSTRUCTURE as a message document stores them. */
export interface StoredStructures {
  envelope: Envelope;
  /** JSON text, as the message document keeps it. */
  bodyStructure: string;
}

/** Large bodies are only read through, never kept: indexing again needs their sizes and lines. */
const discardBodies: PartSink = {
  async storeLargeBody(_info, content, digest) {
    content.resume();
    await digest;
    return '';
  },
};

/**
 * Indexes a stored message again (its bytes reassembled from the document and its GridFS parts)
 * and returns its ENVELOPE and BODYSTRUCTURE as the current indexer makes them; null when the
 * message cannot be read back (a part gone missing), so the stored forms are kept.
 */
export async function recomputeStructures(db: Db, document: Document): Promise<StoredStructures | null> {
  const mime = document.mime as { root: string; segments: never[] } | undefined;
  if (!mime) return null;
  try {
    const content = { root: JSON.parse(mime.root), segments: mime.segments, size: Number(document.size) };
    const { stream } = reassembleMessage(content, (body, start, end) => openPart(db, body.ref, start, end));
    const indexed = await indexMessage(stream, { sink: discardBodies, largeBodyThreshold: 64 * 1024 });
    return {
      envelope: indexed.envelope,
      bodyStructure: JSON.stringify(indexed.bodyStructure satisfies BodyStructure),
    };
  } catch {
    return null;
  }
}

/**
 * Keeps recomputed structures in their message documents, under the owner's lock (on FerretDB an
 * update rewrites the whole document, so a flag change running beside it would be lost).
 */
export async function keepStructures(
  db: Db,
  locks: LockManager,
  user: ObjectId,
  updates: readonly { _id: ObjectId; structures: StoredStructures }[],
): Promise<void> {
  if (!updates.length) return;
  const operations: AnyBulkWriteOperation[] = updates.map(({ _id, structures }) => ({
    updateOne: {
      filter: { _id },
      update: { $set: { ...structures, structureVersion: STRUCTURE_VERSION } },
    },
  }));
  // in commands small enough for FerretDB's connection pool (write-commands.ts)
  await locks.run(userLock(user), () =>
    sendInCommands(operations, (chunk) => db.collection('messages').bulkWrite(chunk, { ordered: false })),
  );
}
