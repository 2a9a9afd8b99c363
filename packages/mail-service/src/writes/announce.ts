/**
 * The one place a stored change is announced: to this process's views and lists first (so the
 * command that made the change sees it), then on the change bus (every other session, instance
 * and GraphQL subscriber). The journal is the truth; a lost publish is caught up by the next
 * reader, so a publish that fails never fails the write that was already stored.
 */
import type { ObjectId } from 'mongodb';
import type { MailboxChangeKind } from '@wildduck/change-bus';
import type { MailContext } from './mail-context.js';

/** Account changes subscribers are told of (the ChangeType enum of the API names them too). */
export type AccountChangeKind =
  | 'MAILBOX_CREATED'
  | 'MAILBOX_RENAMED'
  | 'MAILBOX_DELETED'
  | 'SUBSCRIBED'
  | 'UNSUBSCRIBED'
  | 'SPAM'
  | 'NOT_SPAM';

export interface AccountChange {
  kind: AccountChangeKind;
  path: string;
  oldPath?: string;
  mailbox?: string;
  uid?: number;
  message?: string;
}

/**
 * "Mailbox M of user U changed up to MODSEQ N" (0: look now, as after an expunge, whose journal
 * entries carry MODSEQs of their own).
 */
export async function announceMailboxChange(
  mail: MailContext,
  user: ObjectId,
  mailbox: ObjectId,
  modseq: number,
  change?: MailboxChangeKind,
): Promise<void> {
  const userId = user.toHexString();
  const mailboxId = mailbox.toHexString();
  mail.local?.onMailboxWrite?.(userId, mailboxId);
  // every view of the mailbox here (the owner's, and readers' of a shared one) must show the write
  // before the command completes
  const views = mail.local?.views?.viewsOf(mailboxId) ?? [];
  await Promise.all(
    views
      .filter((view) => !(modseq > 0 && modseq <= view.position))
      .map((view) => view.catchUp(modseq).catch(() => {})),
  );
  await mail.bus
    .publish({ type: 'mailbox', user: userId, mailbox: mailboxId, modseq, ...(change ? { change } : {}) })
    .catch(() => {});
}

/** The user's mailbox list or account changed; other instances forget their copy of the list. */
export async function announceAccountChange(
  mail: MailContext,
  user: ObjectId,
  change: AccountChange,
): Promise<void> {
  const userId = user.toHexString();
  // this session's next LIST must show the change, before the bus brings it back
  mail.local?.lists?.invalidate(userId);
  await mail.bus.publish({ type: 'account', user: userId, ...change }).catch(() => {});
}
