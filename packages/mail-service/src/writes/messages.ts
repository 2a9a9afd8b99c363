/**
 * Message writes: store, flag, copy or move, expunge, remove. Each stores and journals through
 * the store, shows the change to this process's views, announces it, and answers the store's
 * typed outcome.
 */
import type { Readable } from 'node:stream';
import type { ObjectId } from 'mongodb';
import {
  appendMessage,
  copyMessages,
  expungeDeleted,
  findRemovable,
  finishWrite,
  moveMessages,
  removeMessages,
  toNumber,
  updateFlags,
  type AppendOptions,
  type AppendOutcome,
  type FlagUpdate,
  type FlagUpdateResult,
  type MailboxDocument,
  type TransferOutcome,
} from '@wildduck/store';
import { announceMailboxChange } from './announce.js';
import type { MailContext } from './mail-context.js';

/** A user as the writes that report on them need it (the SPAM / NOT_SPAM reports name the address). */
export interface MailUser {
  id: ObjectId;
  address: string;
}

/** Stores one message in a mailbox and announces it (a delivered copy, a draft, a report). */
export async function storeMessage(
  mail: MailContext,
  user: ObjectId,
  mailbox: ObjectId,
  source: Readable,
  options: AppendOptions = {},
): Promise<AppendOutcome> {
  const outcome = await appendMessage(mail.ctx, user, mailbox, source, options);
  if (outcome.ok) await announceMailboxChange(mail, user, mailbox, outcome.modseq, 'new');
  return outcome;
}

/**
 * Removes the named messages of one mailbox (their storage and parts given back, EXPUNGE
 * journalled) and announces it. Returns the UIDs removed; a message already gone is skipped.
 */
export async function removeMessagesById(
  mail: MailContext,
  user: ObjectId,
  mailbox: ObjectId,
  ids: readonly ObjectId[],
): Promise<number[]> {
  if (!ids.length) return [];
  // one id is a top-level equality, which FerretDB answers from its index ($in is not pushed down)
  const filter = ids.length === 1 ? { _id: ids[0], mailbox } : { _id: { $in: [...ids] }, mailbox };
  // also the take-back of copies a failed delivery or APPEND stored: read through a store outage
  // (retried until the store answers), so the copies a client was told are not kept do not stay
  const removable = await finishWrite(() => findRemovable(mail.ctx.db, filter));
  const removed = await removeMessages(mail.ctx, user, mailbox, removable);
  if (removed.length) await announceMailboxChange(mail, user, mailbox, 0, 'expunge');
  return removed;
}

/**
 * Changes flags of messages in one mailbox. A CONDSTORE UNCHANGEDSINCE that a message this
 * process's view shows changed later has certainly failed (MODSEQs only grow): only the others
 * need the store's check, made under the lock.
 */
export async function setFlags(
  mail: MailContext,
  user: ObjectId,
  mailbox: ObjectId,
  uids: readonly number[],
  update: FlagUpdate,
): Promise<FlagUpdateResult> {
  const view = mail.local?.views?.peek(user.toHexString(), mailbox.toHexString());
  const failed =
    view && update.unchangedSince !== undefined ? view.changedAfter(uids, update.unchangedSince) : [];
  const rest = failed.length ? uids.filter((uid) => !failed.includes(uid)) : uids;
  const result = rest.length
    ? await updateFlags(mail.ctx, user, mailbox, rest, update)
    : { updated: [], modified: [] };
  const changed = result.updated.filter((entry) => entry.changed);
  view?.applyOwnFlagChanges(changed);
  if (changed.length)
    await announceMailboxChange(
      mail,
      user,
      mailbox,
      Math.max(...changed.map((entry) => entry.modseq)),
      'flags',
    );
  if (!failed.length) return result;
  return { updated: result.updated, modified: [...result.modified, ...failed].sort((a, b) => a - b) };
}

/**
 * Copies or moves messages into another mailbox of the user (moved messages keep their ids),
 * announces both sides, and reports a transfer into or out of Junk (SPAM / NOT_SPAM). A COPY into
 * Junk counts too: clients that cannot MOVE copy, then delete and expunge.
 */
export async function transferMessages(
  mail: MailContext,
  user: MailUser,
  how: 'copy' | 'move',
  source: MailboxDocument,
  uids: readonly number[],
  target: MailboxDocument,
): Promise<TransferOutcome> {
  const outcome =
    how === 'copy'
      ? await copyMessages(mail.ctx, user.id, source._id!, uids, target._id!)
      : await moveMessages(mail.ctx, user.id, source._id!, uids, target._id!);
  if (!outcome.ok || !outcome.mapping.length) return outcome;
  await announceMailboxChange(mail, user.id, target._id!, outcome.destinationModseq, 'new');
  if (how === 'move')
    await announceMailboxChange(mail, user.id, source._id!, outcome.sourceModseq ?? 0, 'expunge');
  // stored before the command is answered: an acknowledged move into Junk is always reported
  await mail.junkReporter?.afterTransfer(
    user,
    reportMailbox(source),
    reportMailbox(target),
    outcome.mapping.map(([, targetUid]) => targetUid),
  );
  return outcome;
}

/** EXPUNGE (all \Deleted messages) or UID EXPUNGE (those of `uids`); the UIDs removed. */
export async function expungeMessages(
  mail: MailContext,
  user: ObjectId,
  mailbox: ObjectId,
  uids?: readonly number[],
): Promise<number[]> {
  const removed = await expungeDeleted(mail.ctx, user, mailbox, uids);
  if (removed.length) await announceMailboxChange(mail, user, mailbox, 0, 'expunge');
  return removed;
}

function reportMailbox(box: MailboxDocument) {
  return {
    _id: box._id!,
    path: box.path,
    specialUse: box.specialUse,
    uidValidity: toNumber(box.uidValidity),
  };
}
