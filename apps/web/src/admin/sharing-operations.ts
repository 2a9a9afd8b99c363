// The admin console's operations on access lists: every folder of a user with who it is shared
// with, and changing an entry as the owner would (administrators only; the API checks the role).
import { gql } from '@/client/graphql';
import type { AdminSharedMailbox, MailboxShare } from '@/client/api-types';
import { SHARE_FIELDS } from '@/mail/sharing-operations';

export async function fetchUserAccessLists(userId: string): Promise<AdminSharedMailbox[]> {
  const data = await gql<{ adminMailboxAccess: AdminSharedMailbox[] }>(
    `query UserAccessLists($userId: ID!) {
      adminMailboxAccess(userId: $userId) { mailbox { id path name } access { ${SHARE_FIELDS} } }
    }`,
    { userId },
  );
  return data.adminMailboxAccess;
}

/** Sets a person's rights on a folder ('' takes them away); the folder's access list now. */
export async function setFolderAccess(
  mailboxId: string,
  who: string,
  rights: string,
): Promise<MailboxShare[]> {
  const data = await gql<{ adminSetMailboxAccess: MailboxShare[] }>(
    `mutation SetFolderAccess($mailboxId: ID!, $with: String!, $rights: String!) {
      adminSetMailboxAccess(mailboxId: $mailboxId, with: $with, rights: $rights) { ${SHARE_FIELDS} }
    }`,
    { mailboxId, with: who, rights },
  );
  return data.adminSetMailboxAccess;
}
