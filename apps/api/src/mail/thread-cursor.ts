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

/** Thread ids: base64url of the UID of the conversation's oldest message. */
export function encodeThreadId(rootUid: number): string {
  return Buffer.from(`r${rootUid}`, 'utf8').toString('base64url');
}

export function decodeThreadId(id: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,20}$/.test(id)) return null;
  const match = /^r([1-9]\d{0,9})$/.exec(Buffer.from(id, 'base64url').toString('utf8'));
  const uid = match ? Number(match[1]) : null;
  return uid !== null && uid <= 0xffffffff ? uid : null;
}
