/**
 * Sharing mailboxes from the webmail and the console (RFC 4314 access lists): who a mailbox is
 * shared with, sharing it with a person by a preset or exact rights, and the administrators' view
 * of a user's access lists (they act as the owner). The access lists themselves are the mail
 * service's (sharing/access-writes.ts); this checks input and words failures for the API.
 */
import type { ObjectId } from 'mongodb';
import {
  ALL_RIGHTS,
  canonicalRights,
  findMailboxForAdmin,
  findUserById,
  listMailboxes,
  normalizeAddress,
  type MailboxDocument,
} from '@wildduck/store';
import {
  changeMailboxAccess,
  readAccessList,
  type AccessEntry,
  type AccessibleMailbox,
} from '@wildduck/mail-service';
import { invalidInput, notFoundFailure, type RequestFailure } from '../failures.js';
import type { ApiServices } from '../services.js';
import { mailContextOf, parseId, type MailAccount } from './mail-account.js';
import { mailboxAccessOf, reachableMailbox, requireRights } from './mailbox-access.js';

/** The presets of the Share dialog, as rights. */
export const ACCESS_PRESETS = {
  NONE: '',
  READ: 'lrs',
  READ_WRITE: 'lrswipte',
  FULL: ALL_RIGHTS,
} as const;

export type AccessPreset = keyof typeof ACCESS_PRESETS;

/** The preset these rights are exactly, else null. */
export function presetOf(rights: string): AccessPreset | null {
  const canonical = canonicalRights(rights);
  const found = Object.entries(ACCESS_PRESETS).find(([, letters]) => letters === canonical);
  return found ? (found[0] as AccessPreset) : null;
}

/** One entry of an access list as the API shows it (MailboxShare). */
export interface MailboxShare {
  identifier: string;
  user: string | null;
  rights: string;
  preset: AccessPreset | null;
  owner: boolean;
}

const asShare = (entry: AccessEntry): MailboxShare => ({ ...entry, preset: presetOf(entry.rights) });

/** The access list of a mailbox, its owner first; the viewer must hold `a` (checked by the caller). */
export async function mailboxShares(
  services: ApiServices,
  target: AccessibleMailbox,
): Promise<MailboxShare[]> {
  const list = await readAccessList(mailContextOf(services), target);
  if (!Array.isArray(list)) return [];
  return list.map(asShare);
}

/** The rights asked for: exactly one of a preset and a rights string (BAD_USER_INPUT naming the field). */
export function rightsArgument(access: string | null | undefined, rights: string | null | undefined): string {
  const hasAccess = access !== null && access !== undefined;
  const hasRights = rights !== null && rights !== undefined;
  if (hasAccess === hasRights)
    throw invalidInput('Give exactly one of access (a preset) and rights (RFC 4314 letters)', 'access');
  if (hasAccess) {
    if (!(access in ACCESS_PRESETS))
      throw invalidInput(`access must be one of ${Object.keys(ACCESS_PRESETS).join(', ')}`, 'access');
    return ACCESS_PRESETS[access as AccessPreset];
  }
  const canonical = canonicalRights(rights!.trim());
  if (canonical === null)
    throw invalidInput(`rights must be letters of "${ALL_RIGHTS}" (RFC 4314), not "${rights}"`, 'rights');
  return canonical;
}

/**
 * Gives `identifier` (a user's address, or the group anyone / authenticated) these rights on the
 * mailbox; empty rights take the mailbox back. Needs `a` on it; answers the access list now.
 */
export async function shareMailbox(
  services: ApiServices,
  viewer: MailAccount,
  mailboxId: string,
  identifier: string,
  rights: string,
): Promise<MailboxShare[]> {
  const target = await reachableMailbox(services, viewer, mailboxId, 'mailboxId');
  requireRights(target, 'a', 'mailboxId');
  const address = normalizeAddress(identifier.trim());
  if (address && address === normalizeAddress(viewer.address))
    throw invalidInput('You cannot share a mailbox with yourself', 'with');
  return setAccess(services, target, identifier, rights);
}

/** Changes one entry and answers the list; failures of the mail service name `with` or `rights`. */
async function setAccess(
  services: ApiServices,
  target: AccessibleMailbox,
  identifier: string,
  rights: string,
): Promise<MailboxShare[]> {
  if (!identifier.trim()) throw invalidInput('Name the person (an address) to share with', 'with');
  const outcome = await changeMailboxAccess(
    mailContextOf(services),
    mailboxAccessOf(services),
    target,
    identifier,
    {
      mode: 'replace',
      rights,
    },
  );
  if (!outcome.ok) throw accessFailure(outcome.text);
  return mailboxShares(services, target);
}

function accessFailure(text: string): RequestFailure {
  return invalidInput(text, /rights/i.test(text) && !/owner/i.test(text) ? 'rights' : 'with');
}

/** A user's own mailbox as its owner reaches it: what an administrator acts as. */
async function asOwner(services: ApiServices, mailbox: MailboxDocument): Promise<AccessibleMailbox> {
  const owner = await findUserById(services.db, mailbox.user);
  return {
    mailbox,
    owner: mailbox.user,
    ownerAddress: owner?.address ?? '',
    rights: ALL_RIGHTS,
    name: mailbox.path,
    shared: null,
  };
}

/** A mailbox of a user with its access list (the console's user page). */
export interface AdminSharedMailbox {
  mailbox: MailboxDocument;
  shares: MailboxShare[];
}

/** Every mailbox of a user with its access list (NOT_FOUND for an unknown user). */
export async function adminMailboxAccess(
  services: ApiServices,
  userId: string,
): Promise<AdminSharedMailbox[]> {
  const id = parseId(userId, `No such user: ${userId}`, 'userId');
  if (!(await findUserById(services.db, id))) throw notFoundFailure(`No such user: ${userId}`, 'userId');
  const mailboxes = await listMailboxes(services.db, id);
  return Promise.all(
    mailboxes.map(async (mailbox) => ({
      mailbox,
      shares: await mailboxShares(services, await asOwner(services, mailbox)),
    })),
  );
}

/** Sets an entry of any user's mailbox as its owner would; answers the access list now. */
export async function adminSetMailboxAccess(
  services: ApiServices,
  mailboxId: string,
  identifier: string,
  rights: string,
): Promise<MailboxShare[]> {
  const canonical = rightsArgument(null, rights);
  const id: ObjectId = parseId(mailboxId, `No such mailbox: ${mailboxId}`, 'mailboxId');
  const mailbox = await findMailboxForAdmin(services.db, id);
  if (!mailbox) throw notFoundFailure(`No such mailbox: ${mailboxId}`, 'mailboxId');
  return setAccess(services, await asOwner(services, mailbox), identifier, canonical);
}
