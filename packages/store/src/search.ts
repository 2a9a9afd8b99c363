import { ObjectId, type Document, type Filter } from 'mongodb';

/**
 * A SEARCH criterion tree (RFC 3501 6.4.4) with sequence numbers already turned into UIDs. It has
 * the same shape as the IMAP core's `SearchQuery`, so the mail server passes that straight through;
 * the GraphQL API builds the same tree for webmail search.
 */
export type MessageQuery =
  | { readonly type: 'all' }
  | { readonly type: 'none' }
  | { readonly type: 'and'; readonly keys: readonly MessageQuery[] }
  | { readonly type: 'or'; readonly left: MessageQuery; readonly right: MessageQuery }
  | { readonly type: 'not'; readonly key: MessageQuery }
  | { readonly type: 'uid'; readonly uids: readonly number[] }
  | { readonly type: 'flag'; readonly flag: string; readonly set: boolean }
  | { readonly type: 'header'; readonly field: string; readonly value: string }
  | { readonly type: 'body' | 'text'; readonly value: string }
  | {
      /** `saveDate`: when saved into the mailbox (IMAP SAVEDATE, read.ts `savedAt`). */
      readonly type: 'internalDate' | 'sentDate' | 'saveDate';
      readonly op: 'before' | 'on' | 'since';
      readonly date: Date;
    }
  | { readonly type: 'size'; readonly op: 'larger' | 'smaller'; readonly value: number }
  | { readonly type: 'modseq'; readonly modseq: number }
  /** WITHIN (RFC 5032 OLDER/YOUNGER): internal date before, or at or after, an instant. */
  | { readonly type: 'internalTime'; readonly op: 'before' | 'since'; readonly time: Date }
  /** Webmail only (IMAP has no such key): the message has (or has not) an attachment. */
  | { readonly type: 'hasAttachment'; readonly set: boolean }
  /** IMAP OBJECTID (RFC 8474): the message with this id (EMAILID); no thread ids are kept (THREADID). */
  | { readonly type: 'emailId' | 'threadId'; readonly id: string };

/** Header fields with a dedicated, decoded search field in the message document (`hdr.search.*`). */
const indexedHeaderFields: Record<string, string> = {
  from: 'hdr.search.from',
  to: 'hdr.search.to',
  cc: 'hdr.search.cc',
  bcc: 'hdr.search.bcc',
  subject: 'hdr.search.subject',
  'message-id': 'hdr.search.messageId',
  'in-reply-to': 'hdr.search.inReplyTo',
  references: 'hdr.search.references',
};

const DAY_MS = 24 * 3600 * 1000;

/**
 * Translates a search tree into one MongoDB filter over the messages collection or the search
 * collection (search-index.ts: same field paths), scoped to the mailbox (and so to its owner). Every key becomes a query operator; BODY and TEXT match the
 * decoded text the store extracted at delivery (`searchText`), never the stored bodies themselves.
 *
 * The shape matters on FerretDB 1.24 (shared/ferretdb-notes.md): only top-level, dot-free keys with
 * a scalar value are pushed down to SQL, and a filter wrapped in `{$and: [...]}` gets no pushdown at
 * all. So `mailbox` is always a plain top-level equality (with `user` beside it when the caller
 * knows it), the criteria of an AND are merged into the top level as long as their keys do not
 * collide (`uid: 5`, `flags: '\\Seen'` and `hasAttachments: true` are then pushed too), and only
 * what collides goes into an `$and` below the top-level `mailbox`.
 */
export function searchFilter(mailbox: ObjectId, query: MessageQuery, user?: ObjectId): Filter<Document> {
  const top: Document = user ? { mailbox, user } : { mailbox };
  return mergeConditions(top, conjuncts(translate(query)));
}

/**
 * Adds conditions to a filter: each one whose keys are all new goes into the top level, the rest
 * into one `$and` beside them. A condition that is itself an `$and` is first split into its parts.
 */
export function mergeConditions(base: Document, conditions: readonly Filter<Document>[]): Filter<Document> {
  const top: Document = { ...base };
  const rest: Filter<Document>[] = [];
  for (const condition of conditions.flatMap(conjuncts)) {
    const keys = Object.keys(condition);
    if (!keys.length) continue;
    if (keys.every((key) => key !== '$and' && !(key in top))) Object.assign(top, condition);
    else rest.push(condition);
  }
  if (rest.length) top.$and = [...((top.$and as Filter<Document>[] | undefined) ?? []), ...rest];
  return top;
}

/** The parts of a condition that must all hold: an `$and` (with no other key) is split, `{}` is none. */
function conjuncts(condition: Filter<Document>): Filter<Document>[] {
  const keys = Object.keys(condition);
  if (!keys.length) return [];
  if (keys.length === 1 && keys[0] === '$and')
    return (condition.$and as Filter<Document>[]).flatMap(conjuncts);
  return [condition];
}

function translate(query: MessageQuery): Filter<Document> {
  switch (query.type) {
    case 'all':
      return {};
    case 'none':
      return { uid: { $lt: 0 } };
    case 'and': {
      const parts = query.keys.map(translate).filter((part) => Object.keys(part).length);
      return parts.length === 0 ? {} : parts.length === 1 ? parts[0]! : { $and: parts };
    }
    case 'or':
      return { $or: [orAll(translate(query.left)), orAll(translate(query.right))] };
    case 'not':
      return { $nor: [orAll(translate(query.key))] };
    case 'uid':
      return uidFilter(query.uids);
    case 'flag':
      return query.set ? { flags: query.flag } : { flags: { $ne: query.flag } };
    case 'header':
      return headerFilter(query.field.toLowerCase(), query.value);
    case 'body':
      return { searchText: containing(query.value) };
    case 'text':
      return {
        $or: [{ searchText: containing(query.value) }, { headerLines: containing(query.value) }],
      };
    case 'internalDate':
      return dateFilter('internalDate', query.op, query.date);
    case 'sentDate':
      // the day written in the Date header, whatever its time and zone (search-fields.ts)
      return dateFilter('hdr.sentDay', query.op, query.date);
    case 'saveDate':
      // `saved` (search documents have it, as do copied and moved messages); else, in older
      // documents, when the message was stored, else its internal date (read.ts savedAt)
      return {
        $or: [
          dateFilter('saved', query.op, query.date),
          { saved: { $exists: false }, ...dateFilter('created', query.op, query.date) },
          {
            saved: { $exists: false },
            created: { $exists: false },
            ...dateFilter('internalDate', query.op, query.date),
          },
        ],
      };
    case 'size':
      return { size: query.op === 'larger' ? { $gt: query.value } : { $lt: query.value } };
    case 'modseq':
      return { modseq: { $gte: query.modseq } };
    case 'internalTime':
      return { internalDate: query.op === 'before' ? { $lt: query.time } : { $gte: query.time } };
    case 'hasAttachment':
      return query.set ? { hasAttachments: true } : { hasAttachments: { $ne: true } };
    case 'emailId': {
      // a search document has its message's _id; an id that is no ObjectId names no message
      const id = /^[0-9a-f]{24}$/.test(query.id) ? new ObjectId(query.id) : null;
      return id ? { _id: id } : { uid: { $lt: 0 } };
    }
    case 'threadId':
      return { uid: { $lt: 0 } };
  }
}

/** `{}` matches everything; inside $or/$nor it must stay a real condition. */
function orAll(condition: Filter<Document>): Filter<Document> {
  return Object.keys(condition).length ? condition : { uid: { $gte: 0 } };
}

/**
 * Any other header field matches the message's `headerLines` ("name: value", lower-cased) by a
 * regular expression per array element: FerretDB 1.24 cannot `$elemMatch` on sub-document fields.
 */
function headerFilter(field: string, value: string): Filter<Document> {
  const indexed = indexedHeaderFields[field];
  const name = escapeRegex(field);
  if (value === '') return { headerLines: { $regex: `^${name}:` } };
  if (indexed) return { [indexed]: containing(value) };
  return { headerLines: { $regex: `^${name}:.*${escapeRegex(value.toLowerCase())}` } };
}

/** Case-insensitive substring match: the stored search texts are lower-cased, so is the needle. */
function containing(value: string): { $regex: string } {
  return { $regex: escapeRegex(value.toLowerCase()) };
}

/** Dates compare by day, ignoring time and zone (RFC 3501): `date` is midnight UTC of that day. */
function dateFilter(field: string, op: 'before' | 'on' | 'since', date: Date): Filter<Document> {
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (op === 'before') return { [field]: { $lt: new Date(day) } };
  if (op === 'since') return { [field]: { $gte: new Date(day) } };
  return { [field]: { $gte: new Date(day), $lt: new Date(day + DAY_MS) } };
}

/** UID lists become ranges, so `1:100000` is one condition, not a hundred thousand. */
function uidFilter(uids: readonly number[]): Filter<Document> {
  if (!uids.length) return { uid: { $lt: 0 } };
  const sorted = [...uids].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const uid of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && uid <= last[1] + 1) last[1] = Math.max(last[1], uid);
    else ranges.push([uid, uid]);
  }
  const singles = ranges.filter(([from, to]) => from === to).map(([from]) => from);
  const spans = ranges
    .filter(([from, to]) => from !== to)
    .map(([from, to]) => ({ uid: { $gte: from, $lte: to } }));
  const conditions: Filter<Document>[] = [...spans];
  // one UID is a plain equality: FerretDB pushes `{uid: N}` to SQL, never `$in`
  if (singles.length === 1) conditions.push({ uid: singles[0]! });
  else if (singles.length) conditions.push({ uid: { $in: singles } });
  return conditions.length === 1 ? conditions[0]! : { $or: conditions };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
