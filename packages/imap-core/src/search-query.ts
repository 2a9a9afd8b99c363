// Turns the parser's SEARCH key tree into the backend's SearchQuery: sequence numbers become
// UIDs of the client's view, `\Recent`-based keys are resolved (there is no `\Recent`).
import type { SearchQuery } from './backend.js';
import type { CalendarDate, SearchKey } from './parser/types.js';
import type { SelectedMailbox } from './selected-mailbox.js';
import { uidsForSet } from './sequence-set.js';

/** The backend query for the top-level keys of a SEARCH (all must match). */
export function toSearchQuery(keys: readonly SearchKey[], mailbox: SelectedMailbox): SearchQuery {
  if (keys.length === 1) return toQuery(keys[0] as SearchKey, mailbox);
  return { type: 'and', keys: keys.map((key) => toQuery(key, mailbox)) };
}

const FLAG_KEYS: Readonly<Record<string, [string, boolean]>> = {
  ANSWERED: ['\\Answered', true],
  DELETED: ['\\Deleted', true],
  DRAFT: ['\\Draft', true],
  FLAGGED: ['\\Flagged', true],
  SEEN: ['\\Seen', true],
  UNANSWERED: ['\\Answered', false],
  UNDELETED: ['\\Deleted', false],
  UNDRAFT: ['\\Draft', false],
  UNFLAGGED: ['\\Flagged', false],
  UNSEEN: ['\\Seen', false],
};

function toQuery(key: SearchKey, mailbox: SelectedMailbox): SearchQuery {
  switch (key.key) {
    case 'ALL':
    case 'OLD': // OLD is "not RECENT", and nothing is recent.
      return { type: 'all' };
    case 'NEW': // NEW is "RECENT UNSEEN".
    case 'RECENT':
      return { type: 'none' };
    case 'SAVEDATESUPPORTED': // RFC 8514: a backend answers SAVEDATE for every mailbox
      return { type: 'all' };
    case 'ANSWERED':
    case 'DELETED':
    case 'DRAFT':
    case 'FLAGGED':
    case 'SEEN':
    case 'UNANSWERED':
    case 'UNDELETED':
    case 'UNDRAFT':
    case 'UNFLAGGED':
    case 'UNSEEN': {
      const [flag, set] = FLAG_KEYS[key.key] as [string, boolean];
      return { type: 'flag', flag, set };
    }
    case 'KEYWORD':
    case 'UNKEYWORD':
      return { type: 'flag', flag: key.flag, set: key.key === 'KEYWORD' };
    case 'BCC':
    case 'CC':
    case 'FROM':
    case 'SUBJECT':
    case 'TO':
      return { type: 'header', field: key.key.toLowerCase(), value: key.value };
    case 'HEADER':
      return { type: 'header', field: key.field.toLowerCase(), value: key.value };
    case 'BODY':
      return { type: 'body', value: key.value };
    case 'TEXT':
      return { type: 'text', value: key.value };
    case 'BEFORE':
    case 'ON':
    case 'SINCE':
      return { type: 'internalDate', op: dateOp(key.key), date: utcDay(key.date) };
    case 'SENTBEFORE':
    case 'SENTON':
    case 'SENTSINCE':
      return { type: 'sentDate', op: dateOp(key.key.slice(4)), date: utcDay(key.date) };
    case 'SAVEDBEFORE':
    case 'SAVEDON':
    case 'SAVEDSINCE':
      return { type: 'saveDate', op: dateOp(key.key.slice(5)), date: utcDay(key.date) };
    case 'LARGER':
      return { type: 'size', op: 'larger', value: key.size };
    case 'SMALLER':
      return { type: 'size', op: 'smaller', value: key.size };
    case 'UID':
      return { type: 'uid', uids: uidsForSet(key.set, true, mailbox) };
    case 'SEQUENCE':
      return { type: 'uid', uids: uidsForSet(key.set, false, mailbox) };
    case 'NOT':
      return { type: 'not', key: toQuery(key.operand, mailbox) };
    case 'OR':
      return { type: 'or', left: toQuery(key.left, mailbox), right: toQuery(key.right, mailbox) };
    case 'AND':
      return { type: 'and', keys: key.operands.map((operand) => toQuery(operand, mailbox)) };
    case 'MODSEQ':
      return { type: 'modseq', modseq: key.modSeq };
    case 'OLDER':
    case 'YOUNGER': {
      // RFC 5032: an interval in seconds back from the time of the command
      const time = new Date(Date.now() - key.seconds * 1000);
      return { type: 'internalTime', op: key.key === 'OLDER' ? 'before' : 'since', time };
    }
    case 'EMAILID':
      return { type: 'emailId', id: key.id };
    case 'THREADID':
      return { type: 'threadId', id: key.id };
  }
}

/** True when the key tree has a MODSEQ key (the response then carries `(MODSEQ n)`). */
export function usesModseq(keys: readonly SearchKey[]): boolean {
  return keys.some((key) => {
    if (key.key === 'MODSEQ') return true;
    if (key.key === 'NOT') return usesModseq([key.operand]);
    if (key.key === 'OR') return usesModseq([key.left, key.right]);
    if (key.key === 'AND') return usesModseq(key.operands);
    return false;
  });
}

function dateOp(name: string): 'before' | 'on' | 'since' {
  if (name === 'BEFORE') return 'before';
  if (name === 'ON') return 'on';
  return 'since';
}

function utcDay(date: CalendarDate): Date {
  return new Date(Date.UTC(date.year, date.month - 1, date.day));
}
