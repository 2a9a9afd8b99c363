import type { Db, Document, ObjectId } from 'mongodb';
import { toNumber } from './ids.js';
import type { LockManager } from './locks.js';
import { ensureSearchIndex, MESSAGE_SEARCH } from './search-index.js';

/** The first address of a header as SORT compares it. */
export interface SortAddressRecord {
  name: string;
  /** Local part (IMAP addr-mailbox). */
  mailbox: string;
  /** Domain (IMAP addr-host), '' when none. */
  host: string;
}

/**
 * What IMAP SORT and THREAD need of one message (RFC 5256, RFC 5957); the same shape as the IMAP
 * core's `SortRecord`. Nothing in it ever changes once the message is stored.
 */
export interface MessageSortRecord {
  uid: number;
  /** Milliseconds since the epoch. */
  internalDate: number;
  size: number;
  /** The Date header in milliseconds, null when missing or unparseable. */
  sentDate: number | null;
  /** Decoded subject. */
  subject: string;
  from: SortAddressRecord | null;
  to: SortAddressRecord | null;
  cc: SortAddressRecord | null;
  messageId: string;
  inReplyTo: string;
  references: readonly string[];
}

/** The header fields a message document keeps for sorting (`hdr.*`, packages/mime SearchHeaders). */
export const SORT_HEADER_PROJECTION = {
  'hdr.subject': 1,
  'hdr.from': 1,
  'hdr.to': 1,
  'hdr.cc': 1,
  'hdr.messageId': 1,
  'hdr.inReplyTo': 1,
  'hdr.references': 1,
} as const;

/**
 * The sort fields a search document carries (search-index.ts), from a message document's header
 * data: the first From/To/Cc address only, and nothing of any body.
 */
export function sortFields(message: Document): Document {
  const hdr = (message.hdr ?? {}) as Document;
  const first = (list: unknown) => (Array.isArray(list) && list[0] ? (list[0] as Document) : null);
  const address = (entry: Document | null) =>
    entry ? { name: String(entry.name ?? ''), address: String(entry.address ?? '') } : null;
  return {
    subject: typeof hdr.subject === 'string' ? hdr.subject : '',
    from: address(first(hdr.from)),
    to: address(first(hdr.to)),
    cc: address(first(hdr.cc)),
    messageId: typeof hdr.messageId === 'string' ? hdr.messageId : '',
    inReplyTo: typeof hdr.inReplyTo === 'string' ? hdr.inReplyTo : '',
    references: Array.isArray(hdr.references) ? hdr.references.map(String) : [],
  };
}

/** What a search document holds beyond a mailbox view's fields (uid, internal date, size) for its sort record. */
export const SEARCH_SORT_FIELDS = { 'hdr.date': 1, sort: 1 } as const;
const SEARCH_SORT_PROJECTION = { _id: 0, uid: 1, internalDate: 1, size: 1, ...SEARCH_SORT_FIELDS } as const;
const MESSAGE_SORT_PROJECTION = {
  _id: 0,
  uid: 1,
  internalDate: 1,
  size: 1,
  'hdr.date': 1,
  ...SORT_HEADER_PROJECTION,
} as const;

/**
 * The sort records of a whole mailbox, in one query whose filter is the mailbox alone (the
 * equality FerretDB pushes down), over the small search documents when the mailbox has them
 * (`locks` lets them be built now), else over the message documents' header fields.
 */
export async function readSortRecords(
  db: Db,
  mailbox: ObjectId,
  locks?: LockManager,
): Promise<MessageSortRecord[]> {
  const indexed = await ensureSearchIndex(db, mailbox, locks);
  const documents = await db
    .collection(indexed ? MESSAGE_SEARCH : 'messages')
    .find(
      { mailbox },
      { projection: indexed ? SEARCH_SORT_PROJECTION : MESSAGE_SORT_PROJECTION, batchSize: 10_000 },
    )
    .toArray();
  const shared = new SharedParts();
  return documents.map((document) => toSortRecord(document, indexed, shared));
}

/**
 * The sort records of a few messages (new ones since a mailbox was read), each by `{mailbox, uid}`
 * equality, a few at a time; messages that no longer exist are left out.
 */
export async function readSomeSortRecords(
  db: Db,
  mailbox: ObjectId,
  uids: readonly number[],
): Promise<MessageSortRecord[]> {
  const found: MessageSortRecord[] = [];
  const messages = db.collection('messages');
  const shared = new SharedParts();
  for (let start = 0; start < uids.length; start += POINT_READS_AT_ONCE) {
    const batch = uids.slice(start, start + POINT_READS_AT_ONCE);
    const documents = await Promise.all(
      batch.map((uid) => messages.findOne({ mailbox, uid }, { projection: MESSAGE_SORT_PROJECTION })),
    );
    for (const document of documents) if (document) found.push(toSortRecord(document, false, shared));
  }
  return found;
}

const POINT_READS_AT_ONCE = 16;

/**
 * A maker of sort records from search documents (read with `uid`, `internalDate`, `size` and
 * SEARCH_SORT_FIELDS) one at a time, sharing equal parts among all it makes (a mailbox read in
 * batches, kept in memory).
 */
export function searchDocumentSortRecords(): (document: Document) => MessageSortRecord {
  const shared = new SharedParts();
  return (document) => toSortRecord(document, true, shared);
}

/** The sort records of search documents read with `uid`, `internalDate`, `size` and SEARCH_SORT_FIELDS. */
export function sortRecordsOfSearchDocuments(documents: readonly Document[]): MessageSortRecord[] {
  const shared = new SharedParts();
  return documents.map((document) => toSortRecord(document, true, shared));
}

/**
 * What the records made together share: one record per distinct address (name and address alike)
 * and one empty References list. Why: a mailbox's records stay in the IMAP server's cache (every
 * large mailbox selected lately, since SELECT hands them over), and in real mail To is nearly
 * always the owner and the senders repeat; the bench's 50,000 messages took 635 bytes each without
 * sharing. Safe because a record is never changed (SORT and THREAD only read them).
 */
class SharedParts {
  private readonly addresses = new Map<string, SortAddressRecord>();

  address(entry: unknown): SortAddressRecord | null {
    if (!entry || typeof entry !== 'object') return null;
    const { name, address } = entry as { name?: unknown; address?: unknown };
    const nameText = String(name ?? '');
    const addressText = String(address ?? '');
    // the name's length first: no two (name, address) pairs make the same key
    const key = `${nameText.length}:${nameText}${addressText}`;
    let record = this.addresses.get(key);
    if (!record) {
      record = sortAddress(nameText, addressText);
      this.addresses.set(key, record);
    }
    return record;
  }
}

const NO_REFERENCES: readonly string[] = Object.freeze([]);

function toSortRecord(document: Document, fromSearch: boolean, shared: SharedParts): MessageSortRecord {
  const fields = fromSearch ? ((document.sort ?? {}) as Document) : sortFields(document);
  const sentDate = (document.hdr as Document | undefined)?.date;
  return {
    uid: toNumber(document.uid as number),
    internalDate: (document.internalDate as Date).getTime(),
    size: toNumber(document.size as number),
    sentDate: sentDate instanceof Date ? sentDate.getTime() : null,
    subject: String(fields.subject ?? ''),
    from: shared.address(fields.from),
    to: shared.address(fields.to),
    cc: shared.address(fields.cc),
    messageId: String(fields.messageId ?? ''),
    inReplyTo: String(fields.inReplyTo ?? ''),
    references:
      Array.isArray(fields.references) && fields.references.length
        ? fields.references.map(String)
        : NO_REFERENCES,
  };
}

/** A name and `local@host` as stored, split into the parts SORT compares. */
function sortAddress(name: string, address: string): SortAddressRecord {
  const at = address.lastIndexOf('@');
  return {
    name,
    mailbox: at < 0 ? address : address.slice(0, at),
    host: at < 0 ? '' : address.slice(at + 1),
  };
}
