/**
 * One action on a selection of the user's messages (GraphQL bulkMessages): flags, or a move to a
 * mailbox, Trash, Junk or Archive. The selection can be a whole mailbox of many thousands, so the
 * work goes to the mail service in batches: every batch is stored, journalled and announced (IMAP
 * clients on every instance see it) before the next, and no store call holds a whole mailbox.
 */
import type { ObjectId } from 'mongodb';
import { findMailboxById, messageIdsByUid, parseObjectId, type MailboxDocument } from '@wildduck/store';
import { removeMessagesById, setFlags, transferMessages } from '@wildduck/mail-service';
import { invalidInput, notFoundFailure } from '../failures.js';
import type { ApiServices } from '../services.js';
import { mailContextOf, specialUseMailboxOf, type MailAccount } from './mail-account.js';
import { resolveSelection, type MessageSelectionInput, type SelectedGroup } from './bulk-selection.js';
import { rememberMoves, UNDO_SECONDS, type UndoMove } from './bulk-undo.js';

export type BulkAction =
  'MOVE' | 'DELETE' | 'MARK_READ' | 'MARK_UNREAD' | 'FLAG' | 'UNFLAG' | 'REPORT_SPAM' | 'ARCHIVE';

export interface BulkResult {
  count: number;
  undoToken: string | null;
  undoSeconds: number | null;
}

/** Messages per mail-service call. */
export const BULK_BATCH = 500;

const FLAG_CHANGES: Partial<Record<BulkAction, { action: 'add' | 'remove'; flag: string }>> = {
  MARK_READ: { action: 'add', flag: '\\Seen' },
  MARK_UNREAD: { action: 'remove', flag: '\\Seen' },
  FLAG: { action: 'add', flag: '\\Flagged' },
  UNFLAG: { action: 'remove', flag: '\\Flagged' },
};

/** The special-use mailbox each action moves to, and its path when it must be made again. */
const DESTINATIONS: Partial<Record<BulkAction, { specialUse: string; path: string }>> = {
  DELETE: { specialUse: '\\Trash', path: 'Trash' },
  REPORT_SPAM: { specialUse: '\\Junk', path: 'Junk' },
  ARCHIVE: { specialUse: '\\Archive', path: 'Archive' },
};

export async function runBulkAction(
  services: ApiServices,
  user: MailAccount,
  selection: MessageSelectionInput,
  action: BulkAction,
  targetMailboxId: string | null | undefined,
): Promise<BulkResult> {
  // the target is checked before anything is read or changed
  const target = await targetOf(services, user, action, targetMailboxId);
  const groups = await resolveSelection(services, user, selection);
  const flagChange = FLAG_CHANGES[action];
  if (flagChange)
    return {
      count: await changeFlags(services, user, groups, flagChange),
      undoToken: null,
      undoSeconds: null,
    };
  const destination = target!;
  let count = 0;
  if (action === 'DELETE') {
    // in Trash already: deleted for good (nothing to undo for those)
    const inTrash = groups.filter((group) => group.mailbox.equals(destination._id!));
    count += await removeForGood(services, user, inTrash);
  }
  const moves = await moveInto(services, user, groups, destination);
  count += moves.reduce((sum, move) => sum + move.uids.length, 0);
  if (!moves.length) return { count, undoToken: null, undoSeconds: null };
  return { count, undoToken: await rememberMoves(services, user, moves), undoSeconds: UNDO_SECONDS };
}

/** The mailbox a moving action moves to (made again when a special-use one is missing); null for flags. */
async function targetOf(
  services: ApiServices,
  user: MailAccount,
  action: BulkAction,
  targetMailboxId: string | null | undefined,
): Promise<MailboxDocument | null> {
  if (action === 'MOVE') {
    if (!targetMailboxId)
      throw invalidInput('MOVE needs targetMailboxId: the mailbox to move to', 'targetMailboxId');
    const id = parseObjectId(targetMailboxId);
    const mailbox = id && (await findMailboxById(services.db, user.userId, id));
    if (!mailbox) throw notFoundFailure(`No such mailbox: ${targetMailboxId}`, 'targetMailboxId');
    return mailbox;
  }
  if (targetMailboxId)
    throw invalidInput(`targetMailboxId goes with MOVE only, not with ${action}`, 'targetMailboxId');
  const destination = DESTINATIONS[action];
  if (!destination) return null;
  const id = await specialUseMailboxOf(services, user.userId, destination.specialUse, destination.path);
  const mailbox = await findMailboxById(services.db, user.userId, id);
  if (!mailbox) throw new Error(`the ${destination.specialUse} mailbox disappeared`);
  return mailbox;
}

/** Every batch of every group, in order. */
function* batchesOf(groups: readonly SelectedGroup[]): Generator<{ mailbox: ObjectId; uids: number[] }> {
  for (const group of groups)
    for (let start = 0; start < group.uids.length; start += BULK_BATCH)
      yield { mailbox: group.mailbox, uids: group.uids.slice(start, start + BULK_BATCH) };
}

/** Adds or removes one flag; how many selected messages there were (changed or already so). */
async function changeFlags(
  services: ApiServices,
  user: MailAccount,
  groups: readonly SelectedGroup[],
  change: { action: 'add' | 'remove'; flag: string },
): Promise<number> {
  const mail = mailContextOf(services);
  let count = 0;
  for (const batch of batchesOf(groups)) {
    const result = await setFlags(mail, user.userId, batch.mailbox, batch.uids, {
      action: change.action,
      flags: [change.flag],
    });
    count += result.updated.length;
  }
  return count;
}

/**
 * Moves the selected messages into `target` (those there already stay); the mail service reports
 * moves into or out of Junk (SPAM / NOT_SPAM). Answers what moved, for undo.
 */
async function moveInto(
  services: ApiServices,
  user: MailAccount,
  groups: readonly SelectedGroup[],
  target: MailboxDocument,
): Promise<UndoMove[]> {
  const mail = mailContextOf(services);
  const owner = { id: user.userId, address: user.address };
  const moves = new Map<string, UndoMove>();
  for (const batch of batchesOf(groups.filter((group) => !group.mailbox.equals(target._id!)))) {
    const source = await findMailboxById(services.db, user.userId, batch.mailbox);
    if (!source) continue;
    const outcome = await transferMessages(mail, owner, 'move', source, batch.uids, target);
    if (!outcome.ok) throw notFoundFailure(`The mailbox "${target.path}" is gone`, 'targetMailboxId');
    if (!outcome.mapping.length) continue;
    const from = source._id!.toHexString();
    const move = moves.get(from) ?? { from, to: target._id!.toHexString(), uids: [] };
    move.uids.push(...outcome.mapping.map(([, targetUid]) => targetUid));
    moves.set(from, move);
  }
  return [...moves.values()];
}

/** Removes messages from the store for good (those in Trash on DELETE); how many went. */
async function removeForGood(
  services: ApiServices,
  user: MailAccount,
  groups: readonly SelectedGroup[],
): Promise<number> {
  const mail = mailContextOf(services);
  let count = 0;
  for (const batch of batchesOf(groups)) {
    const ids = [...(await messageIdsByUid(services.db, batch.mailbox, batch.uids)).values()];
    const objectIds = ids.map((id) => parseObjectId(id)!);
    count += (await removeMessagesById(mail, user.userId, batch.mailbox, objectIds)).length;
  }
  return count;
}
