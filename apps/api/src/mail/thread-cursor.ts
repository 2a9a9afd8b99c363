/**
 * Opaque page cursors of a mailbox's conversation list: base64url of where the last conversation
 * shown sits in the order (its newest message's arrival time and UID), so a page after a change
 * still continues after it instead of at a shifted position.
 */

export interface ThreadPosition {
  latestDate: number;
  latestUid: number;
}

export function encodeThreadCursor(position: ThreadPosition): string {
  return Buffer.from(`t${position.latestDate}.${position.latestUid}`, 'utf8').toString('base64url');
}

/** The position a cursor stands for, or null when it is no cursor of this list. */
export function decodeThreadCursor(cursor: string): ThreadPosition | null {
  if (!/^[A-Za-z0-9_-]{1,48}$/.test(cursor)) return null;
  const match = /^t(-?\d{1,16})\.([1-9]\d{0,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return null;
  const latestDate = Number(match[1]);
  const latestUid = Number(match[2]);
  if (!Number.isSafeInteger(latestDate) || latestUid > 0xffffffff) return null;
  return { latestDate, latestUid };
}

/** Thread ids: base64url of the conversation's key (mail-service Conversation.key). */
export function encodeThreadId(key: string): string {
  return Buffer.from(`k${key}`, 'utf8').toString('base64url');
}

/** Longest key an id carries: Message-IDs are short in practice; RFC 5322 lines end at 998. */
const MAX_KEY = 998;

/** The conversation key an id names, or null when it is no thread id. */
export function decodeThreadId(id: string): string | null {
  if (id.length > Math.ceil(((MAX_KEY + 1) * 4) / 3) || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  // ids of before the keys named the oldest message's UID: `r<UID>`
  const byUid = /^r([1-9]\d{0,9})$/.exec(text);
  if (byUid) return Number(byUid[1]) <= 0xffffffff ? `uid:${byUid[1]}` : null;
  return text.startsWith('k') && text.length > 1 ? text.slice(1) : null;
}
