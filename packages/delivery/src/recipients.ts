import type { Db, ObjectId } from 'mongodb';
import { findUserByAddress, normalizeAddress, toNumber } from '@wildduck/store';
import { inboxOf } from './inbox-cache.js';
import { replies } from './replies.js';

/** A recipient on this system: the account and its INBOX. */
export interface LocalRecipient {
  /** The address as the client gave it in RCPT TO (used in replies and Delivered-To:). */
  address: string;
  user: ObjectId;
  inbox: ObjectId;
  /** The account's own address (the envelope sender of what its filters redirect). */
  account: string;
  /** The user document's stamp of its filters (null: none, and delivery runs none). */
  filtersUpdated: Date | null;
}

/**
 * Looks a recipient up at RCPT time and refuses it there when possible: unknown (550 5.1.1),
 * disabled (550 5.2.1), or over quota (552 5.2.2): already full, or too full for the size the
 * client announced with `MAIL FROM ... SIZE=`. A store that cannot be reached throws, which the
 * caller answers 451 4.3.0. Returns null for an address that is not ours.
 */
export async function findLocalRecipient(
  db: Db,
  address: string,
  declaredSize = 0,
): Promise<LocalRecipient | null> {
  const normalized = normalizeAddress(address);
  if (!normalized) return null;
  const user = await findUserByAddress(db, normalized);
  if (!user) return null;
  if (user.disabled) throw replies.disabledUser(address);
  if (user.quota !== null && user.quota !== undefined) {
    const used = toNumber(user.storageUsed);
    const quota = toNumber(user.quota);
    if (used >= quota || used + declaredSize > quota) throw replies.overQuota(address);
  }
  const inbox = await inboxOf(db, user._id);
  if (!inbox) return null;
  return {
    address,
    user: user._id,
    inbox,
    account: user.address,
    filtersUpdated: user.filtersUpdated ?? null,
  };
}
