/**
 * SEARCH answered from a mailbox view: every key that is not about text (flags, keywords, UID and
 * sequence sets, sizes, internal dates, MODSEQ, and AND/OR/NOT of them) is decided in memory, with
 * the same rules as the store's query translation (packages/store/src/search.ts), so the answer
 * does not depend on which one served it.
 */
import type { MessageQuery } from '@wildduck/store';
import type { MailboxView, ViewMessage } from './mailbox-view.js';

type Predicate = (message: ViewMessage) => boolean;

const DAY_MS = 24 * 3600 * 1000;

/** UIDs (ascending) of the view's messages matching `query`; null when a key needs the message text. */
export function searchView(view: MailboxView, query: MessageQuery): number[] | null {
  const matches = compile(query);
  if (!matches) return null;
  const uids: number[] = [];
  for (const message of view.all()) if (matches(message)) uids.push(message.uid);
  return uids;
}

/** True when the view can answer `query` without the store. */
export function viewCanSearch(query: MessageQuery): boolean {
  return compile(query) !== null;
}

function compile(query: MessageQuery): Predicate | null {
  switch (query.type) {
    case 'all':
      return () => true;
    case 'none':
      return () => false;
    case 'and': {
      const parts = query.keys.map(compile);
      if (parts.some((part) => part === null)) return null;
      const all = parts as Predicate[];
      return (message) => all.every((part) => part(message));
    }
    case 'or': {
      const left = compile(query.left);
      const right = compile(query.right);
      return left && right ? (message) => left(message) || right(message) : null;
    }
    case 'not': {
      const inner = compile(query.key);
      return inner ? (message) => !inner(message) : null;
    }
    case 'uid': {
      const wanted = new Set(query.uids);
      return (message) => wanted.has(message.uid);
    }
    case 'flag': {
      const has = flagTest(query.flag);
      return query.set ? has : (message) => !has(message);
    }
    case 'internalDate': {
      const day = Date.UTC(query.date.getUTCFullYear(), query.date.getUTCMonth(), query.date.getUTCDate());
      if (query.op === 'before') return (message) => message.internalDate < day;
      if (query.op === 'since') return (message) => message.internalDate >= day;
      return (message) => message.internalDate >= day && message.internalDate < day + DAY_MS;
    }
    case 'size':
      return query.op === 'larger'
        ? (message) => message.size > query.value
        : (message) => message.size < query.value;
    case 'modseq':
      return (message) => message.modseq >= query.modseq;
    case 'internalTime': {
      const time = query.time.getTime();
      return query.op === 'before'
        ? (message) => message.internalDate < time
        : (message) => message.internalDate >= time;
    }
    case 'header':
    case 'body':
    case 'text':
    case 'sentDate':
    case 'saveDate':
    case 'hasAttachment':
    case 'emailId':
      // text, sent and save dates, attachments and EMAILID (the message document's id) are not in the view
      return null;
    case 'threadId':
      // no thread ids are kept: THREADID is NIL, and no message matches one
      return () => false;
  }
}

/** Flags are stored in canonical case (system flags) or as given (keywords), and matched exactly. */
function flagTest(flag: string): Predicate {
  return (message) => message.flags.includes(flag);
}
