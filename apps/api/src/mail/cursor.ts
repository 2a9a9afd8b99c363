/** Opaque page cursors of a mailbox's message list: base64url of the last UID shown. */

/** The cursor after a message with this UID. */
export function encodeMessageCursor(uid: number): string {
  return Buffer.from(String(uid), 'utf8').toString('base64url');
}

/** The UID a cursor stands for, or null when it is no cursor of ours. */
export function decodeMessageCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,16}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const uid = Number(text);
  return uid <= 0xffffffff ? uid : null;
}
