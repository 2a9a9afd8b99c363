import type { Db, ObjectId } from 'mongodb';
import { toNumber } from './ids.js';
import { findByUids } from './message-lookup.js';

/** What moving messages between two mailboxes says about them. */
export type JunkVerdict = 'SPAM' | 'NOT_SPAM';

/**
 * Into Junk (from anywhere else) reports spam; out of Junk into any mailbox but Trash reports
 * not-spam. Junk to Trash is only deleting spam, and a transfer within Junk says nothing.
 */
export function junkVerdict(
  sourceSpecialUse: string | null,
  targetSpecialUse: string | null,
): JunkVerdict | null {
  const fromJunk = sourceSpecialUse === '\\Junk';
  const toJunk = targetSpecialUse === '\\Junk';
  if (toJunk && !fromJunk) return 'SPAM';
  if (fromJunk && !toJunk && targetSpecialUse !== '\\Trash') return 'NOT_SPAM';
  return null;
}

/** The facts of a reported message a spam filter needs to find and learn from it. */
export interface ReportedMessage {
  id: ObjectId;
  uid: number;
  size: number;
  messageId: string;
  from: string;
  subject: string;
}

/** Reads the reported messages (by their UIDs in the mailbox they are now in). */
export async function reportedMessages(
  db: Db,
  mailbox: ObjectId,
  uids: readonly number[],
): Promise<ReportedMessage[]> {
  const documents = await findByUids(db, mailbox, uids, { size: 1, hdr: 1 });
  return documents.map((document) => ({
    id: document._id,
    uid: toNumber(document.uid),
    size: toNumber(document.size),
    messageId: String(document.hdr?.messageId ?? ''),
    from: String(document.hdr?.from?.[0]?.address ?? ''),
    subject: String(document.hdr?.subject ?? ''),
  }));
}
