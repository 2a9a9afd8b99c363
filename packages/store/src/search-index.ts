import type { AnyBulkWriteOperation, Db, Document, ObjectId } from 'mongodb';
import { sendInCommands } from './write-commands.js';
import { userLock } from './context.js';
import { isDuplicateKeyError } from './errors.js';
import type { LockManager } from './locks.js';
import { searchHeaderFields } from './search-fields.js';
import { SORT_HEADER_PROJECTION, sortFields } from './sort-records.js';
import { finishWrite, isStoreUnreachable, onlyDuplicates } from './write-completion.js';

/**
 * The search collection: one small document per message with only what SEARCH matches (mailbox,
 * user, UID, MODSEQ, flags, internal date, size, Date header, attachment mark, the lower-cased
 * header search fields, the header lines, the decoded body text, and the sort fields of IMAP SORT and
 * THREAD: subject, first From/To/Cc, Message-ID, In-Reply-To, References), under the message's own `_id`
 * and the same field paths as in the message document, so one filter fits both.
 *
 * Why: FerretDB 1.24 evaluates `$regex` in Go after decoding every document the pushed-down part
 * (`{mailbox}`) returned, and decoding a whole message document (MIME tree, envelope, inline bodies)
 * costs about 1 ms: a FROM or BODY search took 5.3 s on a 5,000-message mailbox and 27 s on a
 * 20,000-message one (packages/store/scripts/measure-search.ts). The same search over these small
 * documents reads a fraction of the bytes (measured: FROM on 5,000 messages 29 s -> 2.8 s on a
 * loaded machine). Holding the flags too, a search that mixes text and flags (`UNDELETED FROM x`,
 * as clients send) is one query here. On MongoDB the collection costs one more small write per
 * message stored, moved or flagged (sent at the same time as the message's own).
 *
 * Kept by every write, all under the owner's lock: append and copy insert (insertMessageDocuments),
 * flag changes update by `_id` (flags.ts), move re-files by `_id`, removal deletes by `_id`, a
 * deleted mailbox or user deletes all of its own. A mailbox whose `searchVersion` is not
 * SEARCH_VERSION (created before) is searched in the messages collection until `ensureSearchIndex`
 * has (re)built its search documents.
 */
export const MESSAGE_SEARCH = 'messageSearch';

/** The layout of the search documents; a mailbox marked with another (or none) is rebuilt before use. */
// 3: with the sent day (SENTON and friends) and address texts of every line, group names included
// 4: with the sort fields (sort-records.ts) that IMAP SORT and THREAD read instead of messages
// 5: with the save date (IMAP SAVEDATE: `saved`, else when the message was stored)
// 6: with the list fields (`list`: display headers and snippet), so a process can list a mailbox
//    from these documents alone (message-list-records.ts)
export const SEARCH_VERSION = 6;

/** The display headers of the message list (MessageView `hdr`), as a message document has them. */
const LIST_HEADERS = [
  'subject',
  'from',
  'to',
  'cc',
  'bcc',
  'replyTo',
  'date',
  'messageId',
  'inReplyTo',
  'references',
] as const;

const LIST_HEADER_PROJECTION = Object.fromEntries(LIST_HEADERS.map((name) => [`hdr.${name}`, 1]));

/** The fields of a message document its search document is made of. */
const SEARCH_PROJECTION = {
  mailbox: 1,
  user: 1,
  uid: 1,
  modseq: 1,
  flags: 1,
  internalDate: 1,
  saved: 1,
  created: 1,
  size: 1,
  hasAttachments: 1,
  'hdr.search': 1,
  'hdr.date': 1,
  'hdr.sentDay': 1,
  // an older message document's sent day and address texts are derived from it (search-fields.ts)
  envelope: 1,
  headerLines: 1,
  searchText: 1,
  ...SORT_HEADER_PROJECTION,
  ...LIST_HEADER_PROJECTION,
  snippet: 1,
};

/** The search document of a message document. */
export function searchDocument(message: Document): Document {
  return {
    _id: message._id,
    mailbox: message.mailbox,
    user: message.user,
    uid: message.uid,
    modseq: message.modseq,
    flags: message.flags ?? [],
    internalDate: message.internalDate,
    // when it was saved into this mailbox (IMAP SAVEDATE): set by COPY and MOVE, else when stored
    saved: message.saved ?? message.created ?? message.internalDate,
    size: message.size,
    hasAttachments: !!message.hasAttachments,
    hdr: searchHeaderFields(message),
    headerLines: message.headerLines ?? [],
    searchText: message.searchText ?? '',
    sort: sortFields(message),
    list: listFields(message),
  };
}

/**
 * What the webmail's list shows of a message beyond what SEARCH matches: the display headers and
 * the snippet. Why here: reading every message document of a large mailbox costs FerretDB 1.24
 * about five times what reading its search documents does (measured: 20,000 messages, 148 s
 * against 29 s on a loaded machine), so the API lists and searches a mailbox from these alone.
 */
function listFields(message: Document): Document {
  const hdr = (message.hdr ?? {}) as Document;
  return {
    hdr: Object.fromEntries(
      LIST_HEADERS.filter((name) => hdr[name] !== undefined).map((name) => [name, hdr[name]]),
    ),
    snippet: message.snippet ?? '',
  };
}

/**
 * Inserts message documents and their search documents, at the same time (one round trip's wait).
 * If either insert fails, what the other wrote is deleted again and the error is thrown, so a
 * message is never stored without its search document.
 */
export async function insertMessageDocuments(db: Db, documents: readonly Document[]): Promise<void> {
  if (!documents.length) return;
  const ids = documents.map((document) => document._id as ObjectId);
  const [messages, search] = await Promise.allSettled([
    documents.length === 1
      ? db.collection('messages').insertOne({ ...documents[0]! })
      : db.collection('messages').insertMany([...documents], { ordered: true }),
    db.collection(MESSAGE_SEARCH).insertMany(documents.map(searchDocument), { ordered: true }),
  ]);
  if (messages.status === 'fulfilled' && search.status === 'fulfilled') return;
  const reasons = [messages, search].flatMap((result) =>
    result.status === 'rejected' ? [result.reason] : [],
  );
  if (reasons.every(isStoreUnreachable)) {
    // the store stopped answering: an insert may have been applied with its answer lost, so none is
    // undone; both are finished instead (an _id already there is taken as inserted)
    await finishWrite(() => insertAllowingPresent(db, 'messages', documents));
    await finishWrite(() => insertAllowingPresent(db, MESSAGE_SEARCH, documents.map(searchDocument)));
    return;
  }
  await Promise.all([
    deleteByIds(db, 'messages', ids).catch(() => {}),
    deleteByIds(db, MESSAGE_SEARCH, ids).catch(() => {}),
  ]);
  throw messages.status === 'rejected' ? messages.reason : (search as PromiseRejectedResult).reason;
}

async function insertAllowingPresent(
  db: Db,
  collection: string,
  documents: readonly Document[],
): Promise<void> {
  try {
    await db.collection(collection).insertMany([...documents], { ordered: false });
  } catch (error) {
    if (!onlyDuplicates(error)) throw error;
  }
}

/** Deletes the search documents of removed messages (each by `_id`, which FerretDB pushes down). */
export async function deleteSearchDocuments(db: Db, ids: readonly ObjectId[]): Promise<void> {
  await deleteByIds(db, MESSAGE_SEARCH, ids);
}

/**
 * Re-files the search documents of moved messages (the documents as they are after the move), by
 * `_id`; a message that had none (stored before the collection existed) gets one.
 */
export async function refileSearchDocuments(db: Db, moved: readonly Document[]): Promise<void> {
  if (!moved.length) return;
  await bulkWriteInChunks(
    db,
    MESSAGE_SEARCH,
    moved.map((message) => ({
      replaceOne: { filter: { _id: message._id }, replacement: searchDocument(message), upsert: true },
    })),
    false,
  );
}

async function deleteByIds(db: Db, collection: string, ids: readonly ObjectId[]): Promise<void> {
  if (!ids.length) return;
  // one command, but one `{_id}` statement each: `_id: {$in}` would not be pushed down
  const operations: AnyBulkWriteOperation[] = ids.map((_id) => ({ deleteOne: { filter: { _id } } }));
  await bulkWriteInChunks(db, collection, operations, false);
}

/** In commands small enough for FerretDB's connection pool (write-commands.ts). */
async function bulkWriteInChunks(
  db: Db,
  collection: string,
  operations: AnyBulkWriteOperation[],
  ordered: boolean,
): Promise<void> {
  await sendInCommands(operations, (chunk) => db.collection(collection).bulkWrite(chunk, { ordered }));
}

/** Sets the flags and MODSEQs of changed messages in their search documents (by `_id`); under the user lock. */
export async function updateSearchFlags(
  db: Db,
  changes: readonly { _id: ObjectId; flags: string[]; modseq: unknown }[],
): Promise<void> {
  if (!changes.length) return;
  // only over an older MODSEQ: a late or repeated attempt never undoes a later change (flags.ts)
  const updates = changes.map((change) => ({
    updateOne: {
      filter: { _id: change._id, modseq: { $lt: change.modseq } },
      update: { $set: { flags: change.flags, modseq: change.modseq } },
    },
  }));
  await bulkWriteInChunks(db, MESSAGE_SEARCH, updates, true);
}

/**
 * True when the mailbox's searches can use the search collection. A mailbox from before it (or
 * from an older layout) is built here when `locks` is given (once: the messages are read, their
 * search documents written, and the mailbox marked), else false.
 */
export async function ensureSearchIndex(db: Db, mailbox: ObjectId, locks?: LockManager): Promise<boolean> {
  const box = await db
    .collection('mailboxes')
    .findOne({ _id: mailbox }, { projection: { user: 1, searchVersion: 1 } });
  if (!box) return false;
  if (box.searchVersion === SEARCH_VERSION) return true;
  if (!locks) return false;
  return locks.run(userLock(box.user as ObjectId), async () => {
    const again = await db
      .collection('mailboxes')
      .findOne({ _id: mailbox }, { projection: { searchVersion: 1 } });
    if (!again) return false;
    if (again.searchVersion === SEARCH_VERSION) return true;
    const messages = await db
      .collection('messages')
      .find({ mailbox }, { projection: SEARCH_PROJECTION })
      .toArray();
    // what an older layout left is replaced; every writer of this mailbox waits for the lock meanwhile
    await db.collection(MESSAGE_SEARCH).deleteMany({ mailbox });
    for (let start = 0; start < messages.length; start += 500) {
      await db
        .collection(MESSAGE_SEARCH)
        .insertMany(messages.slice(start, start + 500).map(searchDocument), { ordered: false })
        .catch((error: unknown) => {
          if (!isDuplicateKeyError(error)) throw error;
        });
    }
    await db.collection('mailboxes').updateOne({ _id: mailbox }, { $set: { searchVersion: SEARCH_VERSION } });
    return true;
  });
}
