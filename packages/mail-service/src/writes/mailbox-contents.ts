/**
 * Whole-mailbox message writes: move everything a mailbox holds into another (deleting a folder to
 * Trash), or delete everything for good (emptying Trash or Junk). Both go in batches, each stored,
 * journalled and announced on its own, so IMAP sessions see progress and no lock is held for long.
 */
import type { ObjectId } from 'mongodb';
import { findRemovable, removeMessages, snapshotMailbox, type MailboxDocument } from '@wildduck/store';
import { announceMailboxChange } from './announce.js';
import type { MailContext } from './mail-context.js';
import { transferMessages, type MailUser } from './messages.js';

/** Messages per announced step: the store works in smaller batches of its own within one. */
const STEP = 500;

/** Moves every message of `source` into `target`; answers how many moved. */
export async function moveAllMessages(
  mail: MailContext,
  user: MailUser,
  source: MailboxDocument,
  target: MailboxDocument,
): Promise<number> {
  const { uids } = await snapshotMailbox(mail.ctx.db, source);
  let moved = 0;
  for (let start = 0; start < uids.length; start += STEP) {
    const outcome = await transferMessages(
      mail,
      user,
      'move',
      source,
      uids.slice(start, start + STEP),
      target,
    );
    if (!outcome.ok) throw new Error(`moving messages of ${source.path} failed: ${outcome.code}`);
    moved += outcome.mapping.length;
  }
  return moved;
}

/**
 * Deletes every message of a mailbox for good: EXPUNGE journalled, storage given back and parts
 * released as EXPUNGE does (store/message-removal.ts). Answers how many were deleted.
 */
export async function removeAllMessages(
  mail: MailContext,
  user: ObjectId,
  mailbox: ObjectId,
): Promise<number> {
  const messages = await findRemovable(mail.ctx.db, { mailbox });
  let removed = 0;
  for (let start = 0; start < messages.length; start += STEP) {
    const uids = await removeMessages(mail.ctx, user, mailbox, messages.slice(start, start + STEP));
    if (uids.length) await announceMailboxChange(mail, user, mailbox, 0, 'expunge');
    removed += uids.length;
  }
  return removed;
}
