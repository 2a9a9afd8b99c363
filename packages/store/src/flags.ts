import { Double, type Db, type ObjectId } from 'mongodb';
import { sendInCommands } from './write-commands.js';
import { userLock, type StoreContext } from './context.js';
import { allocateModseqs, isUnseen } from './counters.js';
import { findByUids } from './message-lookup.js';
import { updateSearchFlags } from './search-index.js';
import { recordChanges } from './journal.js';
import { toNumber } from './ids.js';
import { completeAfterChange, finishWrite } from './write-completion.js';

/** The system flags a message can carry; there is no `\Recent` (shared/DESIGN.md). */
export const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] as const;
const systemFlagByLowerCase = new Map(SYSTEM_FLAGS.map((flag) => [flag.toLowerCase(), flag]));

/**
 * Canonical spelling of a flag: system flags in their RFC case (they are case-insensitive),
 * keywords as given. `\Recent` and unknown backslash flags are dropped: no client may set them.
 */
export function normalizeFlags(flags: readonly string[]): string[] {
  const result: string[] = [];
  const seen = new Set<string>();
  for (const flag of flags) {
    const canonical = flag.startsWith('\\') ? systemFlagByLowerCase.get(flag.toLowerCase()) : flag;
    if (!canonical || seen.has(canonical.toLowerCase())) continue;
    seen.add(canonical.toLowerCase());
    result.push(canonical);
  }
  return result;
}

/** A flag change of STORE. */
export interface FlagUpdate {
  action: 'add' | 'remove' | 'replace';
  flags: readonly string[];
  /** CONDSTORE UNCHANGEDSINCE: messages whose modseq is greater are left alone and reported. */
  unchangedSince?: number;
  /**
   * The message's own \Seen (the owner's) stays as it is, whatever the action: a reader of a shared
   * mailbox other than its owner changes the shared flags only, and their \Seen apart (private-seen.ts).
   */
  keepSeen?: boolean;
  /** \Deleted stays as it is, whatever the action (a reader without the `t` right replacing flags). */
  keepDeleted?: boolean;
}

/** What a flag change did. */
export interface FlagUpdateResult {
  updated: { uid: number; flags: string[]; modseq: number; changed: boolean }[];
  modified: number[];
}

/** Messages are updated in batches, so that `STORE 1:* +FLAGS` never holds a whole mailbox. */
const BATCH = 500;

/**
 * Changes the flags of messages in one mailbox, under the owner's lock (so no concurrent writer's
 * change is lost, FerretDB included). Each changed message gets a new MODSEQ and a FLAGS journal
 * entry; a message whose flags already are as asked keeps its MODSEQ.
 */
export async function updateFlags(
  ctx: StoreContext,
  user: ObjectId,
  mailbox: ObjectId,
  uids: readonly number[],
  update: FlagUpdate,
): Promise<FlagUpdateResult> {
  const flags = normalizeFlags(update.flags);
  const result: FlagUpdateResult = { updated: [], modified: [] };
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  for (let start = 0; start < sorted.length; start += BATCH) {
    const batch = () =>
      ctx.locks.run(userLock(user), () =>
        updateBatch(ctx.db, user, mailbox, sorted.slice(start, start + BATCH), update, flags, result),
      );
    await (sorted.length > 1 ? fewAtOnce(batch) : batch());
  }
  return result;
}

/**
 * Flag changes of several messages run at most this many at a time in the process. Why: FerretDB
 * 1.24 stopped answering (even ping) when 20 sessions each changed the flags of 25-45 messages at
 * once (bench clean-up), as it did before with ~150 concurrent single updates; one message's
 * change, the usual STORE, is not held back.
 */
const MANY_MESSAGE_CHANGES_AT_ONCE = 2;
let manyMessageChanges = 0;
const waitingChanges: (() => void)[] = [];

async function fewAtOnce<T>(work: () => Promise<T>): Promise<T> {
  while (manyMessageChanges >= MANY_MESSAGE_CHANGES_AT_ONCE)
    await new Promise<void>((resolve) => waitingChanges.push(resolve));
  manyMessageChanges++;
  try {
    return await work();
  } finally {
    manyMessageChanges--;
    waitingChanges.shift()?.();
  }
}

async function updateBatch(
  db: Db,
  user: ObjectId,
  mailbox: ObjectId,
  uids: number[],
  update: FlagUpdate,
  flags: string[],
  result: FlagUpdateResult,
): Promise<void> {
  const messages = db.collection('messages');
  const current = await findByUids(db, mailbox, uids, { flags: 1, modseq: 1 });
  const toChange: { _id: ObjectId; uid: number; flags: string[] }[] = [];
  // how many messages stop being unseen (\Seen added) minus how many start (\Seen removed)
  let seenNow = 0;
  for (const message of current) {
    const uid = toNumber(message.uid);
    const before = (message.flags as string[]) ?? [];
    if (update.unchangedSince !== undefined && toNumber(message.modseq) > update.unchangedSince) {
      result.modified.push(uid);
      continue;
    }
    let after = applyFlagUpdate(before, update.action, flags);
    if (update.keepSeen) after = withFlagOf(before, after, '\\Seen');
    if (update.keepDeleted) after = withFlagOf(before, after, '\\Deleted');
    if (sameFlags(before, after))
      result.updated.push({ uid, flags: before, modseq: toNumber(message.modseq), changed: false });
    else {
      toChange.push({ _id: message._id as ObjectId, uid, flags: after });
      seenNow += Number(isUnseen(before)) - Number(isUnseen(after));
    }
  }
  if (!toChange.length) return;
  // the unseen counter moves in the update that takes the MODSEQs (the messages change after it)
  const firstModseq = await allocateModseqs(db, mailbox, toChange.length, { unseen: -seenNow }, false);
  if (firstModseq === null) return;
  // one update command for the batch: hundreds of concurrent single updates froze FerretDB on
  // PostgreSQL (seen by the LMTP benchmark), and one round trip is faster on MongoDB too. The
  // search documents (search-index.ts) change after the messages, not at the same time: two
  // concurrent update commands of a 31-message STORE froze FerretDB 1.24 (no ping answered) twice
  // in the latency benchmark
  // the MODSEQs are taken: the change is finished through a store outage, or the journal would
  // lack what the messages show. Each update applies only over an older MODSEQ: a repeat is then
  // harmless, and so is an attempt the store applies late (sent before a cut connection, carried
  // out after the retry and after a later STORE of the same message): it finds a newer MODSEQ
  // and leaves the newer flags alone
  const updates = toChange.map((change, index) => {
    const modseq = new Double(firstModseq + index);
    return {
      updateOne: {
        filter: { _id: change._id, mailbox, modseq: { $lt: modseq } },
        update: { $set: { flags: change.flags, modseq } },
      },
    };
  });
  // in commands small enough for FerretDB's connection pool (write-commands.ts)
  await sendInCommands(updates, (chunk) => finishWrite(() => messages.bulkWrite(chunk, { ordered: true })));
  // the flags are changed: from here nothing fails the STORE (a failure would say it changed nothing)
  await completeAfterChange(() =>
    finishWrite(() =>
      updateSearchFlags(
        db,
        toChange.map((change, index) => ({ ...change, modseq: new Double(firstModseq + index) })),
      ),
    ),
  );
  await completeAfterChange(() =>
    recordChanges(
      db,
      toChange.map((change, index) => ({
        mailbox,
        user,
        modseq: firstModseq + index,
        kind: 'FLAGS' as const,
        uid: change.uid,
        flags: change.flags,
      })),
    ),
  );
  toChange.forEach((change, index) =>
    result.updated.push({ uid: change.uid, flags: change.flags, modseq: firstModseq + index, changed: true }),
  );
  result.updated.sort((a, b) => a.uid - b.uid);
  result.modified.sort((a, b) => a - b);
}

/** The flags after an add, remove or replace. */
export function applyFlagUpdate(
  current: readonly string[],
  action: FlagUpdate['action'],
  flags: readonly string[],
): string[] {
  const lower = (list: readonly string[]) => new Set(list.map((flag) => flag.toLowerCase()));
  switch (action) {
    case 'replace':
      return [...flags];
    case 'add': {
      const have = lower(current);
      return [...current, ...flags.filter((flag) => !have.has(flag.toLowerCase()))];
    }
    case 'remove': {
      const drop = lower(flags);
      return current.filter((flag) => !drop.has(flag.toLowerCase()));
    }
  }
}

/** `after` with `flag` present exactly when `before` has it. */
function withFlagOf(before: readonly string[], after: string[], flag: string): string[] {
  const flags = after.filter((each) => each !== flag);
  return before.includes(flag) ? [flag, ...flags] : flags;
}

function sameFlags(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a.map((flag) => flag.toLowerCase()));
  return b.every((flag) => set.has(flag.toLowerCase()));
}
