import { Double, ObjectId, type Db, type Document } from 'mongodb';
import { PARTS_BUCKET } from '@wildduck/schema';
import { partLock, userLock, type StoreContext } from './context.js';
import { allocateModseqs, allocateUids, countMessages } from './counters.js';
import { recordChanges } from './journal.js';
import type { Finding } from './consistency-findings.js';
import { journalRemoval } from './consistency-removals.js';
import { MESSAGE_SEARCH } from './search-index.js';
import { toNumber } from './ids.js';
import { deleteUpload } from './upload-files.js';

/** What the repair did about one finding. */
export interface RepairChange {
  finding: Finding;
  /** True when something was changed; false when the finding no longer held (a writer fixed or moved it). */
  changed: boolean;
  /** What was changed, e.g. `storageUsed 1200 -> 1000`, or why nothing was. */
  action: string;
}

/**
 * Repairs what `checkConsistency` found: counters, UIDNEXT, HIGHESTMODSEQ and reference counts are
 * set to what the messages say, orphaned parts, abandoned part uploads and expired uploads are
 * deleted. A message is never deleted, nor a part a message refers to. Each per-user fix recounts
 * under the user lock (the lock every writer of the user holds while it changes messages and
 * counters together), so a check that raced a writer repairs nothing that is right by then. A part
 * is changed only under its lock and only if its count is still the one the check saw.
 */
export async function repairConsistency(
  ctx: StoreContext,
  findings: readonly Finding[],
): Promise<RepairChange[]> {
  const changes: RepairChange[] = [];
  for (const finding of findings) {
    if (!finding.repairable) continue;
    const action = await repairOne(ctx, finding);
    changes.push({ finding, changed: action !== null, action: action ?? 'nothing to change any more' });
  }
  return changes;
}

/**
 * Tells of a message whose change was never journalled, so every view and subscriber, which
 * stepped over the hole long ago, hears of it now. Null when the entry is there by now (the check
 * raced the writer) or the message is gone.
 *
 * A message whose EXISTS was journalled gets a FLAGS entry at a new MODSEQ (a flag change was not
 * told). One whose EXISTS never was gets a new UID: others above its UID may have been announced
 * since, and UIDs are given out in strictly ascending order (RFC 3501 2.3.1.1), so an open session
 * cannot take a new message below them (the soak saw an IDLE client never show such a message).
 * An EXPUNGE of its old UID goes with it, for sessions that loaded it from the store meanwhile.
 */
async function journalAgain(db: Db, user: ObjectId, mailbox: ObjectId, id: ObjectId): Promise<string | null> {
  const message = await db
    .collection('messages')
    .findOne({ _id: id }, { projection: { uid: 1, modseq: 1, flags: 1, mailbox: 1 } });
  if (!message || String(message.mailbox) !== String(mailbox)) return null;
  const journal = db.collection('journal');
  if (await journal.findOne({ mailbox, modseq: message.modseq }, { projection: { _id: 1 } })) return null;
  const uid = toNumber(message.uid);
  const flags = (message.flags as string[] | undefined) ?? [];
  const known = await journal.findOne({ mailbox, uid, kind: 'EXISTS' }, { projection: { _id: 1 } });
  if (known) {
    const modseq = await allocateModseqs(db, mailbox, 1);
    if (modseq === null) return null;
    await db.collection('messages').updateOne({ _id: id }, { $set: { modseq: new Double(modseq) } });
    // the search document may lag the message too (its writer stopped before updating it): SELECT
    // loads flags from it
    await db
      .collection(MESSAGE_SEARCH)
      .updateOne({ _id: id }, { $set: { modseq: new Double(modseq), flags } });
    await recordChanges(db, [{ mailbox, user, modseq, kind: 'FLAGS', uid, flags }]);
    return `journalled UID ${uid} again as FLAGS at MODSEQ ${modseq}`;
  }
  // two MODSEQs: the old UID's EXPUNGE, then the new UID's EXISTS
  const allocation = await allocateUids(db, mailbox, 1);
  const second = allocation && (await allocateModseqs(db, mailbox, 1));
  if (!allocation || !second) return null;
  const fresh = { uid: allocation.firstUid, modseq: new Double(second) };
  await db.collection('messages').updateOne({ _id: id }, { $set: fresh });
  await db.collection(MESSAGE_SEARCH).updateOne({ _id: id }, { $set: { ...fresh, flags } });
  await recordChanges(db, [
    { mailbox, user, modseq: allocation.firstModseq, kind: 'EXPUNGE', uid, flags: null },
    { mailbox, user, modseq: second, kind: 'EXISTS', uid: allocation.firstUid, flags },
  ]);
  return `gave the message of UID ${uid}, never announced, the new UID ${allocation.firstUid} and journalled it at MODSEQ ${second}`;
}

/** Repairs one finding; returns what changed, or null when it no longer held. */
async function repairOne(ctx: StoreContext, finding: Finding): Promise<string | null> {
  const { db } = ctx;
  const underUser = (work: () => Promise<string | null>) => ctx.locks.run(userLock(finding.user!), work);
  switch (finding.kind) {
    case 'storage-counter':
      return underUser(() => repairStorage(db, finding.user!));
    case 'mailbox-counters':
      return underUser(() => repairMailboxCounters(db, finding.mailbox!));
    case 'uid-not-below-uidnext':
      return underUser(() => repairUidNext(db, finding.mailbox!));
    case 'modseq-above-highest':
      return underUser(() => repairHighestModseq(db, finding.mailbox!));
    case 'unjournalled-message':
      return underUser(() =>
        journalAgain(db, finding.user!, finding.mailbox!, new ObjectId(finding.ids[0]!)),
      );
    case 'unjournalled-removal':
      return underUser(() => journalRemoval(db, finding.user!, finding.mailbox!, Number(finding.ids[0]!)));
    case 'part-refcount':
    case 'orphaned-part':
      return ctx.locks.run(partLock(finding.ids[0]!), () => repairPart(db, finding));
    case 'abandoned-part-upload':
      return deletePartFile(db, new ObjectId(finding.ids[0]!), { 'metadata.hash': { $regex: '^pending:' } });
    case 'expired-upload':
      return deleteUpload(db, new ObjectId(finding.ids[0]!)).then(
        () => 'deleted expired upload',
        () => null,
      );
    default:
      return null;
  }
}

async function repairStorage(db: Db, user: ObjectId): Promise<string | null> {
  const account = await db.collection('users').findOne({ _id: user }, { projection: { storageUsed: 1 } });
  if (!account) return null;
  const messages = await db
    .collection('messages')
    .find({ user }, { projection: { _id: 0, size: 1 } })
    .toArray();
  const sum = messages.reduce((total, message) => total + toNumber(message.size ?? 0), 0);
  const stored = toNumber(account.storageUsed ?? 0);
  if (sum === stored) return null;
  // a double, as quota.ts keeps it: byte counts pass 2^31
  await db.collection('users').updateOne({ _id: user }, { $set: { storageUsed: new Double(sum) } });
  return `storageUsed ${stored} -> ${sum}`;
}

async function repairMailboxCounters(db: Db, mailbox: ObjectId): Promise<string | null> {
  const box = await db.collection('mailboxes').findOne({ _id: mailbox });
  if (!box || box.messages === undefined) return null;
  const counted = await countMessages(db, mailbox);
  const stored = {
    messages: toNumber(box.messages),
    unseen: toNumber(box.unseen ?? 0),
    size: toNumber(box.size ?? 0),
  };
  if (
    counted.messages === stored.messages &&
    counted.unseen === stored.unseen &&
    counted.size === stored.size
  )
    return null;
  await db
    .collection('mailboxes')
    .updateOne(
      { _id: mailbox },
      { $set: { messages: counted.messages, unseen: counted.unseen, size: new Double(counted.size) } },
    );
  return `counters messages ${stored.messages} -> ${counted.messages}, unseen ${stored.unseen} -> ${counted.unseen}, bytes ${stored.size} -> ${counted.size}`;
}

async function repairUidNext(db: Db, mailbox: ObjectId): Promise<string | null> {
  const box = await db.collection('mailboxes').findOne({ _id: mailbox }, { projection: { uidNext: 1 } });
  if (!box) return null;
  const highest = highestOf(await mailboxDocuments(db, 'messages', mailbox, 'uid'), 'uid');
  const uidNext = toNumber(box.uidNext);
  if (highest < uidNext) return null;
  await db.collection('mailboxes').updateOne({ _id: mailbox }, { $set: { uidNext: highest + 1 } });
  return `uidNext ${uidNext} -> ${highest + 1}`;
}

async function repairHighestModseq(db: Db, mailbox: ObjectId): Promise<string | null> {
  const box = await db
    .collection('mailboxes')
    .findOne({ _id: mailbox }, { projection: { highestModseq: 1 } });
  if (!box) return null;
  const highest = Math.max(
    highestOf(await mailboxDocuments(db, 'messages', mailbox, 'modseq'), 'modseq'),
    highestOf(await mailboxDocuments(db, 'journal', mailbox, 'modseq'), 'modseq'),
  );
  const stored = toNumber(box.highestModseq);
  if (highest <= stored) return null;
  await db
    .collection('mailboxes')
    .updateOne({ _id: mailbox }, { $set: { highestModseq: new Double(highest) } });
  return `highestModseq ${stored} -> ${highest}`;
}

/** One field of a mailbox's messages or journal entries, read by `{mailbox}` equality. */
function mailboxDocuments(db: Db, collection: string, mailbox: ObjectId, field: string): Promise<Document[]> {
  return db
    .collection(collection)
    .find({ mailbox }, { projection: { _id: 0, [field]: 1 } })
    .toArray();
}

function highestOf(documents: readonly Document[], field: string): number {
  return documents.reduce((max, document) => Math.max(max, toNumber(document[field] ?? 0)), 0);
}

/**
 * Fixes a part's count or deletes an orphan, under the part's lock and only if the count is still
 * what the check saw (a writer that took or gave a reference since then means it needs a fresh
 * check). The references are counted once more here, with `{parts: ref}` (one query per part
 * finding, at repair time only), because a copy or delivery takes its reference before it inserts
 * its message: a count is raised to the references found now (always safe), but lowered, or the
 * file deleted, only when this second count agrees with the check's. That is what keeps a part a
 * message refers to from ever being deleted.
 */
async function repairPart(db: Db, finding: Finding): Promise<string | null> {
  const ref = finding.ids[0]!;
  const seen = Number(finding.actual);
  const file = await findPartFile(db, ref);
  if (!file || Number(file.metadata?.refs ?? 0) !== seen) return null;
  const holders = await db
    .collection('messages')
    .find({ parts: ref }, { projection: { _id: 0, parts: 1 } })
    .toArray();
  const now = holders.reduce(
    (sum, message) => sum + (message.parts as string[]).filter((part) => part === ref).length,
    0,
  );
  const confirmed = now === Number(finding.expected);
  if (now === seen || (now < seen && !confirmed)) return null;
  if (now === 0) return deletePartFile(db, file._id as ObjectId, { 'metadata.refs': file.metadata?.refs });
  await db
    .collection(`${PARTS_BUCKET}.files`)
    .updateOne({ _id: file._id, 'metadata.refs': file.metadata?.refs }, { $set: { 'metadata.refs': now } });
  return `refs ${seen} -> ${now}`;
}

/** The file of a part: by `filename` (pushed down to SQL by FerretDB), else by hash (parts stored before names). */
async function findPartFile(db: Db, ref: string): Promise<Document | null> {
  const files = db.collection(`${PARTS_BUCKET}.files`);
  return (
    (await files.findOne({ filename: ref, 'metadata.hash': ref })) ??
    (await files.findOne({ 'metadata.hash': ref }))
  );
}

/** Deletes a parts file (if it still matches `condition`) and then its chunks, as parts.ts does. */
async function deletePartFile(db: Db, id: ObjectId, condition: Document): Promise<string | null> {
  const deleted = await db.collection(`${PARTS_BUCKET}.files`).deleteOne({ _id: id, ...condition });
  if (!deleted.deletedCount) return null;
  const chunks = await db.collection(`${PARTS_BUCKET}.chunks`).deleteMany({ files_id: id });
  return `deleted file ${id.toHexString()} and ${chunks.deletedCount} chunks`;
}
