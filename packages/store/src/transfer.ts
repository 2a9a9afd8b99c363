import { Double, ObjectId, type Db } from 'mongodb';
import { userLock, type StoreContext } from './context.js';
import { allocateModseqs, allocateUids } from './counters.js';
import { recordChanges, type JournalEntry } from './journal.js';
import { acquireParts, releaseParts } from './parts.js';
import { releaseStorage, reserveStorage } from './quota.js';
import { toNumber } from './ids.js';

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
  const messages = db.collection('messages');
  const mapping: [number, number][] = [];
  let uidValidity = 0;
  let destinationModseq = 0;
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  for (let start = 0; start < sorted.length; start += BATCH) {
    const batch = await messages
      .find({ mailbox: source, uid: { $in: sorted.slice(start, start + BATCH) } })
      .sort({ uid: 1 })
      .toArray();
    if (!batch.length) continue;
    const bytes = batch.reduce((sum, message) => sum + toNumber(message.size), 0);
    const parts = batch.flatMap((message) => (message.parts as string[] | undefined) ?? []);
    await acquireParts(ctx, parts);
    const outcome = await ctx.locks
      .run(userLock(user), async () => {
        if (!(await reserveStorage(db, user, bytes))) return 'OVERQUOTA' as const;
        const allocation = await allocateUids(db, destination, batch.length);
        if (!allocation) {
          await releaseStorage(db, user, bytes);
          return 'NONEXISTENT' as const;
        }
        const copies = batch.map((message, index) => ({
          ...message,
          _id: new ObjectId(),
          mailbox: destination,
          uid: allocation.firstUid + index,
          modseq: new Double(allocation.firstModseq + index),
          flags: ((message.flags as string[]) ?? []).filter((flag) => flag !== '\\Recent'),
        }));
        await messages.insertMany(copies, { ordered: true });
        await recordChanges(
          db,
          copies.map((copy) => ({
            mailbox: destination,
            user,
            modseq: toNumber(copy.modseq),
            kind: 'EXISTS' as const,
            uid: copy.uid,
            flags: copy.flags,
          })),
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
  const messages = db.collection('messages');
  const mapping: [number, number][] = [];
  let uidValidity = 0;
  let destinationModseq = 0;
  let sourceModseq = 0;
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  for (let start = 0; start < sorted.length; start += BATCH) {
    const batch = await messages
      .find(
        { mailbox: source, uid: { $in: sorted.slice(start, start + BATCH) } },
        { projection: { uid: 1, flags: 1 } },
      )
      .sort({ uid: 1 })
      .toArray();
    if (!batch.length) continue;
    const step = await ctx.locks.run(userLock(user), async () => {
      const allocation = await allocateUids(db, destination, batch.length);
      if (!allocation) return null;
      const destinationJournal: JournalInput[] = [];
      const moved: number[] = [];
      for (const [index, message] of batch.entries()) {
        const uid = allocation.firstUid + index;
        const modseq = allocation.firstModseq + index;
        const result = await messages.updateOne(
          { _id: message._id, mailbox: source },
          { $set: { mailbox: destination, uid, modseq: new Double(modseq) } },
        );
        if (result.modifiedCount === 1) {
          moved.push(toNumber(message.uid));
          mapping.push([toNumber(message.uid), uid]);
          destinationJournal.push({
            mailbox: destination,
            user,
            modseq,
            kind: 'EXISTS',
            uid,
            flags: (message.flags as string[]) ?? [],
          });
        } else {
          // gone meanwhile (expunged by another session): the MODSEQ we took is journalled as a no-op
          destinationJournal.push({ mailbox: destination, user, modseq, kind: 'EXPUNGE', uid, flags: null });
        }
      }
      await recordChanges(db, destinationJournal);
      let lastSourceModseq = 0;
      if (moved.length) {
        const firstSourceModseq = await allocateModseqs(db, source, moved.length);
        if (firstSourceModseq !== null) {
          await recordChanges(
            db,
            moved.map((uid, index) => ({
              mailbox: source,
              user,
              modseq: firstSourceModseq + index,
              kind: 'EXPUNGE' as const,
              uid,
              flags: null,
            })),
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
