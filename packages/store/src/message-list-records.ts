import type { Db, Document, ObjectId } from 'mongodb';
import { toNumber } from './ids.js';
import type { LockManager } from './locks.js';
import { MESSAGE_SUMMARY_PROJECTION, toMessageView, type MessageView } from './message-views.js';
import { ensureSearchIndex, MESSAGE_SEARCH } from './search-index.js';
import { searchDocumentSortRecords, type MessageSortRecord } from './sort-records.js';

/**
 * A message as a process keeps it in memory to list and search a mailbox without the store: its
 * list fields (`view`) and what SEARCH matches (`match`: the same fields as its search document,
 * search-index.ts). See apps/api/src/mail/list-index.ts for why.
 */
export interface MessageListRecord {
  view: MessageView;
  match: MatchFields;
  /** What SORT and THREAD (and the webmail's conversations) need: in records of a whole mailbox. */
  sort?: MessageSortRecord;
}

/** What a search key is decided on (search-memory.ts), as the search document holds it. */
export interface MatchFields {
  _id: ObjectId;
  uid: number;
  modseq: number;
  flags: string[];
  internalDate: Date;
  saved: Date;
  size: number;
  hasAttachments: boolean;
  /** The lower-cased header search texts (`hdr.search`), the Date header and its sent day. */
  hdr: { search: Record<string, string>; date: Date | null; sentDay: Date | null };
  headerLines: string[];
  searchText: string;
}

/** A search document (search-index.ts, SEARCH_VERSION 6 and later) without its sort fields. */
const LIST_RECORD_PROJECTION: Readonly<Document> = { sort: 0 };
/** A whole search document: the list record and its sort record. */
const LIST_AND_SORT_PROJECTION: Readonly<Document> = {};

/** The list record of a search document: its list fields make the view, the rest is what SEARCH matches. */
function toRecord(document: Document): MessageListRecord {
  const list = (document.list ?? {}) as Document;
  const view = toMessageView({
    _id: document._id,
    mailbox: document.mailbox,
    user: document.user,
    uid: document.uid,
    flags: document.flags,
    internalDate: document.internalDate,
    size: document.size,
    hdr: list.hdr ?? {},
    snippet: list.snippet,
    hasAttachments: document.hasAttachments,
  });
  const hdr = (document.hdr ?? {}) as Document;
  return {
    view,
    match: {
      _id: view._id,
      uid: view.uid,
      modseq: toNumber(document.modseq),
      flags: view.flags,
      internalDate: document.internalDate as Date,
      saved: (document.saved ?? document.internalDate) as Date,
      size: view.size,
      hasAttachments: view.hasAttachments,
      hdr: {
        search: (hdr.search ?? {}) as Record<string, string>,
        date: hdr.date ?? null,
        sentDay: hdr.sentDay ?? null,
      },
      headerLines: (document.headerLines as string[] | undefined) ?? [],
      searchText: (document.searchText as string | undefined) ?? '',
    },
  };
}

/**
 * Every message of a mailbox as a list record with its sort record, from its search documents (built first when the
 * mailbox has none of the current layout), in one query whose filter is the mailbox alone (the
 * equality FerretDB pushes down); unordered. It costs the whole mailbox (FerretDB decodes each
 * document in full): read it once and keep it current from the journal. Null when the mailbox
 * is gone.
 */
export async function loadListRecords(
  db: Db,
  mailbox: ObjectId,
  locks: LockManager,
): Promise<MessageListRecord[] | null> {
  if (!(await ensureSearchIndex(db, mailbox, locks))) return null;
  const records: MessageListRecord[] = [];
  // a batch at a time, each turned into records as it comes: a large mailbox never holds the
  // process for long (a stalled event loop misses the driver's server checks under load)
  const cursor = db
    .collection(MESSAGE_SEARCH)
    .find({ mailbox }, { projection: LIST_AND_SORT_PROJECTION, batchSize: 1_000 });
  const sortRecord = searchDocumentSortRecords();
  for await (const document of cursor) records.push({ ...toRecord(document), sort: sortRecord(document) });
  return records;
}

/** Up to this many `{mailbox, uid}` point reads at the same time. */
const POINT_READS_AT_ONCE = 16;

/**
 * The list records (with sort records) of these UIDs (those that exist; their mailbox's search documents must be of
 * the current layout, as loadListRecords leaves them), each by `{mailbox, uid}` equality (an index
 * lookup on FerretDB with the embedded store's GIN indexes), a few at a time; unordered.
 */
export async function readListRecords(
  db: Db,
  mailbox: ObjectId,
  uids: readonly number[],
): Promise<MessageListRecord[]> {
  const found: MessageListRecord[] = [];
  const messages = db.collection(MESSAGE_SEARCH);
  const sortRecord = searchDocumentSortRecords();
  for (let start = 0; start < uids.length; start += POINT_READS_AT_ONCE) {
    const documents = await Promise.all(
      uids
        .slice(start, start + POINT_READS_AT_ONCE)
        .map((uid) => messages.findOne({ mailbox, uid }, { projection: LIST_AND_SORT_PROJECTION })),
    );
    for (const document of documents)
      if (document) found.push({ ...toRecord(document), sort: sortRecord(document) });
  }
  return found;
}

/**
 * The newest messages below `beforeUid`, newest first, found without knowing the mailbox's UIDs:
 * the UIDs under it are read one `{mailbox, uid}` equality each, newest first, until `wanted` are
 * found. Cheap in a mailbox whose UIDs have few gaps (the usual Inbox: messages arrive with the
 * next UID, and few are ever removed); null when more than `maxReads` reads did not find them, so
 * the caller takes the way that reads the whole mailbox instead. `fromSearchDocuments` when the
 * mailbox's search documents are of the current layout (its `searchVersion` is SEARCH_VERSION).
 */
export async function probeNewestMessages(
  db: Db,
  mailbox: ObjectId,
  beforeUid: number,
  wanted: number,
  maxReads: number,
  options: { fromSearchDocuments?: boolean } = {},
): Promise<{ messages: MessageView[]; reachedStart: boolean } | null> {
  // a search document (of the current layout) has the list fields in a third of the bytes
  const fromSearch = options.fromSearchDocuments === true;
  const messages = db.collection(fromSearch ? MESSAGE_SEARCH : 'messages');
  const projection = fromSearch ? LIST_RECORD_PROJECTION : MESSAGE_SUMMARY_PROJECTION;
  const found: MessageView[] = [];
  let next = beforeUid - 1;
  let reads = 0;
  while (found.length < wanted && next >= 1) {
    const missing = wanted - found.length;
    const batch: number[] = [];
    for (let uid = next; uid >= 1 && batch.length < Math.min(missing, 64); uid--) batch.push(uid);
    if (reads + batch.length > maxReads) return null;
    reads += batch.length;
    next -= batch.length;
    const documents: (Document | null)[] = [];
    for (let start = 0; start < batch.length; start += POINT_READS_AT_ONCE)
      documents.push(
        ...(await Promise.all(
          batch
            .slice(start, start + POINT_READS_AT_ONCE)
            .map((uid) => messages.findOne({ mailbox, uid }, { projection })),
        )),
      );
    for (const document of documents)
      if (document) found.push(fromSearch ? toRecord(document).view : toMessageView(document));
  }
  return { messages: found.slice(0, wanted), reachedStart: next < 1 };
}
