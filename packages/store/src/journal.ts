import { Double, ObjectId, type Db } from 'mongodb';
import { JOURNAL_RETENTION_SECONDS, journal as journalSpec, validateDocument } from '@wildduck/schema';
import { StoreError } from './errors.js';
import { toNumber } from './ids.js';
import { finishWrite, onlyDuplicates } from './write-completion.js';

/** What happened to a message or mailbox. */
export type JournalKind =
  | 'EXISTS'
  | 'EXPUNGE'
  | 'FLAGS'
  | 'MAILBOX_CREATED'
  | 'MAILBOX_DELETED'
  | 'MAILBOX_RENAMED'
  | 'SPAM'
  | 'NOT_SPAM';

/** One change, as written to and read from the journal. */
export interface JournalEntry {
  mailbox: ObjectId;
  user: ObjectId;
  modseq: number;
  kind: JournalKind;
  uid: number | null;
  flags: string[] | null;
  /** Set on a FLAGS entry of one reader's private \Seen in a shared mailbox (private-seen.ts). */
  reader?: ObjectId;
  created: Date;
}

/**
 * How long a reader waits at a hole in the MODSEQ sequence before stepping over it. Every MODSEQ a
 * writer takes gets exactly one journal entry, written right after the change; a hole means a writer
 * is between the two (milliseconds), is finishing through a store outage (finishWrite, up to
 * FINISH_WITHIN_MS), or died there (then the hole never fills). Longer than a writer may take to
 * finish, so no reader steps over an entry that is still coming (the soak saw flag changes lost
 * to IDLE clients when this was 5 s); the price is that a writer that died delays the changes
 * after its hole by this much.
 */
export const JOURNAL_GAP_TIMEOUT_MS = 30_000;

/**
 * Entries are grouped in pages of this many MODSEQs, and a reader asks for one page by equality.
 * Why: FerretDB 1.24 pushes down only top-level equality, so `{mailbox, modseq: {$gt: n}}` made it
 * read and decode every entry the mailbox ever had (a busy mailbox's journal, on every catch-up);
 * `{mailbox, page}` returns just the page. On MongoDB the (mailbox, page, modseq) index serves it.
 */
export const JOURNAL_PAGE_SIZE = 128;

/** The page of a MODSEQ. */
export function journalPage(modseq: number): number {
  return Math.floor(modseq / JOURNAL_PAGE_SIZE);
}

/** Writes journal entries (one per MODSEQ taken). */
export async function recordChanges(db: Db, entries: Omit<JournalEntry, 'created'>[]): Promise<void> {
  if (!entries.length) return;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + JOURNAL_RETENTION_SECONDS * 1000);
  // each entry's own _id: a retried insert whose first try was applied finds it there (see finishWrite)
  const documents = entries.map((entry) => ({
    _id: new ObjectId(),
    ...entry,
    modseq: new Double(entry.modseq),
    page: journalPage(entry.modseq),
    created: now,
    expiresAt,
  }));
  for (const document of documents) {
    const problems = validateDocument(journalSpec.validator!, document);
    if (problems.length)
      throw new StoreError('INVALID_DOCUMENT', `Invalid journal entry: ${problems.join('; ')}`);
  }
  await finishWrite(async () => {
    try {
      await db.collection('journal').insertMany(documents, { ordered: false });
    } catch (error) {
      if (!onlyDuplicates(error)) throw error;
    }
  });
}

/** Changes read from the journal, and how far the reader can now consider itself up to date. */
export interface JournalRead {
  entries: JournalEntry[];
  /** The highest MODSEQ such that every change up to it has been read. */
  position: number;
  /** True when entries after `position` exist but a hole before them has not timed out yet. */
  waiting: boolean;
}

/**
 * Reads the changes of a mailbox after `after`, in MODSEQ order, up to the first hole that is
 * younger than the gap timeout. Returns null when the journal no longer reaches back to `after`
 * (its entries expired): the reader must then resynchronise in full.
 */
export async function readChanges(
  db: Db,
  mailbox: ObjectId,
  after: number,
  options: {
    limit?: number;
    gapTimeoutMs?: number;
    now?: Date;
    /** A MODSEQ the caller knows was taken (e.g. from an announcement): pages are read up to it. */
    until?: number;
  } = {},
): Promise<JournalRead | null> {
  const gapTimeoutMs = options.gapTimeoutMs ?? JOURNAL_GAP_TIMEOUT_MS;
  const now = options.now ?? new Date();
  const raw = await readPages(
    db,
    mailbox,
    after,
    options.limit ?? 10_000,
    gapTimeoutMs,
    now,
    options.until ?? 0,
  );
  const contiguous = raw.length > 0 && toNumber(raw[0]!.modseq) === after + 1;
  if (after > 0 && !contiguous && !(await journalReaches(db, mailbox, after, raw.length > 0))) return null;

  const entries: JournalEntry[] = [];
  let position = after;
  let waiting = false;
  for (const document of raw) {
    const entry = toEntry(document);
    if (entry.modseq > position + 1) {
      // a hole: step over it only once the entry after it is old enough that the hole will not fill
      if (now.getTime() - entry.created.getTime() < gapTimeoutMs) {
        waiting = true;
        break;
      }
    }
    entries.push(entry);
    position = Math.max(position, entry.modseq);
  }
  return { entries, position, waiting };
}

/**
 * The entries after `after`, ascending, read page by page: the page of `after + 1`, then the next
 * one while the page ends complete (its last MODSEQ is there), or `until` lies beyond it, or its
 * newest entry is older than the gap timeout (a writer that died left the end of the page empty),
 * up to `limit` entries.
 */
async function readPages(
  db: Db,
  mailbox: ObjectId,
  after: number,
  limit: number,
  gapTimeoutMs: number,
  now: Date,
  until: number,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let page = journalPage(after + 1); found.length < limit; page++) {
    const documents = await db.collection('journal').find({ mailbox, page }).toArray();
    const fresh = documents
      .filter((document) => toNumber(document.modseq) > after)
      .sort((a, b) => toNumber(a.modseq) - toNumber(b.modseq));
    found.push(...fresh);
    const lastOfPage = (page + 1) * JOURNAL_PAGE_SIZE - 1;
    if (until > lastOfPage) continue;
    if (!documents.length) break;
    const newest = documents.reduce((a, b) => (toNumber(a.modseq) >= toNumber(b.modseq) ? a : b));
    const complete = toNumber(newest.modseq) >= lastOfPage;
    const settled = now.getTime() - (newest.created as Date).getTime() >= gapTimeoutMs;
    if (!complete && !settled) break;
  }
  return found.slice(0, limit);
}

/** True when the journal still holds the entry at `modseq` or older ones (nothing has expired past it). */
async function journalReaches(
  db: Db,
  mailbox: ObjectId,
  modseq: number,
  hasNewer: boolean,
): Promise<boolean> {
  const older = await db
    .collection('journal')
    .findOne({ mailbox, modseq: { $lte: modseq } }, { projection: { _id: 1 } });
  if (older) return true;
  // nothing at or before `modseq`: fine if the mailbox had no changes then (a new mailbox), not if they expired
  const mailboxDocument = await db
    .collection('mailboxes')
    .findOne({ _id: mailbox }, { projection: { highestModseq: 1 } });
  if (!mailboxDocument) return false;
  return !hasNewer && toNumber(mailboxDocument.highestModseq) <= modseq;
}

function toEntry(document: Record<string, unknown>): JournalEntry {
  return {
    mailbox: document.mailbox as ObjectId,
    user: document.user as ObjectId,
    modseq: toNumber(document.modseq),
    kind: document.kind as JournalKind,
    uid: document.uid === null || document.uid === undefined ? null : toNumber(document.uid),
    flags: (document.flags as string[] | null) ?? null,
    // it tells one reader's private \Seen change (private-seen.ts) from a shared flag change
    ...(document.reader ? { reader: document.reader as ObjectId } : {}),
    created: document.created as Date,
  };
}

/**
 * Deletes expired journal entries. MongoDB's TTL index does this by itself; FerretDB 1.24 cannot
 * build TTL indexes, so every mail server also runs this now and then (it is cheap and idempotent).
 */
export async function deleteExpiredJournalEntries(db: Db, now = new Date()): Promise<number> {
  const result = await db.collection('journal').deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount;
}
