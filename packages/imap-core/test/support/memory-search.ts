// Evaluates a SearchQuery against one message of the memory backend, the way a store would
// translate it into a database query.
import type { SearchQuery } from '../../src/backend.js';
import type { IndexedMessage } from './memory-mime.js';

/** The fields of a stored message that SEARCH looks at. */
export interface SearchableMessage {
  uid: number;
  modseq: number;
  flags: readonly string[];
  internalDate: Date;
  raw: Buffer;
  index: IndexedMessage;
}

/** True when the message matches the query. */
export function matchesSearch(message: SearchableMessage, query: SearchQuery): boolean {
  switch (query.type) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'and':
      return query.keys.every((key) => matchesSearch(message, key));
    case 'or':
      return matchesSearch(message, query.left) || matchesSearch(message, query.right);
    case 'not':
      return !matchesSearch(message, query.key);
    case 'uid':
      return query.uids.includes(message.uid);
    case 'flag': {
      const has = message.flags.some((flag) => flag.toLowerCase() === query.flag.toLowerCase());
      return has === query.set;
    }
    case 'header': {
      const values = message.index.headerValues(query.field);
      if (query.value === '') return values.length > 0;
      return values.some((value) => value.toLowerCase().includes(query.value.toLowerCase()));
    }
    case 'body':
      return message.index.bodyText.toLowerCase().includes(query.value.toLowerCase());
    case 'text':
      return message.raw.toString('utf8').toLowerCase().includes(query.value.toLowerCase());
    case 'internalDate':
    case 'saveDate': // saved when appended: the memory backend's save date is the internal date
      return compareDay(message.internalDate, query.op, query.date);
    case 'sentDate':
      return message.index.sentDate !== null && compareDay(message.index.sentDate, query.op, query.date);
    case 'size':
      return query.op === 'larger' ? message.raw.length > query.value : message.raw.length < query.value;
    case 'modseq':
      return message.modseq >= query.modseq;
    case 'emailId':
      // the memory backend's EMAILID is M<mailbox id>-<uid>
      return query.id.endsWith(`-${message.uid}`);
    case 'threadId':
      return false;
    case 'internalTime':
      return query.op === 'before'
        ? message.internalDate.getTime() < query.time.getTime()
        : message.internalDate.getTime() >= query.time.getTime();
  }
}

function compareDay(value: Date, op: 'before' | 'on' | 'since', day: Date): boolean {
  const valueDay = Date.UTC(value.getUTCFullYear(), value.getUTCMonth(), value.getUTCDate());
  const target = day.getTime();
  if (op === 'before') return valueDay < target;
  if (op === 'on') return valueDay === target;
  return valueDay >= target;
}
