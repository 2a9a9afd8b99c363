/**
 * `\Seen` kept per reader in shared mailboxes: a reader other than the owner marks mail read for
 * themself only (as Dovecot's private flags do). The owner's `\Seen` stays in the message, where
 * every other flag of a shared mailbox is; each other reader has a `privateSeen` document of UID
 * ranges. A reader's change takes MODSEQs of the mailbox like any flag change and is journalled as
 * FLAGS with `reader` set, so that reader's sessions on every instance see it (CONDSTORE included)
 * and everybody else's views step over it.
 */
import { Double, type Db, type ObjectId } from 'mongodb';
import { privateSeen as seenSpec, validateDocument } from '@wildduck/schema';
import { userLock, type StoreContext } from './context.js';
import { allocateModseqs } from './counters.js';
import { StoreError } from './errors.js';
import { recordChanges } from './journal.js';
import { findByUids } from './message-lookup.js';
import { toNumber } from './ids.js';
import { completeAfterChange, finishWrite } from './write-completion.js';

/** A set of UIDs kept as ascending, disjoint, non-adjacent ranges. */
export class UidRanges {
  private readonly set: Set<number>;

  constructor(uids: Iterable<number> = []) {
    this.set = new Set(uids);
  }

  /** From the stored form `[first, last, first, last, ...]`. */
  static fromStored(flat: readonly (number | Double)[]): UidRanges {
    const uids: number[] = [];
    for (let index = 0; index + 1 < flat.length; index += 2)
      for (let uid = toNumber(flat[index]!); uid <= toNumber(flat[index + 1]!); uid++) uids.push(uid);
    return new UidRanges(uids);
  }

  has(uid: number): boolean {
    return this.set.has(uid);
  }

  add(uid: number): void {
    this.set.add(uid);
  }

  delete(uid: number): void {
    this.set.delete(uid);
  }

  get size(): number {
    return this.set.size;
  }

  values(): number[] {
    return [...this.set].sort((a, b) => a - b);
  }

  /** The stored form. */
  toStored(): number[] {
    const flat: number[] = [];
    for (const uid of this.values()) {
      if (flat.length && flat[flat.length - 1] === uid - 1) flat[flat.length - 1] = uid;
      else flat.push(uid, uid);
    }
    return flat;
  }
}

interface PrivateSeenDocument {
  _id?: ObjectId;
  mailbox: ObjectId;
  reader: ObjectId;
  ranges: number[];
  updated: Date;
}

function collection(db: Db) {
  return db.collection<PrivateSeenDocument>('privateSeen');
}

/** The UIDs a reader has seen in a mailbox of another user (empty when none). */
export async function readPrivateSeen(db: Db, mailbox: ObjectId, reader: ObjectId): Promise<UidRanges> {
  const document = await collection(db).findOne({ mailbox, reader });
  return document ? UidRanges.fromStored(document.ranges) : new UidRanges();
}

/** One message's result of a private \Seen change. */
export interface PrivateSeenChange {
  uid: number;
  /** The reader's flags of the message now: the shared flags with the reader's own \Seen. */
  flags: string[];
  modseq: number;
  changed: boolean;
}

/** A reader's view of shared flags: the message's flags with the owner's \Seen swapped for the reader's. */
export function readerFlags(shared: readonly string[], seen: boolean): string[] {
  const flags = shared.filter((flag) => flag !== '\\Seen');
  return seen ? ['\\Seen', ...flags] : flags;
}

/**
 * Sets or clears a reader's \Seen on messages of a mailbox of `owner`, under the owner's lock (the
 * MODSEQs are the mailbox's). Each message whose \Seen changes for the reader gets a MODSEQ and a
 * FLAGS journal entry naming the reader; messages that no longer exist are left out.
 */
export async function updatePrivateSeen(
  ctx: StoreContext,
  owner: ObjectId,
  mailbox: ObjectId,
  reader: ObjectId,
  uids: readonly number[],
  seen: boolean,
): Promise<PrivateSeenChange[]> {
  if (reader.equals(owner)) throw new StoreError('INVALID_DOCUMENT', 'The owner keeps \\Seen in the message');
  const wanted = [...new Set(uids)].sort((a, b) => a - b);
  if (!wanted.length) return [];
  return ctx.locks.run(userLock(owner), async () => {
    const { db } = ctx;
    const messages = await findByUids(db, mailbox, wanted, { flags: 1, modseq: 1 });
    const ranges = await readPrivateSeen(db, mailbox, reader);
    const results: PrivateSeenChange[] = [];
    const toChange: { uid: number; flags: string[] }[] = [];
    for (const message of messages) {
      const uid = toNumber(message.uid);
      const flags = readerFlags((message.flags as string[]) ?? [], seen);
      if (ranges.has(uid) === seen)
        results.push({ uid, flags, modseq: toNumber(message.modseq), changed: false });
      else toChange.push({ uid, flags });
    }
    if (toChange.length) {
      for (const { uid } of toChange) {
        if (seen) ranges.add(uid);
        else ranges.delete(uid);
      }
      const firstModseq = await allocateModseqs(db, mailbox, toChange.length, undefined, false);
      if (firstModseq === null) return [];
      const document: PrivateSeenDocument = {
        mailbox,
        reader,
        ranges: ranges.toStored(),
        updated: new Date(),
      };
      const problems = validateDocument(seenSpec.validator!, document);
      if (problems.length)
        throw new StoreError('INVALID_DOCUMENT', `Invalid private seen document: ${problems.join('; ')}`);
      // the MODSEQs are taken: finish through a store outage, or the journal would lack them
      await finishWrite(() =>
        collection(db).updateOne(
          { mailbox, reader },
          { $set: { ranges: document.ranges, updated: document.updated } },
          { upsert: true },
        ),
      );
      await completeAfterChange(() =>
        recordChanges(
          db,
          toChange.map((change, index) => ({
            mailbox,
            user: owner,
            modseq: firstModseq + index,
            kind: 'FLAGS' as const,
            uid: change.uid,
            flags: change.flags,
            reader,
          })),
        ),
      );
      toChange.forEach((change, index) =>
        results.push({ uid: change.uid, flags: change.flags, modseq: firstModseq + index, changed: true }),
      );
    }
    return results.sort((a, b) => a.uid - b.uid);
  });
}
