/**
 * Changing who may use a mailbox (RFC 4314 SETACL/DELETEACL, the console's Share dialog) and
 * reading its access list. The owner always holds every right; anyone else needs `a` to change or
 * read the list. A change is announced on the grantee's feed (or the group channel), so every
 * instance forgets what it kept of the grantee's access before the next command.
 */
import {
  ACL_GROUPS,
  ALL_RIGHTS,
  canonicalRights,
  findUserByAddress,
  hasRights,
  normalizeAddress,
  readMailboxAcl,
  writeAclEntry,
} from '@wildduck/store';
import type { MailContext } from '../writes/mail-context.js';
import {
  ACL_CHANGED,
  GROUP_ACL_CHANNEL,
  type AccessibleMailbox,
  type MailboxAccess,
} from './mailbox-access.js';

/** Why an access change or read was refused. */
export interface AccessFailure {
  ok: false;
  /** NOPERM: the user lacks `a`; CANNOT: the grantee is unknown or is the owner, or the rights are not ours. */
  code: 'NOPERM' | 'CANNOT';
  text: string;
}

/** One entry of an access list as shown: a user by address, or a group. */
export interface AccessEntry {
  identifier: string;
  rights: string;
  /** The user's id, null for a group. */
  user: string | null;
  owner: boolean;
}

/** The access list of a mailbox, its owner first; reading it needs `a` (RFC 4314 GETACL). */
export async function readAccessList(
  mail: MailContext,
  target: AccessibleMailbox,
): Promise<AccessEntry[] | AccessFailure> {
  if (!hasRights(target.rights, 'a')) return noAdmin();
  const entries = await readMailboxAcl(mail.ctx.db, target.mailbox._id!);
  return [
    { identifier: target.ownerAddress, rights: ALL_RIGHTS, user: target.owner.toHexString(), owner: true },
    ...entries
      .map((entry) => ({
        identifier: entry.granteeAddress ?? entry.grantee,
        rights: entry.rights,
        user: entry.granteeAddress ? entry.grantee : null,
        owner: false,
      }))
      .sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0)),
  ];
}

/** The rights a grantee has now on the mailbox (as the access list says; '' when none). */
export async function rightsOfIdentifier(
  mail: MailContext,
  target: AccessibleMailbox,
  identifier: string,
): Promise<string | AccessFailure> {
  if (!hasRights(target.rights, 'a')) return noAdmin();
  const grantee = await resolveGrantee(mail, identifier);
  if (!grantee) return { ok: false, code: 'CANNOT', text: `No such user or group: ${identifier}` };
  if (grantee.id === target.owner.toHexString()) return ALL_RIGHTS;
  const entry = (await readMailboxAcl(mail.ctx.db, target.mailbox._id!)).find(
    (each) => each.grantee === grantee.id,
  );
  return entry?.rights ?? '';
}

/**
 * Sets a grantee's rights on a mailbox (replace, add or remove letters); rights that end empty
 * remove the entry. `access` is this process's MailboxAccess, told at once.
 */
export async function changeMailboxAccess(
  mail: MailContext,
  access: MailboxAccess | undefined,
  target: AccessibleMailbox,
  identifier: string,
  change: { mode: 'replace' | 'add' | 'remove'; rights: string },
): Promise<{ ok: true; rights: string } | AccessFailure> {
  if (!hasRights(target.rights, 'a')) return noAdmin();
  const letters = canonicalRights(change.rights);
  if (letters === null) return { ok: false, code: 'CANNOT', text: `Unknown rights in "${change.rights}"` };
  const grantee = await resolveGrantee(mail, identifier);
  if (!grantee) return { ok: false, code: 'CANNOT', text: `No such user or group: ${identifier}` };
  if (grantee.id === target.owner.toHexString())
    return { ok: false, code: 'CANNOT', text: 'The owner of a mailbox always has every right' };
  const mailbox = target.mailbox._id!;
  const current =
    (await readMailboxAcl(mail.ctx.db, mailbox)).find((entry) => entry.grantee === grantee.id)?.rights ?? '';
  const rights =
    change.mode === 'replace'
      ? letters
      : change.mode === 'add'
        ? canonicalRights(current + letters)!
        : [...current].filter((right) => !letters.includes(right)).join('');
  await writeAclEntry(mail.ctx.db, {
    mailbox,
    owner: target.owner,
    grantee: grantee.id,
    granteeAddress: grantee.address,
    rights,
  });
  await announceAccessChange(mail, access, target, grantee.id, grantee.address === null);
  return { ok: true, rights };
}

/** Tells this process at once, then every instance: the grantee's (or every user's) access changed. */
async function announceAccessChange(
  mail: MailContext,
  access: MailboxAccess | undefined,
  target: AccessibleMailbox,
  grantee: string,
  group: boolean,
): Promise<void> {
  if (group) access?.forgetGroups();
  else access?.forgetUser(grantee);
  const event = {
    type: 'account' as const,
    kind: ACL_CHANGED,
    mailbox: target.mailbox._id!.toHexString(),
    path: target.mailbox.path,
  };
  await Promise.all([
    mail.bus.publish({ ...event, user: group ? GROUP_ACL_CHANNEL : grantee }).catch(() => {}),
    // the owner's other sessions and consoles show who the mailbox is shared with
    mail.bus.publish({ ...event, user: target.owner.toHexString() }).catch(() => {}),
  ]);
}

/** A user (by address) or a group (by name) an access list may name; null when unknown. */
async function resolveGrantee(
  mail: MailContext,
  identifier: string,
): Promise<{ id: string; address: string | null } | null> {
  const lower = identifier.trim().toLowerCase();
  if ((ACL_GROUPS as readonly string[]).includes(lower)) return { id: lower, address: null };
  const address = normalizeAddress(identifier);
  if (!address) return null;
  const user = await findUserByAddress(mail.ctx.db, address);
  return user ? { id: user._id.toHexString(), address: user.address } : null;
}

function noAdmin(): AccessFailure {
  return {
    ok: false,
    code: 'NOPERM',
    text: 'Only a user with the administer right (a) may see or change who has access',
  };
}
