import type { Readable } from 'node:stream';
import type { Db, Document, ObjectId } from 'mongodb';
import type { ExternalBody, IndexedMessage } from '@wildduck/mime';
import { readMessageRange } from '@wildduck/mime';
import { JOURNAL_GAP_TIMEOUT_MS } from './journal.js';
import { openPart } from './parts.js';
import type { LockManager } from './locks.js';
import { planSearch, runSearchPlan } from './search-run.js';
import type { MessageQuery } from './search.js';
import { toNumber } from './ids.js';
import { findByUids } from './message-lookup.js';
import { keepStructures, recomputeStructures, STRUCTURE_VERSION } from './structure-upgrade.js';
import type { MailboxDocument } from './mailboxes.js';

/** A consistent view of a mailbox for SELECT: every message that exists up to `highestModseq`. */
export interface MailboxSnapshot {
  uidValidity: number;
  uidNext: number;
  /**
   * Every change up to this MODSEQ is reflected in `uids`. Changes after it are read from the
   * journal; a few of them may repeat what `uids` already shows (a message stored while the
   * snapshot was taken), which readers treat as already known.
   */
  highestModseq: number;
  uids: number[];
}

/** How far back a snapshot looks for writers still between their MODSEQ and their journal entry. */
const IN_FLIGHT_WINDOW = 256;

/** Takes the snapshot a SELECT starts from. */
export async function snapshotMailbox(db: Db, mailbox: MailboxDocument): Promise<MailboxSnapshot> {
  const highest = toNumber(mailbox.highestModseq);
  const stable = await stablePosition(db, mailbox._id!, highest);
  const uids = (
    await db
      .collection('messages')
      .find({ mailbox: mailbox._id }, { projection: { _id: 0, uid: 1 } })
      .sort({ uid: 1 })
      .toArray()
  ).map((document) => toNumber(document.uid));
  return {
    uidValidity: toNumber(mailbox.uidValidity),
    uidNext: toNumber(mailbox.uidNext),
    highestModseq: stable,
    uids,
  };
}

/**
 * The highest MODSEQ up to which every journal entry exists: below `highest`, a MODSEQ without
 * its entry (a writer still storing) marks where a reader must start to see that change later.
 */
async function stablePosition(db: Db, mailbox: ObjectId, highest: number): Promise<number> {
  if (highest <= 0) return 0;
  const from = Math.max(1, highest - IN_FLIGHT_WINDOW + 1);
  const entries = await db
    .collection('journal')
    .find({ mailbox, modseq: { $gte: from, $lte: highest } }, { projection: { modseq: 1, created: 1 } })
    .sort({ modseq: 1 })
    .toArray();
  const seen = new Set(entries.map((entry) => toNumber(entry.modseq)));
  const now = Date.now();
  const newest = entries.length ? (entries[entries.length - 1]!.created as Date).getTime() : 0;
  for (let modseq = from; modseq <= highest; modseq++) {
    // a hole older than the gap timeout will never fill (its writer died): step over it
    if (!seen.has(modseq) && now - newest < JOURNAL_GAP_TIMEOUT_MS) return modseq - 1;
  }
  return highest;
}

/** What a FETCH asks for; the projection reads only those fields. */
export interface MessageFields {
  flags?: boolean;
  internalDate?: boolean;
  size?: boolean;
  modseq?: boolean;
  envelope?: boolean;
  bodyStructure?: boolean;
  /** The MIME tree and segments (inline bytes and part references) for body sections. */
  content?: boolean;
  /** Webmail list fields: headers, snippet, attachment mark. */
  summary?: boolean;
  /** The snippet alone (IMAP PREVIEW shows what the webmail list shows). */
  preview?: boolean;
  /** When the message was saved into its mailbox (IMAP SAVEDATE, RFC 8514). */
  saveDate?: boolean;
}

/** One message as read for FETCH; only the fields asked for are set. */
export interface MessageRecord {
  id: ObjectId;
  uid: number;
  flags?: string[];
  internalDate?: Date;
  size?: number;
  modseq?: number;
  envelope?: IndexedMessage['envelope'];
  bodyStructure?: IndexedMessage['bodyStructure'];
  content?: Pick<IndexedMessage, 'root' | 'segments' | 'size'>;
  summary?: { headers: IndexedMessage['headers']; snippet: string; hasAttachments: boolean };
  /** The snippet, '' when the message has none. */
  preview?: string;
  /** When it was saved into this mailbox: `saved`, else (older documents) when stored, else its internal date. */
  saveDate?: Date;
}

function projectionFor(fields: MessageFields): Document {
  const projection: Document = { uid: 1 };
  if (fields.flags) projection.flags = 1;
  if (fields.internalDate) projection.internalDate = 1;
  if (fields.size || fields.content) projection.size = 1;
  if (fields.modseq) projection.modseq = 1;
  if (fields.envelope) projection.envelope = 1;
  if (fields.bodyStructure) projection.bodyStructure = 1;
  if (fields.envelope || fields.bodyStructure) {
    // a document indexed before the current structure layout has them computed again
    projection.structureVersion = 1;
    projection.user = 1;
  }
  if (fields.content) projection.mime = 1;
  if (fields.preview) projection.snippet = 1;
  if (fields.saveDate) {
    projection.saved = 1;
    projection.created = 1;
    projection.internalDate = 1;
  }
  if (fields.summary) {
    projection.hdr = 1;
    projection.snippet = 1;
    projection.hasAttachments = 1;
  }
  return projection;
}

/** Batches of this many documents are read at once: FETCH 1:* streams, it never loads a mailbox. */
const FETCH_BATCH = 100;

/**
 * Reads the asked fields of the given messages, in ascending UID order, one batch at a time.
 * `changedSince` (CONDSTORE) keeps only messages whose MODSEQ is greater. ENVELOPE and
 * BODYSTRUCTURE stored by an older indexer are computed again from the message (structure-upgrade.ts)
 * and, with `locks`, kept.
 */
export async function* readMessages(
  db: Db,
  mailbox: ObjectId,
  uids: readonly number[],
  fields: MessageFields,
  changedSince?: number,
  options: { locks?: LockManager } = {},
): AsyncGenerator<MessageRecord> {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const projection = projectionFor({ ...fields, modseq: fields.modseq || changedSince !== undefined });
  // a single UID (or a few) is read by `{mailbox, uid}` equality: an index lookup on FerretDB too
  const extra = changedSince !== undefined ? { modseq: { $gt: changedSince } } : undefined;
  for (let start = 0; start < sorted.length; start += FETCH_BATCH) {
    const documents = await findByUids(db, mailbox, sorted.slice(start, start + FETCH_BATCH), projection, {
      promoteBuffers: true,
      ...(extra ? { extra } : {}),
    });
    if (fields.envelope || fields.bodyStructure) await refreshStaleStructures(db, documents, options.locks);
    for (const document of documents) yield toRecord(document, fields);
  }
}

/** Computes again, in place, the ENVELOPE and BODYSTRUCTURE of documents from an older indexer. */
async function refreshStaleStructures(
  db: Db,
  documents: Document[],
  locks: LockManager | undefined,
): Promise<void> {
  const stale = documents.filter((document) => document.structureVersion !== STRUCTURE_VERSION);
  if (!stale.length) return;
  const kept: { _id: ObjectId; structures: NonNullable<Awaited<ReturnType<typeof recomputeStructures>>> }[] =
    [];
  for (const document of stale) {
    // the MIME tree and segments are read only for these, one at a time (`_id` is pushed down)
    const full = await db
      .collection('messages')
      .findOne({ _id: document._id }, { projection: { mime: 1, size: 1 }, promoteBuffers: true });
    const structures = full ? await recomputeStructures(db, full) : null;
    if (!structures) continue;
    document.envelope = structures.envelope;
    document.bodyStructure = structures.bodyStructure;
    kept.push({ _id: document._id as ObjectId, structures });
  }
  const owner = stale[0]?.user as ObjectId | undefined;
  if (locks && owner) await keepStructures(db, locks, owner, kept);
}

function toRecord(document: Document, fields: MessageFields): MessageRecord {
  const record: MessageRecord = { id: document._id as ObjectId, uid: toNumber(document.uid) };
  if (fields.flags) record.flags = (document.flags as string[]) ?? [];
  if (fields.internalDate) record.internalDate = document.internalDate as Date;
  if (fields.size) record.size = toNumber(document.size);
  if (document.modseq !== undefined) record.modseq = toNumber(document.modseq);
  if (fields.envelope) record.envelope = document.envelope;
  if (fields.bodyStructure) record.bodyStructure = JSON.parse(document.bodyStructure as string);
  if (fields.content)
    record.content = {
      root: JSON.parse(document.mime.root as string),
      segments: document.mime.segments,
      size: toNumber(document.size),
    };
  if (fields.preview) record.preview = (document.snippet as string | undefined) ?? '';
  if (fields.saveDate) record.saveDate = savedAt(document);
  if (fields.summary)
    record.summary = {
      headers: document.hdr,
      snippet: document.snippet ?? '',
      hasAttachments: !!document.hasAttachments,
    };
  return record;
}

/**
 * When a message was saved into its mailbox (RFC 8514 SAVEDATE): `saved`, set by APPEND, delivery,
 * COPY and MOVE; documents from before it have `created` (when stored; a copy kept its original's),
 * and the internal date as the last resort.
 */
export function savedAt(document: Document): Date {
  return (document.saved ?? document.created ?? document.internalDate) as Date;
}

/** Opens a range of a stored body for the MIME section readers. */
export function gridFsBodyOpener(db: Db): (body: ExternalBody, start: number, end: number) => Readable {
  return (body, start, end) => openPart(db, body.ref, start, end);
}

/**
 * UIDs (ascending) of the messages of a mailbox that match a search tree: text keys from the search
 * collection, the rest from the messages collection, every query scoped by `mailbox` equality
 * (search-run.ts). `locks` lets a mailbox older than the search collection be filled in on first use.
 */
export async function searchMessages(
  db: Db,
  mailbox: ObjectId,
  query: MessageQuery,
  locks?: LockManager,
): Promise<number[]> {
  return runSearchPlan(db, await planSearch(db, mailbox, query, locks));
}

/**
 * The stored bytes of one message of this user, from byte `start` to the end (BODY[] when
 * `start` is 0), or null when the user has no such message. Used to relay a submitted message and
 * to hand a reported message to whoever fetches it.
 */
export async function openMessageSource(
  db: Db,
  user: ObjectId,
  id: ObjectId,
  start = 0,
): Promise<{ length: number; stream: Readable } | null> {
  const document = await db
    .collection('messages')
    .findOne({ _id: id, user }, { projection: { size: 1, mime: 1 }, promoteBuffers: true });
  if (!document) return null;
  const size = toNumber(document.size);
  const from = Math.min(Math.max(start, 0), size);
  const segments = document.mime.segments as IndexedMessage['segments'];
  return { length: size - from, stream: readMessageRange(segments, from, size, gridFsBodyOpener(db)) };
}
