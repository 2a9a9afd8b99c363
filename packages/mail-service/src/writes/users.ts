import type { ObjectId } from 'mongodb';
import { deleteUserAndData, listMailboxes } from '@wildduck/store';
import { announceAccountChange } from './announce.js';
import type { MailContext } from './mail-context.js';

/**
 * Deletes an account and everything it owns (the store's `deleteUserAndData`), then tells every
 * instance that each of its mailboxes is gone, so sessions still open on them end and caches let
 * go. False for an unknown user.
 */
export async function deleteUser(mail: MailContext, id: ObjectId): Promise<boolean> {
  const mailboxes = await listMailboxes(mail.ctx.db, id);
  if (!(await deleteUserAndData(mail.ctx, id))) return false;
  for (const box of mailboxes)
    await announceAccountChange(mail, id, {
      kind: 'MAILBOX_DELETED',
      path: box.path,
      mailbox: box._id!.toHexString(),
    });
  return true;
}
