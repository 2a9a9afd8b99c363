import type { Db, ObjectId } from 'mongodb';
import {
  findMailboxAddress,
  findUserByAddress,
  findUserById,
  normalizeAddress,
  toNumber,
  type UserDocument,
} from '@wildduck/store';
import { inboxOf } from './inbox-cache.js';
import { replies } from './replies.js';

/**
 * A recipient on this system: the account whose filters run and whose quota is charged, and the
 * mailbox the keep files into. `kind` says what the address is: one of the account's own
 * (`account`: the keep goes to its INBOX), or the address of a shared mailbox the account owns
 * (`mailbox`, a team inbox: the keep goes to that mailbox).
 */
export interface LocalRecipient {
  /** The address as the client gave it in RCPT TO (used in replies and Delivered-To:). */
  address: string;
  kind: 'account' | 'mailbox';
  user: ObjectId;
  /**
   * Where `keep` and the implicit keep file (a delivery plan's `INBOX`, also the fallback of a
   * failed filter): the account's INBOX, or the team address's shared mailbox.
   */
  keepInto: ObjectId;
  /** The account's own address (the envelope sender of what its filters redirect). */
  account: string;
  /** The user document's stamp of its filters (null: none, and delivery runs none). */
  filtersUpdated: Date | null;
}

/**
 * Looks a recipient up at RCPT time and refuses it there when possible: unknown (550 5.1.1),
 * disabled (550 5.2.1), or over quota (552 5.2.2): already full, or too full for the size the
 * client announced with `MAIL FROM ... SIZE=`. A user's address is looked up first, then a shared
 * mailbox's, whose owner is refused the same way (the mail is theirs to store). A store that cannot
 * be reached throws, which the caller answers 451 4.3.0. Returns null for an address that is not ours.
 */
export async function findLocalRecipient(
  db: Db,
  address: string,
  declaredSize = 0,
): Promise<LocalRecipient | null> {
  const normalized = normalizeAddress(address);
  if (!normalized) return null;
  const user = await findUserByAddress(db, normalized);
  if (user) {
    checkStanding(user, address, declaredSize);
    const inbox = await inboxOf(db, user._id);
    return inbox ? recipientOf(user, address, 'account', inbox) : null;
  }
  // a team address: its mailbox's addresses go with the mailbox (store, message-removal.ts)
  const shared = await findMailboxAddress(db, normalized);
  if (!shared) return null;
  const owner = await findUserById(db, shared.user);
  if (!owner) return null;
  checkStanding(owner, address, declaredSize);
  return recipientOf(owner, address, 'mailbox', shared.mailbox);
}

/** Refuses a disabled account, or one whose quota the message would overrun. */
function checkStanding(user: UserDocument, address: string, declaredSize: number): void {
  if (user.disabled) throw replies.disabledUser(address);
  if (user.quota !== null && user.quota !== undefined) {
    const used = toNumber(user.storageUsed);
    const quota = toNumber(user.quota);
    if (used >= quota || used + declaredSize > quota) throw replies.overQuota(address);
  }
}

function recipientOf(
  user: UserDocument,
  address: string,
  kind: LocalRecipient['kind'],
  keepInto: ObjectId,
): LocalRecipient {
  return {
    address,
    kind,
    user: user._id,
    keepInto,
    account: user.address,
    filtersUpdated: user.filtersUpdated ?? null,
  };
}

/**
 * What one delivery is made for: one account and where its keep goes. Several addresses of one
 * account get one copy, but mail to a user and to a team address the user owns is two deliveries.
 */
export function deliveryKey(recipient: LocalRecipient): string {
  return `${recipient.user.toHexString()}:${recipient.keepInto.toHexString()}`;
}
