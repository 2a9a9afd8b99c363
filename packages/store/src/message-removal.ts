import type { Db, Document, ObjectId } from 'mongodb';
import { deleteMailboxAcl } from './mailbox-acl.js';
import { deleteAddressesOfMailbox } from './mailbox-addresses.js';
import { userLock, type StoreContext } from './context.js';
import { allocateModseqs, countOf, negate } from './counters.js';
import { recordChanges } from './journal.js';
import { releaseParts } from './parts.js';
import { releaseStorage } from './quota.js';
import { deleteSearchDocuments, MESSAGE_SEARCH } from './search-index.js';
import { toNumber } from './ids.js';
import { completeAfterChange, finishWrite, isStoreUnreachable } from './write-completion.js';

/** The fields of a message document that removal needs. */
export interface RemovableMessage {
  _id: ObjectId;
  uid: number;
  size: number;
  parts?: string[];
  /** Its flags when read (for the unseen counter, should its deletion have to be taken on trust). */
  flags?: string[];
}

/** Messages are removed in batches, so the user lock is never held for long. */
const BATCH = 200;

/**
 * Removes messages from a mailbox: each gets an EXPUNGE journal entry with a new MODSEQ, its size
 * is given back to the user's storage counter and its stored parts lose a reference. Returns the
 * UIDs removed. A message another session removed first is skipped, never counted twice.
 */
export async function removeMessages(
  ctx: StoreContext,
  user: ObjectId,
  mailbox: ObjectId,
  messages: readonly RemovableMessage[],
): Promise<number[]> {
  const removedUids: number[] = [];
  for (let start = 0; start < messages.length; start += BATCH) {
    const batch = messages.slice(start, start + BATCH);
    const removed = await deleteBatch(ctx, user, batch, async (done, deleted) => {
      // the counters shrink in the update that takes the EXPUNGE MODSEQs, by what was deleted
      const firstModseq = await finishWrite(() =>
        allocateModseqs(ctx.db, mailbox, done.length, negate(countOf(deleted)), true),
      );
      if (firstModseq !== null) {
        await recordChanges(
          ctx.db,
          done.map((message, index) => ({
            mailbox,
            user,
            modseq: firstModseq + index,
            kind: 'EXPUNGE' as const,
            uid: message.uid,
            flags: null,
          })),
        );
      }
    });
    removedUids.push(...removed.map((message) => message.uid));
  }
  return removedUids.sort((a, b) => a - b);
}

/** Reads the fields removal needs for the messages matching a filter. */
export async function findRemovable(db: Db, filter: Record<string, unknown>): Promise<RemovableMessage[]> {
  const documents = await db
    .collection('messages')
    .find(filter, { projection: { uid: 1, size: 1, parts: 1, flags: 1 } })
    .sort({ uid: 1 })
    .toArray();
  return documents.map((document) => ({
    _id: document._id as ObjectId,
    uid: toNumber(document.uid),
    size: toNumber(document.size),
    parts: (document.parts as string[] | undefined) ?? [],
    flags: (document.flags as string[] | undefined) ?? [],
  }));
}

/** EXPUNGE: removes the messages flagged \Deleted, or only those of them among `uids` (UID EXPUNGE). */
export async function expungeDeleted(
  ctx: StoreContext,
  user: ObjectId,
  mailbox: ObjectId,
  uids?: readonly number[],
): Promise<number[]> {
  const filter: Record<string, unknown> = { mailbox, flags: '\\Deleted' };
  if (uids) filter.uid = { $in: [...uids] };
  return removeMessages(ctx, user, mailbox, await findRemovable(ctx.db, filter));
}

/**
 * Deletes a mailbox with all its messages (INBOX is refused by the caller); with `onlyIfEmpty`, only
 * when it holds no message at that moment (a folder emptied into Trash that got new mail meanwhile
 * keeps it).
 */
export async function deleteMailboxAndMessages(
  ctx: StoreContext,
  user: ObjectId,
  mailbox: ObjectId,
  options: { onlyIfEmpty?: boolean } = {},
): Promise<'deleted' | 'missing' | 'not-empty'> {
  // the mailbox goes first, under the lock, so no message can take a UID in it while we empty it
  const outcome = await ctx.locks.run(userLock(user), async () => {
    // a writer stores its message under the same lock, so what is stored now is all there is
    if (
      options.onlyIfEmpty &&
      (await ctx.db.collection('messages').findOne({ mailbox }, { projection: { _id: 1 } }))
    )
      return (await ctx.db
        .collection('mailboxes')
        .findOne({ _id: mailbox, user }, { projection: { _id: 1 } }))
        ? 'not-empty'
        : 'missing';
    const result = await ctx.db.collection('mailboxes').deleteOne({ _id: mailbox, user });
    return result.deletedCount === 1 ? 'deleted' : 'missing';
  });
  if (outcome !== 'deleted') return outcome;
  // nobody reaches the mailbox any more: its access list, its addresses and its readers' \Seen go with it
  await deleteMailboxAcl(ctx.db, mailbox);
  await deleteAddressesOfMailbox(ctx.db, mailbox);
  await ctx.db.collection('privateSeen').deleteMany({ mailbox });
  const messages = await findRemovable(ctx.db, { mailbox });
  for (let start = 0; start < messages.length; start += BATCH) {
    await deleteBatch(ctx, user, messages.slice(start, start + BATCH));
  }
  // search documents of messages removed by anyone meanwhile, too
  await ctx.db.collection(MESSAGE_SEARCH).deleteMany({ mailbox });
  await ctx.db.collection('journal').deleteMany({ mailbox, modseq: { $gt: 0 } });
  await recordChanges(ctx.db, [
    { mailbox, user, modseq: 0, kind: 'MAILBOX_DELETED', uid: null, flags: null },
  ]);
  return 'deleted';
}

/**
 * Deletes the documents of one batch under the user lock and gives their bytes back to the storage
 * counter; returns the ones this call deleted (another session may have been first).
 */
async function deleteBatch(
  ctx: StoreContext,
  user: ObjectId,
  batch: readonly RemovableMessage[],
  afterDelete: (done: RemovableMessage[], deleted: Document[]) => Promise<void> = async () => {},
): Promise<RemovableMessage[]> {
  const removed = await ctx.locks.run(userLock(user), async () => {
    const done: RemovableMessage[] = [];
    // the documents as they were when deleted (their flags then, for the unseen counter)
    const deleted: Document[] = [];
    for (const message of batch) {
      const document = await deleteMessageDocument(ctx.db, message);
      if (document) {
        done.push(message);
        deleted.push(document);
      }
    }
    // from here on messages are gone: the rest is finished through a store outage (finishWrite),
    // or left to the write healer, never failing the removal (completeAfterChange)
    await completeAfterChange(() =>
      finishWrite(() =>
        deleteSearchDocuments(
          ctx.db,
          done.map((message) => message._id),
        ),
      ),
    );
    if (done.length) await completeAfterChange(() => afterDelete(done, deleted));
    await completeAfterChange(() =>
      finishWrite(() =>
        releaseStorage(
          ctx.db,
          user,
          done.reduce((sum, message) => sum + message.size, 0),
        ),
      ),
    );
    return done;
  });
  // each part is finished through an outage on its own (retrying them all would give back twice)
  await releaseParts(
    ctx,
    removed.flatMap((message) => message.parts ?? []),
  );
  return removed;
}

/**
 * Deletes one message document; null when another session deleted it first. When the store does
 * not answer, the delete is tried again until it does: a first try that was applied with its
 * answer lost leaves nothing to find, and the message counts as deleted by this call (the caller
 * holds the user lock, so no other session removed it meanwhile).
 */
async function deleteMessageDocument(db: Db, message: RemovableMessage): Promise<Document | null> {
  try {
    return await db.collection('messages').findOneAndDelete({ _id: message._id });
  } catch (error) {
    if (!isStoreUnreachable(error)) throw error;
  }
  const again = await finishWrite(() => db.collection('messages').findOneAndDelete({ _id: message._id }));
  return again ?? { _id: message._id, uid: message.uid, size: message.size, flags: message.flags ?? [] };
}
