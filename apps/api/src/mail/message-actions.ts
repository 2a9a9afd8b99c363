/**
 * What the webmail and apps do to messages through the API: flag, move, delete (to Trash, or for
 * good from Trash). Every write goes through the mail service; failures are RequestFailures.
 */
import type { Document, ObjectId } from 'mongodb';
import { normalizeFlags } from '@wildduck/store';
import {
  removeMessagesById,
  setFlagsAs,
  transferMessages,
  type AccessibleMailbox,
} from '@wildduck/mail-service';
import { forbiddenFailure, invalidInput, notFoundFailure, overQuotaFailure } from '../failures.js';
import type { ApiServices } from '../services.js';
import { mailContextOf, parseId, specialUseMailboxOf, type MailAccount } from './mail-account.js';
import { reachableMailbox, reachableMessages, requireRights, type ReachablePlace } from './mailbox-access.js';
import { messageSummaries } from './mutation-results.js';
import { viewerSeen, asReader } from './reader-seen.js';
import { crossesOwners, moveAcrossOwners } from './cross-owner-moves.js';

/** Ids one call may name. */
const MAX_IDS = 1000;
/** A keyword: an IMAP atom (no spaces, parentheses, wildcards, quotes or backslashes). */
const KEYWORD = /^[^\s(){%*"\\\]\x00-\x1f\x7f]{1,100}$/;

interface MessageGroup {
  target: AccessibleMailbox;
  ids: ObjectId[];
  uids: number[];
}

/**
 * The messages named, each the viewer's or in a mailbox shared with them they may read, grouped
 * by mailbox; else NOT_FOUND (nothing changed), whatever the reason the viewer cannot reach one.
 */
async function reachableGroups(
  services: ApiServices,
  user: MailAccount,
  ids: readonly string[],
): Promise<{ ids: ObjectId[]; places: ReachablePlace[]; byMailbox: Map<string, MessageGroup> }> {
  if (ids.length > MAX_IDS) throw invalidInput(`At most ${MAX_IDS} ids at once`, 'ids');
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  const objectIds = unique.map((id) => parseId(id, `No such message: ${id}`, 'ids'));
  const places = await reachableMessages(services, user, objectIds);
  if (places.length !== objectIds.length) {
    const found = new Set(places.map((place) => place.id.toHexString()));
    const missing = unique.find((id) => !found.has(id));
    throw notFoundFailure(`No such message: ${missing ?? ''}`, 'ids');
  }
  const byMailbox = new Map<string, MessageGroup>();
  for (const place of places) {
    const key = place.mailbox.toHexString();
    const group = byMailbox.get(key) ?? { target: place.target, ids: [], uids: [] };
    group.ids.push(place.id);
    group.uids.push(place.uid);
    byMailbox.set(key, group);
  }
  return { ids: objectIds, places, byMailbox };
}

/** The messages as the viewer sees them now (their own \Seen in others' mailboxes), in the order of `ids`. */
export async function viewerSummaries(
  services: ApiServices,
  user: MailAccount,
  places: readonly ReachablePlace[],
): Promise<Document[]> {
  const byMailbox = new Map<string, ReachablePlace[]>();
  for (const place of places) {
    const key = place.mailbox.toHexString();
    byMailbox.set(key, [...(byMailbox.get(key) ?? []), place]);
  }
  const byId = new Map<string, Document>();
  for (const group of byMailbox.values()) {
    const target = group[0]!.target;
    const documents = await messageSummaries(
      services.db,
      target.owner,
      group.map((place) => place.id),
    );
    for (const document of asReader(documents, await viewerSeen(services, user.userId, target)))
      byId.set(String(document._id), document);
  }
  return places.flatMap((place) => byId.get(place.id.toHexString()) ?? []);
}

/**
 * Adds or removes flags of messages the viewer can reach; in others' mailboxes only as far as their
 * rights go, \Seen being their own (mail service setFlagsAs). The messages as they are now.
 */
export async function changeFlags(
  services: ApiServices,
  user: MailAccount,
  ids: readonly string[],
  flags: readonly string[],
  action: 'add' | 'remove',
): Promise<Document[]> {
  const normalized = checkFlags(flags);
  const reached = await reachableGroups(services, user, ids);
  const mail = mailContextOf(services);
  for (const group of reached.byMailbox.values()) {
    const outcome = await setFlagsAs(mail, user.userId, group.target, group.uids, {
      action,
      flags: normalized,
    });
    if ('ok' in outcome)
      throw forbiddenFailure(
        `You may not change these flags in "${group.target.name}" (your rights there: "${group.target.rights}")`,
        'flags',
      );
  }
  return viewerSummaries(services, user, reached.places);
}

/** System flags in their canonical case and keywords as given; anything else is invalid input. */
function checkFlags(flags: readonly string[]): string[] {
  if (!flags.length) throw invalidInput('Name at least one flag', 'flags');
  for (const flag of flags) {
    const valid = flag.startsWith('\\') ? normalizeFlags([flag]).length === 1 : KEYWORD.test(flag);
    if (!valid)
      throw invalidInput(
        `"${flag}" is not a flag: \\Seen, \\Flagged, \\Answered, \\Draft, \\Deleted, or a keyword without spaces or specials`,
        'flags',
      );
  }
  return normalizeFlags(flags);
}

/**
 * Moves messages into a mailbox the viewer may insert into (`i`), from mailboxes they may delete
 * from (`t`, `e`): the same owner's, or another owner's (stored again there: new ids); the
 * messages as they are now, where they are now.
 */
export async function moveToMailbox(
  services: ApiServices,
  user: MailAccount,
  ids: readonly string[],
  mailboxId: string,
): Promise<Document[]> {
  const target = await reachableMailbox(services, user, mailboxId, 'mailboxId', 'i');
  const reached = await reachableGroups(services, user, ids);
  const replaced = await transfer(services, user, reached.byMailbox.values(), target, 'mailboxId');
  const places = reached.places.map((place) => replaced.get(place.id.toHexString()) ?? place);
  return viewerSummaries(services, user, places);
}

/**
 * Moves message groups into a mailbox; the mail service announces both sides and reports moves
 * into or out of Junk (SPAM / NOT_SPAM on the bus and to the webhooks). Within one owner's
 * mailboxes messages keep their ids; between two owners they are stored again for the target's
 * owner (cross-owner-moves.ts). Answers the new places of those, by their old ids.
 */
async function transfer(
  services: ApiServices,
  user: MailAccount,
  groups: Iterable<MessageGroup>,
  target: AccessibleMailbox,
  field: string,
): Promise<Map<string, ReachablePlace>> {
  const targetId = target.mailbox._id!;
  const all = [...groups].filter((group) => !group.target.mailbox._id!.equals(targetId));
  // every group is checked before anything moves
  for (const group of all)
    requireRights(group.target, crossesOwners(group.target, target) ? 'rte' : 'te', 'ids');
  const mail = mailContextOf(services);
  const owner = { id: target.owner, address: target.ownerAddress };
  const replaced = new Map<string, ReachablePlace>();
  for (const group of all) {
    if (crossesOwners(group.target, target)) {
      const moved = await moveAcrossOwners(services, user.userId, group.target, group.uids, target, field);
      for (const [sourceUid, targetUid] of moved.mapping) {
        const index = group.uids.indexOf(sourceUid);
        const id = moved.ids.get(targetUid);
        if (index < 0 || !id) continue;
        replaced.set(group.ids[index]!.toHexString(), {
          id,
          mailbox: targetId,
          uid: targetUid,
          flags: [],
          target,
        });
      }
      continue;
    }
    const result = await transferMessages(
      mail,
      owner,
      'move',
      group.target.mailbox,
      group.uids,
      target.mailbox,
    );
    if (!result.ok) {
      if (result.code === 'NONEXISTENT')
        throw notFoundFailure(`No such mailbox: ${targetId.toHexString()}`, field);
      throw overQuotaFailure();
    }
  }
  return replaced;
}

/** What deleting messages did: moved them to Trash, or (those already there) removed them for good. */
export interface DeletedMessages {
  movedToTrash: string[];
  expunged: string[];
}

/**
 * Deletes messages: the viewer's own into Trash, and out of the store for those already in Trash;
 * those in others' mailboxes for good (their Trash is not the viewer's), which needs `t` and `e`.
 */
export async function deleteMessages(
  services: ApiServices,
  user: MailAccount,
  ids: readonly string[],
): Promise<DeletedMessages> {
  const reached = await reachableGroups(services, user, ids);
  const groups = [...reached.byMailbox.values()];
  const own = groups.filter((group) => group.target.owner.equals(user.userId));
  const others = groups.filter((group) => !group.target.owner.equals(user.userId));
  for (const group of others) requireRights(group.target, 'te', 'ids');
  const mail = mailContextOf(services);
  const expunged: ObjectId[] = [];
  for (const group of others) {
    await removeMessagesById(mail, group.target.owner, group.target.mailbox._id!, group.ids);
    expunged.push(...group.ids);
  }
  if (!own.length) return { movedToTrash: [], expunged: expunged.map((id) => id.toHexString()) };
  const trashId = await specialUseMailboxOf(services, user.userId, '\\Trash', 'Trash');
  const trash = await reachableMailbox(services, user, trashId.toHexString(), 'ids');
  const inTrash = own.find((group) => group.target.mailbox._id!.equals(trashId));
  const elsewhere = own.filter((group) => !group.target.mailbox._id!.equals(trashId));
  await transfer(services, user, elsewhere, trash, 'ids');
  if (inTrash) {
    await removeMessagesById(mail, user.userId, trashId, inTrash.ids);
    expunged.push(...inTrash.ids);
  }
  return {
    movedToTrash: elsewhere.flatMap((group) => group.ids.map((id) => id.toHexString())),
    expunged: expunged.map((id) => id.toHexString()),
  };
}
