/**
 * One action on a selection of the user's messages (GraphQL bulkMessages): flags, or a move to a
 * mailbox, Trash, Junk or Archive. The selection can be a whole mailbox of many thousands, so the
 * work goes to the mail service in batches: every batch is stored, journalled and announced (IMAP
 * clients on every instance see it) before the next, and no store call holds a whole mailbox.
 */
import type { ObjectId } from 'mongodb';
import { messageIdsByUid, parseObjectId } from '@wildduck/store';
import {
  removeMessagesById,
  setFlagsAs,
  transferMessages,
  type AccessibleMailbox,
} from '@wildduck/mail-service';
import { forbiddenFailure, invalidInput, notFoundFailure } from '../failures.js';
import { reachableMailbox, requireRights } from './mailbox-access.js';
import type { ApiServices } from '../services.js';
import { mailContextOf, specialUseMailboxOf, type MailAccount } from './mail-account.js';
import { resolveSelection, type MessageSelectionInput, type SelectedGroup } from './bulk-selection.js';
import { rememberMoves, UNDO_SECONDS, type UndoMove } from './bulk-undo.js';
import { crossesOwners, moveAcrossOwners } from './cross-owner-moves.js';

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
  let groups = await resolveSelection(services, user, selection);
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
    // in Trash already, or in another user's mailbox (the viewer's Trash is not theirs): deleted
    // for good (nothing to undo for those)
    const forGood = groups.filter(
      (group) => group.mailbox.equals(destination.mailbox._id!) || !group.target.owner.equals(user.userId),
    );
    for (const group of forGood) requireRights(group.target, 'te', 'selection');
    count += await removeForGood(services, forGood);
    const kept = new Set(forGood);
    groups = groups.filter((group) => !kept.has(group));
  }
  const { moves, moved, acrossOwners } = await moveInto(services, user, groups, destination);
  count += moved;
  // a move between two owners cannot be undone: the messages were stored again under new ids (the
  // originals are gone), and moving them back would lose what is not the viewer's to carry (the
  // owner's \Seen); no undo is offered rather than a partial one
  if (!moves.length || acrossOwners) return { count, undoToken: null, undoSeconds: null };
  return { count, undoToken: await rememberMoves(services, user, moves), undoSeconds: UNDO_SECONDS };
}

/** The mailbox a moving action moves to (made again when a special-use one is missing); null for flags. */
async function targetOf(
  services: ApiServices,
  user: MailAccount,
  action: BulkAction,
  targetMailboxId: string | null | undefined,
): Promise<AccessibleMailbox | null> {
  if (action === 'MOVE') {
    if (!targetMailboxId)
      throw invalidInput('MOVE needs targetMailboxId: the mailbox to move to', 'targetMailboxId');
    return reachableMailbox(services, user, targetMailboxId, 'targetMailboxId', 'i');
  }
  if (targetMailboxId)
    throw invalidInput(`targetMailboxId goes with MOVE only, not with ${action}`, 'targetMailboxId');
  const destination = DESTINATIONS[action];
  if (!destination) return null;
  const id = await specialUseMailboxOf(services, user.userId, destination.specialUse, destination.path);
  return reachableMailbox(services, user, id.toHexString(), 'targetMailboxId');
}

/** Every batch of every group, in order. */
function* batchesOf(
  groups: readonly SelectedGroup[],
): Generator<{ mailbox: ObjectId; target: AccessibleMailbox; uids: number[] }> {
  for (const group of groups)
    for (let start = 0; start < group.uids.length; start += BULK_BATCH)
      yield {
        mailbox: group.mailbox,
        target: group.target,
        uids: group.uids.slice(start, start + BULK_BATCH),
      };
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
    // in others' mailboxes as far as the user's rights go, \Seen being their own
    const result = await setFlagsAs(mail, user.userId, batch.target, batch.uids, {
      action: change.action,
      flags: [change.flag],
    });
    if ('ok' in result)
      throw forbiddenFailure(
        `You may not change ${change.flag} in "${batch.target.name}" (your rights there: "${batch.target.rights}")`,
        'action',
      );
    count += result.updated.length;
  }
  return count;
}

/**
 * Moves the selected messages into `target` (those there already stay); the mail service reports
 * moves into or out of Junk (SPAM / NOT_SPAM). Answers what moved within one owner's mailboxes,
 * for undo, and whether any message moved between two owners (stored again for the target's
 * owner with a new id: such a move is not offered for undo, see runBulkAction).
 */
async function moveInto(
  services: ApiServices,
  user: MailAccount,
  groups: readonly SelectedGroup[],
  destination: AccessibleMailbox,
): Promise<{ moves: UndoMove[]; moved: number; acrossOwners: boolean }> {
  const target = destination.mailbox;
  const moving = groups.filter((group) => !group.mailbox.equals(target._id!));
  // taking messages out needs t and e (and r, to store them again for another owner); checked for
  // every group before anything moves
  for (const group of moving)
    requireRights(group.target, crossesOwners(group.target, destination) ? 'rte' : 'te', 'selection');
  const mail = mailContextOf(services);
  const owner = { id: destination.owner, address: destination.ownerAddress };
  const moves = new Map<string, UndoMove>();
  let moved = 0;
  let acrossOwners = false;
  for (const batch of batchesOf(moving)) {
    const source = batch.target.mailbox;
    if (crossesOwners(batch.target, destination)) {
      const across = await moveAcrossOwners(
        services,
        user.userId,
        batch.target,
        batch.uids,
        destination,
        'targetMailboxId',
      );
      moved += across.mapping.length;
      acrossOwners ||= across.mapping.length > 0;
      continue;
    }
    const outcome = await transferMessages(mail, owner, 'move', source, batch.uids, target);
    if (!outcome.ok) throw notFoundFailure(`The mailbox "${target.path}" is gone`, 'targetMailboxId');
    if (!outcome.mapping.length) continue;
    moved += outcome.mapping.length;
    const from = source._id!.toHexString();
    const move = moves.get(from) ?? { from, to: target._id!.toHexString(), uids: [] };
    move.uids.push(...outcome.mapping.map(([, targetUid]) => targetUid));
    moves.set(from, move);
  }
  return { moves: [...moves.values()], moved, acrossOwners };
}

/** Removes messages from the store for good (those in Trash on DELETE); how many went. */
async function removeForGood(services: ApiServices, groups: readonly SelectedGroup[]): Promise<number> {
  const mail = mailContextOf(services);
  let count = 0;
  for (const batch of batchesOf(groups)) {
    const ids = [...(await messageIdsByUid(services.db, batch.mailbox, batch.uids)).values()];
    const objectIds = ids.map((id) => parseObjectId(id)!);
    count += (await removeMessagesById(mail, batch.target.owner, batch.mailbox, objectIds)).length;
  }
  return count;
}
