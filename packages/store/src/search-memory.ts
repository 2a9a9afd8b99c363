import type { MatchFields } from './message-list-records.js';
import type { MessageQuery } from './search.js';

/**
 * A search tree decided in memory on a message's search fields (message-list-records.ts), with the
 * same rules as its translation into a store filter (search.ts `searchFilter`), so an answer does
 * not depend on which one served it: texts match as lower-cased substrings of the stored search
 * texts, dates by day in UTC, a header without a search field by its header lines.
 */
export type MessageMatcher = (message: MatchFields) => boolean;

const DAY_MS = 24 * 3600 * 1000;

const indexedHeaderFields: Record<string, string> = {
  from: 'from',
  to: 'to',
  cc: 'cc',
  bcc: 'bcc',
  subject: 'subject',
  'message-id': 'messageId',
  'in-reply-to': 'inReplyTo',
  references: 'references',
};

export function compileMatcher(query: MessageQuery): MessageMatcher {
  switch (query.type) {
    case 'all':
      return () => true;
    case 'none':
    case 'threadId':
      return () => false;
    case 'and': {
      const parts = query.keys.map(compileMatcher);
      return (message) => parts.every((part) => part(message));
    }
    case 'or': {
      const left = compileMatcher(query.left);
      const right = compileMatcher(query.right);
      return (message) => left(message) || right(message);
    }
    case 'not': {
      const key = compileMatcher(query.key);
      return (message) => !key(message);
    }
    case 'uid': {
      const uids = new Set(query.uids);
      return (message) => uids.has(message.uid);
    }
    case 'flag':
      return (message) => message.flags.includes(query.flag) === query.set;
    case 'header':
      return headerMatcher(query.field.toLowerCase(), query.value.toLowerCase());
    case 'body': {
      const needle = query.value.toLowerCase();
      return (message) => message.searchText.includes(needle);
    }
    case 'text': {
      const needle = query.value.toLowerCase();
      return (message) =>
        message.searchText.includes(needle) || message.headerLines.some((line) => line.includes(needle));
    }
    case 'internalDate':
      return dayMatcher((message) => message.internalDate, query.op, query.date);
    case 'sentDate':
      return dayMatcher((message) => message.hdr.sentDay, query.op, query.date);
    case 'saveDate':
      return dayMatcher((message) => message.saved, query.op, query.date);
    case 'size':
      return query.op === 'larger'
        ? (message) => message.size > query.value
        : (message) => message.size < query.value;
    case 'modseq':
      return (message) => message.modseq >= query.modseq;
    case 'internalTime': {
      const time = query.time.getTime();
      return query.op === 'before'
        ? (message) => message.internalDate.getTime() < time
        : (message) => message.internalDate.getTime() >= time;
    }
    case 'hasAttachment':
      return (message) => message.hasAttachments === query.set;
    case 'emailId':
      return (message) => message._id.toHexString() === query.id;
  }
}

/** As search.ts headerFilter: a search field when the header has one, else its header lines. */
function headerMatcher(field: string, needle: string): MessageMatcher {
  const prefix = `${field}:`;
  if (needle === '') return (message) => message.headerLines.some((line) => line.startsWith(prefix));
  const indexed = indexedHeaderFields[field];
  if (indexed) return (message) => (message.hdr.search[indexed] ?? '').includes(needle);
  return (message) =>
    message.headerLines.some((line) => line.startsWith(prefix) && line.indexOf(needle, prefix.length) >= 0);
}

/** As search.ts dateFilter: `date` names a day (midnight UTC); a missing date matches nothing. */
function dayMatcher(
  dateOf: (message: MatchFields) => Date | null,
  op: 'before' | 'on' | 'since',
  date: Date,
): MessageMatcher {
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return (message) => {
    const value = dateOf(message)?.getTime();
    if (value === undefined) return false;
    if (op === 'before') return value < day;
    if (op === 'since') return value >= day;
    return value >= day && value < day + DAY_MS;
  };
}
