import { Double, type Db, type Document, type ObjectId } from 'mongodb';
import { toNumber } from './ids.js';

// findOneAndUpdate takes no projection here: FerretDB 1.24 answers NotImplemented for findAndModify's "fields".

/**
 * How the message counters of a mailbox change with a write: `messages` (how many), `unseen`
 * (how many without \Seen) and `size` (bytes). They live in the mailbox document beside UIDNEXT and
 * HIGHESTMODSEQ and change in the same update that takes the UIDs or MODSEQs, so STATUS reads one
 * document instead of counting (FerretDB 1.24 counts by reading every message of the mailbox).
 */
export interface CounterChange {
  messages?: number;
  unseen?: number;
  size?: number;
}

/** A block of UIDs and MODSEQs taken from a mailbox in one atomic update. */
export interface Allocation {
  /** First UID of the block; the block is `firstUid … firstUid + count - 1`. */
  firstUid: number;
  /** First MODSEQ of the block, likewise. */
  firstModseq: number;
  uidValidity: number;
  /** What the allocation added to the mailbox's counters (given back by `uncountAllocation`). */
  counted?: CounterChange;
}

/**
 * Takes `count` UIDs and `count` MODSEQs from the mailbox document with one `$inc`. Call it under
 * the owner's user lock (context.ts): MongoDB applies the `$inc` atomically anyway, FerretDB 1.24
 * does not, and the lock is what keeps values distinct there. The unique (mailbox, uid) index
 * turns any slip into an error, never a reused UID. Returns null when the mailbox does not exist
 * (any more). The caller must journal every MODSEQ it took (see journal.ts).
 *
 * With `added` (the messages about to be stored: their bytes and how many lack \Seen), the
 * mailbox's counters grow by `count` messages in the same update; a caller that then stores
 * nothing gives them back with `uncountAllocation`.
 */
export async function allocateUids(
  db: Db,
  mailbox: ObjectId,
  count: number,
  added?: { size: number; unseen: number },
): Promise<Allocation | null> {
  const counted = added ? { messages: count, unseen: added.unseen, size: added.size } : undefined;
  const after = await incrementMailbox(db, mailbox, { uidNext: count, highestModseq: count }, counted, false);
  if (!after) return null;
  return {
    firstUid: toNumber(after.uidNext) - count,
    firstModseq: toNumber(after.highestModseq) - count + 1,
    uidValidity: toNumber(after.uidValidity),
    ...(counted ? { counted } : {}),
  };
}

/**
 * Takes `count` MODSEQs (flag changes, expunges), under the user lock; returns the first, or null
 * without the mailbox. `change` moves the counters in the same update; `applied` says whether the
 * stored messages already show it (an expunge deletes first, then takes its MODSEQs; a flag change
 * takes them first), which matters only when old counters must first be computed.
 */
export async function allocateModseqs(
  db: Db,
  mailbox: ObjectId,
  count: number,
  change?: CounterChange,
  applied = false,
): Promise<number | null> {
  const after = await incrementMailbox(db, mailbox, { highestModseq: count }, change, applied);
  return after ? toNumber(after.highestModseq) - count + 1 : null;
}

/** Moves a mailbox's counters without taking a UID or MODSEQ (undoing part of an allocation); under the user lock. */
export async function changeCounters(
  db: Db,
  mailbox: ObjectId,
  change: CounterChange,
  applied: boolean,
): Promise<void> {
  if (!hasChange(change)) return;
  await incrementMailbox(db, mailbox, {}, change, applied);
}

/** Gives back what an allocation added to the counters when no message got its UID; under the user lock. */
export async function uncountAllocation(db: Db, mailbox: ObjectId, allocation: Allocation): Promise<void> {
  if (allocation.counted) await changeCounters(db, mailbox, negate(allocation.counted), true);
}

/** The opposite change. */
export function negate(change: CounterChange): CounterChange {
  return { messages: -(change.messages ?? 0), unseen: -(change.unseen ?? 0), size: -(change.size ?? 0) };
}

/** `a - b`, counter by counter. */
export function difference(a: CounterChange, b: CounterChange): CounterChange {
  return {
    messages: (a.messages ?? 0) - (b.messages ?? 0),
    unseen: (a.unseen ?? 0) - (b.unseen ?? 0),
    size: (a.size ?? 0) - (b.size ?? 0),
  };
}

/** The counters a set of messages adds: how many, how many without \Seen, and their bytes. */
export function countOf(messages: readonly Document[]): Required<CounterChange> {
  let unseen = 0;
  let size = 0;
  for (const message of messages) {
    if (isUnseen(message.flags)) unseen++;
    size += toNumber((message.size as number | undefined) ?? 0);
  }
  return { messages: messages.length, unseen, size };
}

/** True when a message with these flags counts as unseen. */
export function isUnseen(flags: unknown): boolean {
  return !((flags as string[] | undefined) ?? []).includes('\\Seen');
}

function hasChange(change: CounterChange | undefined): change is CounterChange {
  return !!change && !!(change.messages || change.unseen || change.size);
}

/**
 * One `$inc` of the mailbox document, by `_id` (the key FerretDB pushes down). With a counter
 * change the update is conditional on the counters being there: a mailbox stored before they
 * existed gets them computed once (and `$set`), then the update is repeated.
 */
async function incrementMailbox(
  db: Db,
  mailbox: ObjectId,
  inc: Record<string, number>,
  change: CounterChange | undefined,
  applied: boolean,
): Promise<Document | null> {
  const mailboxes = db.collection('mailboxes');
  if (!hasChange(change)) {
    return mailboxes.findOneAndUpdate({ _id: mailbox }, { $inc: inc }, { returnDocument: 'after' });
  }
  const update = {
    $inc: {
      ...inc,
      messages: change.messages ?? 0,
      unseen: change.unseen ?? 0,
      // a double, like HIGHESTMODSEQ: bytes pass 2^31 quickly
      size: new Double(change.size ?? 0),
    },
  };
  const counted = { _id: mailbox, messages: { $exists: true } };
  const after = await mailboxes.findOneAndUpdate(counted, update, { returnDocument: 'after' });
  if (after) return after;
  if (!(await ensureMailboxCounters(db, mailbox, applied ? change : undefined))) return null;
  return mailboxes.findOneAndUpdate(counted, update, { returnDocument: 'after' });
}

/**
 * Computes and stores the counters of a mailbox that has none (stored before they existed), by
 * reading its messages once. Under the user lock. `alreadyStored` is a change the messages already
 * show but the counters are about to receive: it is taken off first, so it is not counted twice.
 * Returns false when the mailbox does not exist.
 */
export async function ensureMailboxCounters(
  db: Db,
  mailbox: ObjectId,
  alreadyStored?: CounterChange,
): Promise<boolean> {
  const box = await db.collection('mailboxes').findOne({ _id: mailbox }, { projection: { messages: 1 } });
  if (!box) return false;
  if (box.messages !== undefined) return true;
  const counts = await countMessages(db, mailbox);
  await db.collection('mailboxes').updateOne(
    { _id: mailbox, messages: { $exists: false } },
    {
      $set: {
        messages: counts.messages - (alreadyStored?.messages ?? 0),
        unseen: counts.unseen - (alreadyStored?.unseen ?? 0),
        size: new Double(counts.size - (alreadyStored?.size ?? 0)),
      },
    },
  );
  return true;
}

/** Counts a mailbox's messages by reading them (one query, flags and sizes only): for old mailboxes and checks. */
export async function countMessages(db: Db, mailbox: ObjectId): Promise<Required<CounterChange>> {
  const documents = await db
    .collection('messages')
    .find({ mailbox }, { projection: { _id: 0, flags: 1, size: 1 } })
    .toArray();
  return countOf(documents);
}
