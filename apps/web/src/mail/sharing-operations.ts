// The GraphQL operations of shared folders (RFC 4314 access lists): folders others share with
// the user, a folder's access list, and sharing one with a person by a preset.
import { gql } from '@/client/graphql';
import type { AccessPreset, Mailbox, MailboxShare } from '@/client/api-types';

/** The presets the Share dialog offers, with their names as the user reads them. */
export const PRESET_LABELS: Record<Exclude<AccessPreset, 'NONE'>, string> = {
  READ: 'Read',
  READ_WRITE: 'Read and write',
  FULL: 'Full',
};

/** The rights of each preset (as the API's AccessPreset). */
export const PRESET_RIGHTS: Record<Exclude<AccessPreset, 'NONE'>, string> = {
  READ: 'lrs',
  READ_WRITE: 'lrswipte',
  FULL: 'lrswipkxtea',
};

export const SHARE_FIELDS = 'identifier user rights preset owner';

const SHARED_FIELDS =
  'id path name specialUse total unseen myRights shared { ownerAddress rights namespace path }';

export const SHARED_MAILBOXES_QUERY = `query SharedMailboxes { sharedMailboxes { ${SHARED_FIELDS} } }`;

/** The folders other users share with the user, with the user's own unread counts. */
export async function fetchSharedMailboxes(): Promise<Mailbox[]> {
  return (await gql<{ sharedMailboxes: Mailbox[] }>(SHARED_MAILBOXES_QUERY)).sharedMailboxes;
}

/** Who a folder is shared with (owner first); null when the user may not see it. */
export async function fetchFolderAccess(mailboxId: string): Promise<MailboxShare[] | null> {
  const data = await gql<{ mailbox: { access: MailboxShare[] | null } | null }>(
    `query FolderAccess($id: ID!) { mailbox(id: $id) { access { ${SHARE_FIELDS} } } }`,
    { id: mailboxId },
  );
  return data.mailbox?.access ?? null;
}

/** Shares a folder with a person (or takes it back with NONE); the access list now. */
export async function shareFolder(
  mailboxId: string,
  who: string,
  access: AccessPreset,
): Promise<MailboxShare[]> {
  const data = await gql<{ shareMailbox: MailboxShare[] }>(
    `mutation ShareFolder($mailboxId: ID!, $with: String!, $access: AccessPreset) {
      shareMailbox(mailboxId: $mailboxId, with: $with, access: $access) { ${SHARE_FIELDS} }
    }`,
    { mailboxId, with: who, access },
  );
  return data.shareMailbox;
}

/** True when the user holds every right of `needed` on the folder (their own: all of them). */
export function mayDo(mailbox: Mailbox | undefined, needed: string): boolean {
  if (!mailbox?.shared) return true;
  const rights = mailbox.myRights ?? mailbox.shared.rights;
  return [...needed].every((right) => rights.includes(right));
}
