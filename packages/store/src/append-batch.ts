import type { Readable } from 'node:stream';
import { indexMessage, type IndexedMessage } from '@wildduck/mime';
import { messages as messageSpec, validateDocument } from '@wildduck/schema';
import type { ObjectId } from 'mongodb';
import { messageDocument, type AppendFailure } from './append.js';
import { userLock, type StoreContext } from './context.js';
import { allocateUids, isUnseen, uncountAllocation } from './counters.js';
import { StoreError } from './errors.js';
import { normalizeFlags } from './flags.js';
import { GridFsPartSink } from './gridfs-sink.js';
import { recordChanges } from './journal.js';
import { releaseParts } from './parts.js';
import { releaseStorage, reserveStorage } from './quota.js';
import { insertMessageDocuments } from './search-index.js';
import { completeAfterChange } from './write-completion.js';

/** One message of a batch. */
export interface BatchMessage {
  message: Readable;
  flags?: readonly string[];
  /** Default: now. */
  internalDate?: Date;
}

export type AppendBatchOutcome =
  | { ok: true; firstUid: number; lastModseq: number; uidValidity: number; ids: ObjectId[] }
  | { ok: false; code: AppendFailure };

/**
 * Stores many messages in one mailbox as appendMessage stores one, with the store round trips
 * shared: each message is indexed (large bodies into GridFS), then, under the user's lock, the
 * quota is reserved for all of them, their UIDs and MODSEQs are taken with one update of the
 * mailbox (its counters grow with it), their message and search documents are inserted with one
 * insert each, and one journal write records every EXISTS. All or nothing: when the batch does not
 * fit or cannot be stored, nothing of it stays. Why: appendMessage costs about ten store round
 * trips a message, so filling a large mailbox (imports, the 20,000-message browser test) one
 * message at a time takes many minutes.
 */
export async function appendMessageBatch(
  ctx: StoreContext,
  user: ObjectId,
  mailbox: ObjectId,
  batch: readonly BatchMessage[],
): Promise<AppendBatchOutcome> {
  const { db, settings } = ctx;
  const sink = new GridFsPartSink(ctx);
  const indexed: { message: IndexedMessage; parts: string[] }[] = [];
  try {
    for (const item of batch) {
      const before = sink.refs.length;
      const message = await indexMessage(item.message, {
        sink,
        largeBodyThreshold: settings.largeBodyThreshold,
        maxInlineBodyTotal: settings.maxInlineBytes,
      });
      if (message.size > settings.maxMessageSize) {
        await sink.releaseAll();
        return { ok: false, code: 'TOOBIG' };
      }
      indexed.push({ message, parts: sink.refs.slice(before) });
    }
  } catch (error) {
    await sink.releaseAll();
    throw error;
  }
  const heldParts = [...sink.refs];
  const flags = batch.map((item) => normalizeFlags(item.flags ?? []));
  const size = indexed.reduce((sum, item) => sum + item.message.size, 0);
  const unseen = flags.filter(isUnseen).length;

  const outcome = await ctx.locks
    .run(userLock(user), async (): Promise<AppendBatchOutcome> => {
      if (!(await reserveStorage(db, user, size))) return { ok: false, code: 'OVERQUOTA' };
      const allocation = await allocateUids(db, mailbox, batch.length, { size, unseen });
      if (!allocation) {
        await releaseStorage(db, user, size);
        return { ok: false, code: 'NONEXISTENT' };
      }
      const documents = indexed.map((item, index) =>
        messageDocument(item.message, {
          mailbox,
          user,
          uid: allocation.firstUid + index,
          modseq: allocation.firstModseq + index,
          flags: flags[index]!,
          internalDate: batch[index]!.internalDate ?? new Date(),
          parts: item.parts,
        }),
      );
      const entries = documents.map((document, index) => ({
        mailbox,
        user,
        modseq: allocation.firstModseq + index,
        kind: 'EXISTS' as const,
        uid: document.uid,
        flags: flags[index]!,
      }));
      try {
        for (const document of documents) {
          const problems = validateDocument(messageSpec.validator!, document);
          if (problems.length)
            throw new StoreError('INVALID_DOCUMENT', `Invalid message document: ${problems.join('; ')}`);
        }
        // with their search documents (search-index.ts), all or none
        await insertMessageDocuments(db, documents);
      } catch (error) {
        await releaseStorage(db, user, size);
        await uncountAllocation(db, mailbox, allocation).catch(() => {});
        // the MODSEQs were taken: journalled as no-ops so readers do not wait for them
        await recordChanges(
          db,
          entries.map((entry) => ({ ...entry, kind: 'EXPUNGE' as const, flags: null })),
        ).catch(() => {});
        throw error;
      }
      await completeAfterChange(() => recordChanges(db, entries));
      return {
        ok: true,
        firstUid: allocation.firstUid,
        lastModseq: allocation.firstModseq + batch.length - 1,
        uidValidity: allocation.uidValidity,
        ids: documents.map((document) => document._id),
      };
    })
    .catch(async (error: unknown) => {
      await releaseParts(ctx, heldParts).catch(() => {});
      throw error;
    });
  if (!outcome.ok) await releaseParts(ctx, heldParts);
  return outcome;
}
