import type { Db, Document, Filter, ObjectId } from 'mongodb';
import type { IndexedMessage, SearchHeaders } from '@wildduck/mime';
import { toNumber } from './ids.js';
import type { LockManager } from './locks.js';
import { findByUids } from './message-lookup.js';
import { planSearch } from './search-run.js';
import { mergeConditions, type MessageQuery } from './search.js';

/**
 * A message document as the webmail reads it: the list fields, and with `content` the MIME tree
 * (JSON text, as stored) and the segments. Reads for the GraphQL API and the download routes.
 */
export interface MessageView {
  _id: ObjectId;
  mailbox: ObjectId;
  user: ObjectId;
  uid: number;
  flags: string[];
  internalDate: Date;
  size: number;
  /** The display headers (the search texts and header lines are not read). */
  hdr: Omit<SearchHeaders, 'search' | 'lines'>;
  snippet: string;
  hasAttachments: boolean;
  /** Only when read with `content`. */
  mime?: { root: string; segments: IndexedMessage['segments'] };
}

/** The fields of a message in a list (no MIME tree, no search texts, no header lines). */
export const MESSAGE_SUMMARY_PROJECTION: Readonly<Document> = {
  mailbox: 1,
  user: 1,
  uid: 1,
  flags: 1,
  internalDate: 1,
  size: 1,
  // the display headers only: not the search texts and header lines (up to 64 KiB a message)
  'hdr.subject': 1,
  'hdr.from': 1,
  'hdr.to': 1,
  'hdr.cc': 1,
  'hdr.bcc': 1,
  'hdr.replyTo': 1,
  'hdr.date': 1,
  'hdr.messageId': 1,
  'hdr.inReplyTo': 1,
  'hdr.references': 1,
  snippet: 1,
  hasAttachments: 1,
};

/** A message document read with MESSAGE_SUMMARY_PROJECTION (or more) as a MessageView. */
export function toMessageView(document: Document): MessageView {
  return {
    ...(document as MessageView),
    uid: toNumber(document.uid),
    size: toNumber(document.size),
    flags: (document.flags as string[] | undefined) ?? [],
    snippet: (document.snippet as string | undefined) ?? '',
    hasAttachments: !!document.hasAttachments,
  };
}

/**
 * One message of this user by id, or null (another user's message is null too). With `content`
 * the MIME tree and segments come along (Buffers promoted), for rendering and part downloads.
 */
export async function findUserMessage(
  db: Db,
  user: ObjectId,
  id: ObjectId,
  options: { content?: boolean } = {},
): Promise<MessageView | null> {
  const projection = options.content
    ? { ...MESSAGE_SUMMARY_PROJECTION, mime: 1 }
    : MESSAGE_SUMMARY_PROJECTION;
  const document = await db
    .collection('messages')
    .findOne({ _id: id, user }, { projection, promoteBuffers: !!options.content });
  return document ? toMessageView(document) : null;
}

/** One page of a mailbox's messages, newest (highest UID) first. */
export interface MessagePage {
  messages: MessageView[];
  hasNextPage: boolean;
  /** Messages matching the query in the whole mailbox. */
  totalCount: number;
}

/**
 * The messages of a mailbox that match a search tree (the IMAP SEARCH translation), newest first:
 * at most `first`, with UIDs below `beforeUid` when given (the cursor of the previous page). Text
 * keys are answered from the search collection (search-run.ts); then only the page's messages are
 * read, by UID. Every query has `mailbox` as a top-level equality (what FerretDB pushes down).
 */
export async function listMessagePage(
  db: Db,
  mailbox: ObjectId,
  query: MessageQuery,
  page: { first: number; beforeUid?: number },
  locks?: LockManager,
): Promise<MessagePage> {
  const plan = await planSearch(db, mailbox, query, locks);
  if (plan.kind === 'uids') {
    const below = page.beforeUid === undefined ? plan.uids : plan.uids.filter((uid) => uid < page.beforeUid!);
    const wanted = below.slice(-(page.first + 1)).reverse();
    // the page's messages by `{mailbox, uid}` equality each, never by a query over the mailbox
    const documents = await findByUids(db, mailbox, wanted.slice(0, page.first), MESSAGE_SUMMARY_PROJECTION, {
      pointReads: page.first,
    });
    return {
      messages: documents.reverse().map(toMessageView),
      hasNextPage: wanted.length > page.first,
      totalCount: plan.uids.length,
    };
  }
  const pageFilter =
    page.beforeUid === undefined
      ? plan.filter
      : mergeConditions(plan.filter, [{ uid: { $lt: page.beforeUid } }]);
  const [documents, totalCount] = await Promise.all([
    db
      .collection('messages')
      .find(pageFilter, { projection: MESSAGE_SUMMARY_PROJECTION })
      .sort({ uid: -1 })
      .limit(page.first + 1)
      .toArray(),
    query.type === 'all'
      ? storedCount(db, mailbox, plan.filter)
      : db.collection('messages').countDocuments(plan.filter),
  ]);
  return {
    messages: documents.slice(0, page.first).map(toMessageView),
    hasNextPage: documents.length > page.first,
    totalCount,
  };
}

/** A whole mailbox's message count: its counter (counters.ts) when it has one, else counted. */
async function storedCount(db: Db, mailbox: ObjectId, filter: Filter<Document>): Promise<number> {
  const box = await db.collection('mailboxes').findOne({ _id: mailbox }, { projection: { messages: 1 } });
  if (box?.messages !== undefined) return toNumber(box.messages);
  return db.collection('messages').countDocuments(filter);
}

/** Message-IDs (`<...>`) named in a References or In-Reply-To value. */
function messageIds(value: string): string[] {
  return value.match(/<[^<>]+>/g) ?? [];
}

/**
 * The conversation of a message, by one query: this user's messages whose Message-ID is named in
 * its References or In-Reply-To, and those whose References or In-Reply-To name its Message-ID or
 * any message it names (so replies to the same original are found too). The message itself is
 * included; oldest first, at most `limit`.
 */
export async function findThreadMessages(
  db: Db,
  user: ObjectId,
  message: Pick<MessageView, '_id' | 'hdr'>,
  limit = 100,
): Promise<MessageView[]> {
  const hdr = message.hdr;
  const own = messageIds(hdr.messageId ?? '');
  const named = [...(hdr.references ?? []), ...messageIds(hdr.inReplyTo ?? '')];
  const ids = [...new Set([...own, ...named])].slice(0, 200);
  if (!ids.length) {
    const self = await findUserMessage(db, user, message._id);
    return self ? [self] : [];
  }
  const documents = await db
    .collection('messages')
    .find(
      {
        user,
        $or: [
          { _id: message._id },
          { 'hdr.messageId': { $in: ids } },
          { 'hdr.references': { $in: ids } },
          { 'hdr.inReplyTo': { $in: ids } },
        ],
      },
      { projection: MESSAGE_SUMMARY_PROJECTION },
    )
    .sort({ internalDate: 1, _id: 1 })
    .limit(limit)
    .toArray();
  return documents.map(toMessageView);
}
