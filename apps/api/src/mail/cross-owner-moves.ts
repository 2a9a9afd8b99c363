/**
 * Moves between mailboxes of two owners (a member filing a message of a shared folder into their
 * own INBOX, or their own message into a folder shared with them). The store moves messages only
 * within one owner's documents, so the mail service stores each message again for the target's
 * owner, all or nothing and counted against their quota, then removes the originals
 * (transferAcrossOwners). The moved messages get new ids.
 */
import { ObjectId } from 'mongodb';
import { messageIdsByUid, readerFlags } from '@wildduck/store';
import { transferAcrossOwners, type AccessibleMailbox } from '@wildduck/mail-service';
import { notFoundFailure, overQuotaFailure } from '../failures.js';
import type { ApiServices } from '../services.js';
import { mailContextOf } from './mail-account.js';
import { requireRights } from './mailbox-access.js';
import { viewerSeen } from './reader-seen.js';

/** True when a move from `source` into `target` crosses owners. */
export const crossesOwners = (source: AccessibleMailbox, target: AccessibleMailbox) =>
  !source.owner.equals(target.owner);

/**
 * Moves messages (by UID) of `source` into `target` of another owner, as `viewer` sees them: their
 * flags go along, but \Seen only into the viewer's own mailbox (in another user's mailbox \Seen is
 * the owner's, not the viewer's to set). Needs `r`, `t`, `e` on the source and `i` on the target
 * (refused naming `field`). Moves into or out of Junk are reported for the target's owner (by the
 * mail service), as a move within one owner's mailboxes is. Answers [source UID, target UID] pairs and the new ids.
 */
export async function moveAcrossOwners(
  services: ApiServices,
  viewer: ObjectId,
  source: AccessibleMailbox,
  uids: readonly number[],
  target: AccessibleMailbox,
  field: string,
): Promise<{ mapping: [number, number][]; ids: Map<number, ObjectId> }> {
  requireRights(source, 'rte', 'ids');
  requireRights(target, 'i', field);
  const seen = await viewerSeen(services, viewer, source);
  const intoOwn = target.owner.equals(viewer);
  const flagsFor = (uid: number, shared: readonly string[]) => {
    const flags = seen ? readerFlags(shared, seen.has(uid)) : [...shared];
    return intoOwn ? flags : flags.filter((flag) => flag !== '\\Seen');
  };
  const mail = mailContextOf(services);
  const outcome = await transferAcrossOwners(mail, 'move', source, uids, target, flagsFor);
  if (!outcome.ok) {
    if (outcome.code === 'NONEXISTENT')
      throw notFoundFailure('A message moved or was deleted meanwhile: nothing was moved', 'ids');
    throw overQuotaFailure(
      outcome.code === 'TOOBIG'
        ? `A message is too big for "${target.name}"`
        : `There is no room for these messages in "${target.name}" (${target.ownerAddress}'s quota)`,
      field,
    );
  }
  const targetUids = outcome.mapping.map(([, targetUid]) => targetUid);
  const ids = new Map<number, ObjectId>();
  for (const [uid, id] of await messageIdsByUid(services.db, target.mailbox._id!, targetUids))
    ids.set(uid, new ObjectId(id));
  return { mapping: outcome.mapping, ids };
}
