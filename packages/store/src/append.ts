import type { Readable } from 'node:stream';
import { Double, ObjectId, type Db } from 'mongodb';
import { indexMessage, MimeLimitError, type IndexedMessage, type MimePart } from '@wildduck/mime';
import { messages as messageSpec, validateDocument } from '@wildduck/schema';
import { userLock, type StoreContext } from './context.js';
import { allocateUids, isUnseen, uncountAllocation, type Allocation } from './counters.js';
import { isDuplicateKeyError, StoreError } from './errors.js';
import { normalizeFlags } from './flags.js';
import { GridFsPartSink } from './gridfs-sink.js';
import { recordChanges } from './journal.js';
import { releaseParts } from './parts.js';
import { insertMessageDocuments } from './search-index.js';
import { STRUCTURE_VERSION } from './structure-upgrade.js';
import { releaseStorage, reserveStorageReading, wouldFit, type QuotaReading } from './quota.js';
import { completeAfterChange, isStoreUnreachable } from './write-completion.js';

export { DEFAULT_APPEND_SETTINGS, type AppendSettings } from './append-settings.js';

/** What to store with the message. */
export interface AppendOptions {
  flags?: readonly string[];
  internalDate?: Date;
  /** Size announced by the client (IMAP literal), so an over-quota message is refused before reading it. */
  expectedSize?: number;
  /** 'submission': the Sent copy filed by SMTP submission or GraphQL send (see sent-copies.ts). */
  origin?: 'submission';
}

/** Why a message was not stored. */
export type AppendFailure = 'NONEXISTENT' | 'OVERQUOTA' | 'TOOBIG';
/** Result of storing one message. */
export type AppendOutcome =
  | {
      ok: true;
      id: ObjectId;
      uid: number;
      uidValidity: number;
      modseq: number;
      size: number;
      /** The user's storage as the reservation read it (the admin feed's quota warning). */
      quota?: QuotaReading;
    }
  | { ok: false; code: AppendFailure; quota?: QuotaReading };

/**
 * Stores one message: streams it through the MIME indexer (large bodies straight into GridFS),
 * then, under the user's lock, reserves its size against the quota, takes a UID and MODSEQ,
 * inserts the document and journals EXISTS. The message becomes visible only with the insert; if
 * anything fails before, every part stored for it and the reserved storage are given back.
 */
export async function appendMessage(
  ctx: StoreContext,
  user: ObjectId,
  mailbox: ObjectId,
  source: Readable,
  options: AppendOptions = {},
): Promise<AppendOutcome> {
  const { db, settings } = ctx;
  if (options.expectedSize !== undefined) {
    if (options.expectedSize > settings.maxMessageSize) return drained(source, 'TOOBIG');
    if (!(await wouldFit(db, user, options.expectedSize))) return drained(source, 'OVERQUOTA');
  }
  const sink = new GridFsPartSink(ctx);
  let indexed: IndexedMessage;
  try {
    indexed = await indexMessage(limitSize(source, settings.maxMessageSize), {
      sink,
      largeBodyThreshold: settings.largeBodyThreshold,
      // keeps the document far below MongoDB's 16 MiB: once this much is inline, later bodies go to GridFS
      maxInlineBodyTotal: settings.maxInlineBytes,
    });
  } catch (error) {
    await sink.releaseAll();
    if (error instanceof MessageTooBigError || error instanceof MimeLimitError)
      return { ok: false, code: 'TOOBIG' };
    throw error;
  }

  const heldParts = [...sink.refs];
  const flags = normalizeFlags(options.flags ?? []);

  const outcome = await ctx.locks
    .run(userLock(user), async (): Promise<AppendOutcome> => {
      // The quota (user document) and the UID (mailbox document) are independent: asked for at the
      // same time they cost one store round trip's wait instead of two. What one took while the
      // other failed is given back (a UID taken for nothing stays taken, journalled as a no-op).
      const [reserved, allocated] = await Promise.allSettled([
        reserveStorageReading(db, user, indexed.size),
        // the mailbox's message counters grow in the same update (counters.ts)
        allocateUids(db, mailbox, 1, { size: indexed.size, unseen: isUnseen(flags) ? 1 : 0 }),
      ]);
      const allocation = allocated.status === 'fulfilled' ? allocated.value : null;
      if (reserved.status !== 'fulfilled' || !reserved.value.reserved) {
        if (allocation) await journalUnusedUid(db, mailbox, user, allocation);
        if (reserved.status === 'rejected') throw reserved.reason;
        const reading = reserved.value.reading;
        return { ok: false, code: 'OVERQUOTA', ...(reading ? { quota: reading } : {}) };
      }
      const reading = reserved.value.reading;
      if (!allocation) {
        await releaseStorage(db, user, indexed.size);
        if (allocated.status === 'rejected') throw allocated.reason;
        return { ok: false, code: 'NONEXISTENT' };
      }
      const document = messageDocument(indexed, {
        mailbox,
        user,
        uid: allocation.firstUid,
        modseq: allocation.firstModseq,
        flags,
        internalDate: options.internalDate ?? new Date(),
        parts: heldParts,
        ...(options.origin ? { origin: options.origin } : {}),
      });
      const problems = validateDocument(messageSpec.validator!, document);
      try {
        if (problems.length)
          throw new StoreError('INVALID_DOCUMENT', `Invalid message document: ${problems.join('; ')}`);
        // with its search document (search-index.ts), both or neither
        await insertMessageDocuments(db, [document]);
      } catch (error) {
        // the store stayed away longer than a write waits for it: whether the message got in is
        // unknown, so nothing is given back on a guess; the section ends interrupted and the write
        // healer recounts (mail-service write-healer.ts)
        if (isStoreUnreachable(error)) throw error;
        await releaseStorage(db, user, indexed.size);
        // a duplicate UID means another message holds it (two writers raced past the locks): an
        // EXPUNGE journalled for it would hide that message from every view
        if (isDuplicateKeyError(error)) await uncountAllocation(db, mailbox, allocation).catch(() => {});
        else await journalUnusedUid(db, mailbox, user, allocation);
        throw error;
      }
      // the message is stored: from here nothing fails the APPEND or gives its parts back
      await completeAfterChange(() =>
        recordChanges(db, [
          { mailbox, user, modseq: allocation.firstModseq, kind: 'EXISTS', uid: allocation.firstUid, flags },
        ]),
      );
      return {
        ok: true,
        id: document._id,
        uid: allocation.firstUid,
        uidValidity: allocation.uidValidity,
        modseq: allocation.firstModseq,
        size: indexed.size,
        ...(reading ? { quota: reading } : {}),
      };
    })
    .catch(async (error: unknown) => {
      await releaseParts(ctx, heldParts).catch(() => {});
      throw error;
    });
  if (!outcome.ok) await releaseParts(ctx, heldParts);
  return outcome;
}

/** Where and how a new message document is filed (everything but what its indexing gave). */
export interface MessagePlacement {
  mailbox: ObjectId;
  user: ObjectId;
  uid: number;
  modseq: number;
  flags: string[];
  internalDate: Date;
  /** The GridFS parts its large bodies went to. */
  parts: string[];
  origin?: 'submission';
}

/** The message document of an indexed message (appendMessage, appendMessageBatch). */
export function messageDocument(indexed: IndexedMessage, placement: MessagePlacement) {
  return {
    _id: new ObjectId(),
    mailbox: placement.mailbox,
    user: placement.user,
    uid: placement.uid,
    modseq: new Double(placement.modseq),
    flags: placement.flags,
    internalDate: placement.internalDate,
    size: indexed.size,
    hdr: indexed.headers,
    headerLines: indexed.headers.lines.map((line) => `${line.key}: ${line.value}`),
    envelope: indexed.envelope,
    // JSON text: FerretDB 1.24 stores no nested arrays (BODYSTRUCTURE parameter pairs), and a deep
    // MIME tree would pass MongoDB's 100-level nesting limit; both are read whole, never queried
    bodyStructure: JSON.stringify(indexed.bodyStructure),
    // the layout of envelope and bodyStructure: older ones are computed again when read
    structureVersion: STRUCTURE_VERSION,
    mime: { root: JSON.stringify(indexed.root), segments: indexed.segments },
    parts: placement.parts,
    hasAttachments: hasAttachments(indexed.root),
    snippet: indexed.bodyText.text.slice(0, 200),
    // SEARCH BODY and TEXT match this decoded, lower-cased text; no body is opened to search
    searchText: indexed.bodyText.text.toLowerCase(),
    created: new Date(),
    ...(placement.origin ? { origin: placement.origin } : {}),
  };
}

/**
 * A UID and MODSEQ were taken but no message got them: the counters the allocation added are given
 * back, and the MODSEQ is journalled as a no-op so readers do not wait for it.
 */
async function journalUnusedUid(
  db: Db,
  mailbox: ObjectId,
  user: ObjectId,
  allocation: Allocation,
): Promise<void> {
  await uncountAllocation(db, mailbox, allocation).catch(() => {});
  await recordChanges(db, [
    { mailbox, user, modseq: allocation.firstModseq, kind: 'EXPUNGE', uid: allocation.firstUid, flags: null },
  ]).catch(() => {});
}

/** Raised by `limitSize` when a message grows past the largest size accepted. */
class MessageTooBigError extends Error {}

async function* limitSize(source: Readable, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    total += buffer.length;
    if (total > maxBytes) {
      source.destroy();
      throw new MessageTooBigError(`message is larger than ${maxBytes} bytes`);
    }
    yield buffer;
  }
}

/** Reads and discards a refused message, so the protocol stream stays in step. */
async function drained(source: Readable, code: AppendFailure): Promise<AppendOutcome> {
  source.resume();
  await new Promise<void>((resolve) => {
    if (source.readableEnded || source.destroyed) resolve();
    source.once('end', resolve);
    source.once('close', resolve);
    source.once('error', () => resolve());
  });
  return { ok: false, code };
}

/** True when any part is an attachment (by disposition or by having a file name). */
function hasAttachments(part: MimePart): boolean {
  if (part.kind === 'leaf' && (part.disposition === 'attachment' || part.filename)) return true;
  if (part.kind === 'message' && part.path !== '') return true;
  return (part.children ?? []).some(hasAttachments) || (part.message ? hasAttachments(part.message) : false);
}
