import { Double, ObjectId, type Db, type Document } from 'mongodb';
import { userLock, type StoreContext } from './context.js';
import {
  allocateModseqs,
  allocateUids,
  changeCounters,
  countOf,
  difference,
  negate,
  uncountAllocation,
} from './counters.js';
import { findByUids } from './message-lookup.js';
import { insertMessageDocuments, refileSearchDocuments } from './search-index.js';
import { recordChanges, type JournalEntry } from './journal.js';
import { acquireParts, releaseParts } from './parts.js';
import { releaseStorage, reserveStorage } from './quota.js';
import { toNumber } from './ids.js';
import { completeAfterChange, finishWrite, isStoreUnreachable } from './write-completion.js';

/** Why a copy or move was refused. */
export type TransferFailure = 'NONEXISTENT' | 'OVERQUOTA';
/** `[source uid, destination uid]` pairs (COPYUID, RFC 4315), with the destination's UIDVALIDITY. */
export type TransferOutcome =
  | {
      ok: true;
      uidValidity: number;
      mapping: [number, number][];
      destinationModseq: number;
      sourceModseq?: number;
    }
  | { ok: false; code: TransferFailure };

/** Messages are copied in batches so that a huge COPY never holds a whole mailbox in memory. */
const BATCH = 100;
type JournalInput = Omit<JournalEntry, 'created'>;

/**
 * Copies messages into another mailbox of the same user. The copies share the stored parts (their
 * reference counts go up) and count against the quota like any new message.
 */
export async function copyMessages(
  ctx: StoreContext,
  user: ObjectId,
  source: ObjectId,
  uids: readonly number[],
  destination: ObjectId,
): Promise<TransferOutcome> {
  const { db } = ctx;
  const mapping: [number, number][] = [];
  let uidValidity = 0;
  let destinationModseq = 0;
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  for (let start = 0; start < sorted.length; start += BATCH) {
    const batch = await findByUids(db, source, sorted.slice(start, start + BATCH), null);
    if (!batch.length) continue;
    const bytes = batch.reduce((sum, message) => sum + toNumber(message.size), 0);
    const parts = batch.flatMap((message) => (message.parts as string[] | undefined) ?? []);
    await acquireParts(ctx, parts);
    const outcome = await ctx.locks
      .run(userLock(user), async () => {
        if (!(await reserveStorage(db, user, bytes))) return 'OVERQUOTA' as const;
        const flagsOf = (message: Document) =>
          ((message.flags as string[]) ?? []).filter((flag) => flag !== '\\Recent');
        const added = countOf(batch.map((message) => ({ flags: flagsOf(message), size: message.size })));
        // the destination's counters grow in the update that takes the UIDs
        const allocation = await allocateUids(db, destination, batch.length, added);
        if (!allocation) {
          await releaseStorage(db, user, bytes);
          return 'NONEXISTENT' as const;
        }
        // SAVEDATE (RFC 8514): a copy is saved into the destination now
        const saved = new Date();
        const copies = batch.map((message, index) => ({
          ...message,
          saved,
          _id: new ObjectId(),
          mailbox: destination,
          uid: allocation.firstUid + index,
          modseq: new Double(allocation.firstModseq + index),
          flags: flagsOf(message),
        }));
        try {
          await insertMessageDocuments(db, copies);
        } catch (error) {
          // as for APPEND (append.ts): after a long outage whether the copies got in is unknown
          if (!isStoreUnreachable(error))
            await uncountAllocation(db, destination, allocation).catch(() => {});
          throw error;
        }
        // the copies are stored: from here nothing fails the COPY or gives their parts back
        await completeAfterChange(() =>
          recordChanges(
            db,
            copies.map((copy) => ({
              mailbox: destination,
              user,
              modseq: toNumber(copy.modseq),
              kind: 'EXISTS' as const,
              uid: copy.uid,
              flags: copy.flags,
            })),
          ),
        );
        return allocation;
      })
      .catch(async (error: unknown) => {
        await releaseParts(ctx, parts);
        throw error;
      });
    if (typeof outcome === 'string') {
      await releaseParts(ctx, parts);
      return { ok: false, code: outcome };
    }
    const allocation = outcome;
    batch.forEach((message, index) => mapping.push([toNumber(message.uid), allocation.firstUid + index]));
    uidValidity = allocation.uidValidity;
    destinationModseq = allocation.firstModseq + batch.length - 1;
  }
  if (!mapping.length) return nothingTransferred(db, destination);
  return { ok: true, uidValidity, mapping, destinationModseq };
}

/**
 * Moves messages into another mailbox of the same user in place: each document gets the new
 * mailbox, UID and MODSEQ in one update, so storage and parts are untouched and a message is never
 * in both mailboxes or in neither. The source journals EXPUNGE, the destination EXISTS.
 */
export async function moveMessages(
  ctx: StoreContext,
  user: ObjectId,
  source: ObjectId,
  uids: readonly number[],
  destination: ObjectId,
): Promise<TransferOutcome> {
  const { db } = ctx;
  const mapping: [number, number][] = [];
  let uidValidity = 0;
  let destinationModseq = 0;
  let sourceModseq = 0;
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  for (let start = 0; start < sorted.length; start += BATCH) {
    const batch = await findByUids(db, source, sorted.slice(start, start + BATCH), { flags: 1, size: 1 });
    if (!batch.length) continue;
    const step = await ctx.locks.run(userLock(user), async () => {
      // the destination's counters grow in the update that takes the UIDs; what turns out to be
      // gone meanwhile is taken off again below
      const allocation = await allocateUids(db, destination, batch.length, countOf(batch));
      if (!allocation) return null;
      const destinationJournal: JournalInput[] = [];
      const moved: number[] = [];
      const movedDocuments: Document[] = [];
      // the moved documents as they are now, for their search documents
      const refiled: Document[] = [];
      // SAVEDATE (RFC 8514): moved messages are saved into the destination now
      const saved = new Date();
      for (const [index, message] of batch.entries()) {
        const uid = allocation.firstUid + index;
        const modseq = allocation.firstModseq + index;
        // the document as it was just before the move: its flags now, for the journal and counters
        const before = await refileMessage(db, message, source, destination, { uid, modseq, saved });
        if (before) {
          moved.push(toNumber(message.uid));
          movedDocuments.push(before);
          refiled.push({ ...before, mailbox: destination, uid, modseq: new Double(modseq), saved });
          mapping.push([toNumber(message.uid), uid]);
          destinationJournal.push({
            mailbox: destination,
            user,
            modseq,
            kind: 'EXISTS',
            uid,
            flags: (before.flags as string[]) ?? [],
          });
        } else {
          // gone meanwhile (expunged by another session): the MODSEQ we took is journalled as a no-op
          destinationJournal.push({ mailbox: destination, user, modseq, kind: 'EXPUNGE', uid, flags: null });
        }
      }
      // the destination was counted from the batch as read before the lock: correct it to what moved
      // from here on messages have moved: the rest is finished through a store outage
      // (finishWrite), or left to the write healer, never failing the MOVE (completeAfterChange)
      await completeAfterChange(() =>
        finishWrite(() =>
          changeCounters(db, destination, difference(countOf(movedDocuments), countOf(batch)), true),
        ),
      );
      await completeAfterChange(() => finishWrite(() => refileSearchDocuments(db, refiled)));
      await completeAfterChange(() => recordChanges(db, destinationJournal));
      let lastSourceModseq = 0;
      if (moved.length) {
        // the source's counters shrink in the update that takes its EXPUNGE MODSEQs
        const firstSourceModseq = await completeAfterChange(() =>
          finishWrite(() => allocateModseqs(db, source, moved.length, negate(countOf(movedDocuments)), true)),
        );
        if (firstSourceModseq) {
          await completeAfterChange(() =>
            recordChanges(
              db,
              moved.map((uid, index) => ({
                mailbox: source,
                user,
                modseq: firstSourceModseq + index,
                kind: 'EXPUNGE' as const,
                uid,
                flags: null,
              })),
            ),
          );
          lastSourceModseq = firstSourceModseq + moved.length - 1;
        }
      }
      return { allocation, lastSourceModseq };
    });
    if (!step)
      return mapping.length
        ? { ok: true, uidValidity, mapping, destinationModseq, sourceModseq }
        : { ok: false, code: 'NONEXISTENT' };
    uidValidity = step.allocation.uidValidity;
    destinationModseq = step.allocation.firstModseq + batch.length - 1;
    if (step.lastSourceModseq) sourceModseq = step.lastSourceModseq;
  }
  if (!mapping.length) return nothingTransferred(db, destination);
  return { ok: true, uidValidity, mapping, destinationModseq, sourceModseq };
}

/**
 * Moves one message document into the destination under its new UID and MODSEQ; answers the
 * document as it was before, or null when another session removed it first. When the store does
 * not answer, it looks again until it does: a first try that was applied with its answer lost
 * shows as the document already in the destination under this UID.
 */
async function refileMessage(
  db: Db,
  message: Document,
  source: ObjectId,
  destination: ObjectId,
  place: { uid: number; modseq: number; saved: Date },
): Promise<Document | null> {
  const messages = db.collection('messages');
  const move = () =>
    messages.findOneAndUpdate(
      { _id: message._id, mailbox: source },
      {
        $set: { mailbox: destination, uid: place.uid, modseq: new Double(place.modseq), saved: place.saved },
      },
      { returnDocument: 'before' },
    );
  try {
    return await move();
  } catch (error) {
    if (!isStoreUnreachable(error)) throw error;
  }
  for (;;) {
    const now = await finishWrite(() => messages.findOne({ _id: message._id }));
    if (!now) return null;
    const applied = String(now.mailbox) === String(destination) && toNumber(now.uid) === place.uid;
    if (applied) return { ...now, mailbox: source, uid: message.uid, modseq: message.modseq };
    if (String(now.mailbox) !== String(source)) return null;
    try {
      return await move();
    } catch (error) {
      if (!isStoreUnreachable(error)) throw error;
    }
  }
}

/** COPY or MOVE of messages that no longer exist: success with no pairs, if the destination still exists. */
async function nothingTransferred(db: Db, destination: ObjectId): Promise<TransferOutcome> {
  const box = await db
    .collection('mailboxes')
    .findOne({ _id: destination }, { projection: { uidValidity: 1, highestModseq: 1 } });
  if (!box) return { ok: false, code: 'NONEXISTENT' };
  return {
    ok: true,
    uidValidity: toNumber(box.uidValidity),
    mapping: [],
    destinationModseq: toNumber(box.highestModseq),
  };
}
