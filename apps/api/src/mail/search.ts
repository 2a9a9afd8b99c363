import type { MessageQuery } from '@wildduck/store';
import { invalidInput } from '../failures.js';

/** The MessageSearch input of the GraphQL schema. */
export interface MessageSearchInput {
  text?: string | null;
  from?: string | null;
  to?: string | null;
  subject?: string | null;
  unseen?: boolean | null;
  flagged?: boolean | null;
  hasAttachment?: boolean | null;
  since?: Date | null;
  before?: Date | null;
}

/** Longest search text accepted (the stored search texts are cut at about this much per field). */
const MAX_SEARCH_TEXT = 1000;

/**
 * Translates the webmail search into the store's SEARCH tree (the same engine as IMAP SEARCH):
 * every given field is one key, all ANDed. Blank texts are ignored; too long ones are refused.
 */
export function toMessageQuery(search: MessageSearchInput | null | undefined): MessageQuery {
  if (!search) return { type: 'all' };
  const keys: MessageQuery[] = [];
  const text = (field: 'text' | 'from' | 'to' | 'subject'): string | null => {
    const value = search[field];
    if (value === null || value === undefined) return null;
    const trimmed = value.trim();
    if (trimmed.length > MAX_SEARCH_TEXT)
      throw invalidInput(`search.${field} is longer than ${MAX_SEARCH_TEXT} characters`, `search.${field}`);
    return trimmed || null;
  };
  const anywhere = text('text');
  if (anywhere) keys.push({ type: 'text', value: anywhere });
  for (const field of ['from', 'to', 'subject'] as const) {
    const value = text(field);
    if (value) keys.push({ type: 'header', field, value });
  }
  if (typeof search.unseen === 'boolean') keys.push({ type: 'flag', flag: '\\Seen', set: !search.unseen });
  if (typeof search.flagged === 'boolean')
    keys.push({ type: 'flag', flag: '\\Flagged', set: search.flagged });
  if (typeof search.hasAttachment === 'boolean')
    keys.push({ type: 'hasAttachment', set: search.hasAttachment });
  if (search.since) keys.push({ type: 'internalDate', op: 'since', date: search.since });
  if (search.before) keys.push({ type: 'internalDate', op: 'before', date: search.before });
  return keys.length ? { type: 'and', keys } : { type: 'all' };
}
