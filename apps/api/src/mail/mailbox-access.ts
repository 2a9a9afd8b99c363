/**
 * Every API path that names a mailbox or a message finds it here: the viewer's own, or one another
 * user shares with them (RFC 4314), with the viewer's rights. What the viewer cannot reach at all is
 * NOT_FOUND, word for word as an id that does not exist (ids do not leak); what they can reach but
 * lack the right for is FORBIDDEN. Work on a shared mailbox is done on its OWNER's data
 * (`target.owner`): their messages, their MODSEQs, their quota, their bus channel.
 */
import { ObjectId } from 'mongodb';
import {
  ALL_RIGHTS,
  findMailboxById,
  findMessagePlaces,
  hasRights,
  type MailboxDocument,
  type MessagePlace,
} from '@wildduck/store';
import { MailboxAccess, MailboxLists, changeHub, type AccessibleMailbox } from '@wildduck/mail-service';
import type { ChangeBus } from '@wildduck/change-bus';
import { forbiddenFailure, notFoundFailure } from '../failures.js';
import type { ApiServices } from '../services.js';
import type { MailAccount } from './mail-account.js';

const perBus = new WeakMap<ChangeBus, MailboxAccess>();

/** The process's MailboxAccess: the services' own, else one per bus (tests build services by hand). */
export function mailboxAccessOf(services: ApiServices): MailboxAccess {
  if (services.mailboxAccess) return services.mailboxAccess;
  let access = perBus.get(services.bus);
  if (!access) {
    const hub = changeHub(services.bus);
    access = new MailboxAccess(services.db, hub, new MailboxLists(services.db, hub));
    perBus.set(services.bus, access);
  }
  return access;
}

/** What each right is called in refusals. */
const RIGHT_NAMES: Record<string, string> = {
  l: 'see',
  r: 'read',
  s: 'mark as read',
  w: 'change flags in',
  i: 'add messages to',
  p: 'post to',
  k: 'create folders in',
  x: 'delete',
  t: 'delete messages in',
  e: 'expunge',
  a: 'administer',
};

/** Refused unless `target` grants every right of `needed` (FORBIDDEN naming what is missing). */
export function requireRights(target: AccessibleMailbox, needed: string, field: string): void {
  const missing = [...needed].filter((right) => !hasRights(target.rights, right));
  if (!missing.length) return;
  throw forbiddenFailure(
    `You may not ${missing.map((right) => RIGHT_NAMES[right] ?? right).join(' or ')} the mailbox "${target.name}" (${target.ownerAddress} shares it with the rights "${target.rights}")`,
    field,
  );
}

/**
 * The mailbox by id as the viewer reaches it, with the rights `needed`; NOT_FOUND (naming `field`)
 * when it does not exist or the viewer has no right on it, FORBIDDEN when a right is missing.
 */
export async function reachableMailbox(
  services: ApiServices,
  viewer: MailAccount,
  id: string,
  field: string,
  needed = '',
): Promise<AccessibleMailbox> {
  const target = await lookUp(services, viewer, id.toLowerCase());
  if (!target) throw notFoundFailure(`No such mailbox: ${id}`, field);
  requireRights(target, needed, field);
  return target;
}

/**
 * The mailbox document as stored now (the access cache keeps it until the owner's next account
 * event; its counters and MODSEQ move with every message); NOT_FOUND when it went meanwhile.
 */
export async function currentMailbox(
  services: ApiServices,
  target: AccessibleMailbox,
  field: string,
): Promise<MailboxDocument> {
  const mailbox = await findMailboxById(services.db, target.owner, target.mailbox._id!);
  if (!mailbox) throw notFoundFailure(`No such mailbox: ${target.mailbox._id!.toHexString()}`, field);
  return mailbox;
}

/** The same mailbox by its ObjectId (ids the API read itself, not the client's); null when not reachable. */
export function reachableById(
  services: ApiServices,
  viewer: MailAccount,
  id: ObjectId,
): Promise<AccessibleMailbox | null> {
  return lookUp(services, viewer, id.toHexString());
}

/**
 * By the process's access cache; a miss is read from the store as the viewer's own mailbox, as
 * the cache of the viewer's list learns of a mailbox made a moment ago only from the bus.
 */
async function lookUp(
  services: ApiServices,
  viewer: MailAccount,
  id: string,
): Promise<AccessibleMailbox | null> {
  const cached = await mailboxAccessOf(services).byId(viewer.userId, viewer.address, id);
  if (cached || !/^[0-9a-f]{24}$/.test(id)) return cached;
  const own = await findMailboxById(services.db, viewer.userId, new ObjectId(id));
  return own
    ? {
        mailbox: own,
        owner: viewer.userId,
        ownerAddress: viewer.address,
        rights: ALL_RIGHTS,
        name: own.path,
        shared: null,
      }
    : null;
}

/** A message's place with the mailbox it is in, as the viewer reaches it. */
export interface ReachablePlace extends MessagePlace {
  target: AccessibleMailbox;
}

/**
 * Where these messages are, the viewer's own and those in mailboxes shared with them that they may
 * read (`r`: without it a message id is as unknown as a made-up one). Ids of nobody's message, or
 * of messages the viewer cannot read, are left out: callers decide whether that is NOT_FOUND.
 */
export async function reachableMessages(
  services: ApiServices,
  viewer: MailAccount,
  ids: readonly ObjectId[],
): Promise<ReachablePlace[]> {
  if (!ids.length) return [];
  const access = mailboxAccessOf(services);
  const own = await findMessagePlaces(services.db, viewer.userId, ids);
  const places: ReachablePlace[] = [];
  for (const place of own) {
    const target = await lookUp(services, viewer, place.mailbox.toHexString());
    if (target) places.push({ ...place, target });
  }
  if (places.length === ids.length) return places;
  // the rest may be in mailboxes shared with the viewer: one read per owner sharing any
  const found = new Set(own.map((place) => place.id.toHexString()));
  const missing = ids.filter((id) => !found.has(id.toHexString()));
  const readable = (await access.sharedWith(viewer.userId)).filter((shared) => hasRights(shared.rights, 'r'));
  const byOwner = new Map<string, Map<string, AccessibleMailbox>>();
  for (const shared of readable) {
    const owner = shared.owner.toHexString();
    const mailboxes = byOwner.get(owner) ?? new Map<string, AccessibleMailbox>();
    mailboxes.set(shared.mailbox._id!.toHexString(), shared);
    byOwner.set(owner, mailboxes);
  }
  for (const mailboxes of byOwner.values()) {
    const owner = mailboxes.values().next().value!.owner;
    for (const place of await findMessagePlaces(services.db, owner, missing)) {
      const target = mailboxes.get(place.mailbox.toHexString());
      if (target) places.push({ ...place, target });
    }
  }
  return places;
}

/** True when the viewer is the mailbox's owner. */
export const ownsMailbox = (target: AccessibleMailbox, viewer: MailAccount) =>
  target.owner.equals(viewer.userId);
