import type { Db, ObjectId } from 'mongodb';
import { userLock, type StoreContext } from './context.js';
import { toNumber } from './ids.js';
import { MESSAGE_SEARCH, SEARCH_VERSION } from './search-index.js';
import { SEARCH_SORT_FIELDS, sortRecordsOfSearchDocuments, type MessageSortRecord } from './sort-records.js';

/** What a mailbox view holds of each message: enough for FLAGS, UID, MODSEQ, RFC822.SIZE, INTERNALDATE and SEARCH without text. */
export interface ViewMessageRecord {
  uid: number;
  flags: string[];
  modseq: number;
  size: number;
  /** Milliseconds since the epoch. */
  internalDate: number;
}

const VIEW_PROJECTION = { _id: 0, uid: 1, flags: 1, modseq: 1, size: 1, internalDate: 1 } as const;

/**
 * Every message of a mailbox as a view holds it, in one query whose filter is the mailbox alone:
 * the one equality FerretDB pushes down (and serves by index, see embedded-store), so it costs the
 * mailbox, never the store. Unordered; the view sorts. With `fromSearchDocuments` (the mailbox's
 * search documents are current, search-index.ts) it reads those: they hold the same fields, and
 * FerretDB decodes whole documents before projecting, so the smaller ones load about 3x faster.
 */
export async function loadViewMessages(
  db: Db,
  mailbox: ObjectId,
  fromSearchDocuments = false,
): Promise<ViewMessageRecord[]> {
  const documents = await db
    .collection(fromSearchDocuments ? MESSAGE_SEARCH : 'messages')
    .find({ mailbox }, { projection: VIEW_PROJECTION, batchSize: 10_000 })
    .toArray();
  return documents.map(toViewRecord);
}

/**
 * The view records of a few messages (new ones the journal announced), each by `{mailbox, uid}`
 * equality, so each is an index lookup; a few at a time, so a large copy does not flood the store.
 * Messages that no longer exist are left out.
 */
export async function readViewMessages(
  db: Db,
  mailbox: ObjectId,
  uids: readonly number[],
): Promise<ViewMessageRecord[]> {
  const found: ViewMessageRecord[] = [];
  const messages = db.collection('messages');
  for (let start = 0; start < uids.length; start += POINT_READS_AT_ONCE) {
    const batch = uids.slice(start, start + POINT_READS_AT_ONCE);
    const documents = await Promise.all(
      batch.map((uid) => messages.findOne({ mailbox, uid }, { projection: VIEW_PROJECTION })),
    );
    for (const document of documents) if (document) found.push(toViewRecord(document));
  }
  return found;
}

const POINT_READS_AT_ONCE = 16;

function toViewRecord(document: Record<string, unknown>): ViewMessageRecord {
  return {
    uid: toNumber(document.uid as number),
    flags: (document.flags as string[] | undefined) ?? [],
    modseq: toNumber(document.modseq as number),
    size: toNumber(document.size as number),
    internalDate: (document.internalDate as Date).getTime(),
  };
}

/** A whole mailbox as a view starts from. */
export interface LoadedMailboxView {
  uidValidity: number;
  uidNext: number;
  /**
   * Every change up to this MODSEQ is in `messages`; later ones come from the journal. Some of
   * those may already show in `messages` (made while it was read): a view applies them again.
   */
  position: number;
  messages: ViewMessageRecord[];
  /**
   * The sort records (IMAP SORT and THREAD) of the same messages, when asked for and the messages
   * were read from the search documents; absent otherwise.
   */
  sortRecords?: MessageSortRecord[];
}

/** What else a view load may read along with the messages. */
export interface MailboxViewLoadOptions {
  /**
   * Read the messages' sort records too, when the view is read from the search documents. Why:
   * the first SORT of a mailbox would otherwise read those same documents again in a query of its
   * own, and FerretDB decodes each whole document (body text included) whatever the projection,
   * so the second read costs as much as the first (18-34 s for 50,000 messages, bench search50k).
   * The sort fields make the view's own query slower by less than that (about 30 s -> 38 s for
   * 50,000 on a loaded 2-core machine: bigger answers to encode and decode), hence only when the
   * caller keeps the records (the IMAP server's cache). Not from the message documents (an older
   * layout): there the sort fields would mean the MIME tree's header data, and SORT rebuilds the
   * search documents first anyway.
   */
  sortRecords?: boolean;
}

/**
 * Loads a mailbox for a view. The position is read under the owner's lock: every writer holds it
 * from taking its MODSEQ until its journal entry is written, so at that instant every change up to
 * the mailbox's highest MODSEQ is stored and journalled. The messages are read after the lock is
 * given back (a large mailbox takes a while, and deliveries must not wait for it); what changed
 * meanwhile is replayed from the journal. Null when the mailbox is gone or not the user's.
 */
export async function loadMailboxView(
  ctx: StoreContext,
  user: ObjectId,
  mailbox: ObjectId,
  options: MailboxViewLoadOptions = {},
): Promise<LoadedMailboxView | null> {
  const box = await ctx.locks.run(userLock(user), () =>
    ctx.db
      .collection('mailboxes')
      .findOne(
        { _id: mailbox, user },
        { projection: { uidValidity: 1, uidNext: 1, highestModseq: 1, searchVersion: 1 } },
      ),
  );
  if (!box) return null;
  const fromSearchDocuments = box.searchVersion === SEARCH_VERSION;
  const loaded = {
    uidValidity: toNumber(box.uidValidity),
    uidNext: toNumber(box.uidNext),
    position: toNumber(box.highestModseq),
  };
  if (!options.sortRecords || !fromSearchDocuments)
    return { ...loaded, messages: await loadViewMessages(ctx.db, mailbox, fromSearchDocuments) };
  const documents = await ctx.db
    .collection(MESSAGE_SEARCH)
    .find({ mailbox }, { projection: { ...VIEW_PROJECTION, ...SEARCH_SORT_FIELDS }, batchSize: 10_000 })
    .toArray();
  return {
    ...loaded,
    messages: documents.map(toViewRecord),
    sortRecords: sortRecordsOfSearchDocuments(documents),
  };
}
