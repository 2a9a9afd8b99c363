/**
 * Mailbox writes: create, rename, delete, (un)subscribe. Each stores, journals (the store does)
 * and announces, and answers the store's typed outcome.
 */
import type { ObjectId } from 'mongodb';
import {
  createMailbox as storeCreateMailbox,
  deleteMailboxAndMessages,
  findMailbox,
  findSpecialUseMailbox,
  keepSubscription,
  moveMessages,
  renameMailbox as storeRenameMailbox,
  setSubscribed,
  snapshotMailbox,
  type MailboxDocument,
  type MailboxOutcome,
} from '@wildduck/store';
import { announceAccountChange, announceMailboxChange } from './announce.js';
import type { MailContext } from './mail-context.js';

/** Creates a mailbox (and its missing parents); `specialUse` e.g. `\Archive` (CREATE-SPECIAL-USE). */
export async function createMailbox(
  mail: MailContext,
  user: ObjectId,
  path: string,
  specialUse: string | null = null,
): Promise<MailboxOutcome> {
  const outcome = await storeCreateMailbox(mail.ctx.db, user, path, specialUse, mail.ctx.locks);
  if (!outcome.ok) return outcome;
  await announceAccountChange(mail, user, {
    kind: 'MAILBOX_CREATED',
    path,
    ...(outcome.mailbox ? { mailbox: outcome.mailbox.toHexString() } : {}),
  });
  return outcome;
}

/**
 * Renames a mailbox and its children; the mailbox keeps its id, UIDVALIDITY and messages.
 * Renaming INBOX is special (RFC 3501 6.3.5): its messages move to a new mailbox of the new name,
 * and INBOX stays, empty.
 */
export async function renameMailbox(
  mail: MailContext,
  user: ObjectId,
  from: string,
  to: string,
): Promise<MailboxOutcome> {
  if (from === 'INBOX') return renameInbox(mail, user, to);
  const outcome = await storeRenameMailbox(mail.ctx, user, from, to);
  if (!outcome.ok) return outcome;
  const renamed = outcome.mailbox ? { mailbox: outcome.mailbox.toHexString() } : {};
  await announceAccountChange(mail, user, { kind: 'MAILBOX_RENAMED', path: to, oldPath: from, ...renamed });
  return outcome;
}

async function renameInbox(mail: MailContext, user: ObjectId, to: string): Promise<MailboxOutcome> {
  const created = await storeCreateMailbox(mail.ctx.db, user, to, null, mail.ctx.locks);
  if (!created.ok) return created;
  const inbox = await findMailbox(mail.ctx.db, user, 'INBOX');
  if (!inbox) return { ok: false, code: 'NONEXISTENT' };
  const uids = (await snapshotMailbox(mail.ctx.db, inbox)).uids;
  const moved = await moveMessages(mail.ctx, user, inbox._id!, uids, created.mailbox!);
  if (moved.ok) {
    await announceMailboxChange(mail, user, inbox._id!, moved.sourceModseq ?? 0, 'expunge');
    await announceMailboxChange(mail, user, created.mailbox!, moved.destinationModseq, 'new');
  }
  await announceAccountChange(mail, user, {
    kind: 'MAILBOX_CREATED',
    path: to,
    mailbox: created.mailbox!.toHexString(),
  });
  return { ok: true, mailbox: created.mailbox! };
}

/**
 * Deletes a mailbox with its messages (their storage and parts given back). INBOX cannot be
 * deleted. With `keepSubscribed` (IMAP DELETE: RFC 3501 6.3.4 says deleting does not unsubscribe)
 * a subscribed name stays subscribed; the webmail's delete forgets it with the mailbox.
 */
export async function deleteMailbox(
  mail: MailContext,
  user: ObjectId,
  box: MailboxDocument,
  options: { keepSubscribed?: boolean } = {},
): Promise<MailboxOutcome> {
  if (box.path === 'INBOX') return { ok: false, code: 'CANNOT' };
  if ((await deleteMailboxAndMessages(mail.ctx, user, box._id!)) !== 'deleted')
    return { ok: false, code: 'NONEXISTENT' };
  if (options.keepSubscribed && box.subscribed) await keepSubscription(mail.ctx.db, user, box.path);
  await announceMailboxDeleted(mail, user, box);
  return { ok: true };
}

/**
 * Deletes a mailbox whose messages were just moved away (a folder deleted into Trash), only while
 * it holds none: a message delivered or copied into it meanwhile is never deleted with it, and
 * the caller moves it too and tries again ('not-empty').
 */
export async function deleteEmptiedMailbox(
  mail: MailContext,
  user: ObjectId,
  box: MailboxDocument,
): Promise<'deleted' | 'missing' | 'not-empty'> {
  if (box.path === 'INBOX') return 'not-empty';
  const outcome = await deleteMailboxAndMessages(mail.ctx, user, box._id!, { onlyIfEmpty: true });
  if (outcome === 'deleted') await announceMailboxDeleted(mail, user, box);
  return outcome;
}

function announceMailboxDeleted(mail: MailContext, user: ObjectId, box: MailboxDocument): Promise<void> {
  return announceAccountChange(mail, user, {
    kind: 'MAILBOX_DELETED',
    path: box.path,
    mailbox: box._id!.toHexString(),
  });
}

/** Subscribes or unsubscribes a mailbox name (LSUB, LIST (SUBSCRIBED)). */
export async function setSubscription(
  mail: MailContext,
  user: ObjectId,
  path: string,
  subscribed: boolean,
): Promise<MailboxOutcome> {
  const outcome = await setSubscribed(mail.ctx.db, user, path, subscribed);
  // other instances keep mailbox lists too: they forget this user's on any account event
  if (outcome.ok)
    await announceAccountChange(mail, user, { kind: subscribed ? 'SUBSCRIBED' : 'UNSUBSCRIBED', path });
  return outcome;
}

/**
 * The user's mailbox with this SPECIAL-USE attribute; created under `path` if the user deleted it
 * (Sent for submission, Trash and Drafts for the webmail). Null only when no mailbox could be
 * found or made.
 */
export async function specialUseMailbox(
  mail: MailContext,
  user: ObjectId,
  specialUse: string,
  path: string,
): Promise<ObjectId | null> {
  const existing = await findSpecialUseMailbox(mail.ctx.db, user, specialUse);
  if (existing?._id) return existing._id;
  const created = await createMailbox(mail, user, path, specialUse);
  if (created.ok && created.mailbox) return created.mailbox;
  // made meanwhile by another request, or a plain mailbox of that name is there: use it rather than fail
  return (await findMailbox(mail.ctx.db, user, path))?._id ?? null;
}
