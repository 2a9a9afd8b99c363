/**
 * Folder actions of the webmail beyond create and rename (mailbox-actions.ts): delete a folder with
 * the folders below it, its messages going to Trash, and empty Trash or Junk. Every write goes
 * through the mail service (stored, journalled, announced); failures name the field.
 */
import { listMailboxes, type MailboxDocument } from '@wildduck/store';
import {
  deleteEmptiedMailbox,
  deleteMailbox,
  moveAllMessages,
  removeAllMessages,
  type MailContext,
  type MailUser,
} from '@wildduck/mail-service';
import { invalidInput, notFoundFailure } from '../failures.js';
import type { ApiServices } from '../services.js';
import { mailContextOf, specialUseMailboxOf, type MailAccount } from './mail-account.js';
import { ownedMailbox } from './mailbox-actions.js';

/** The special uses whose mailboxes can be emptied in one go. */
const EMPTIABLE = new Set(['\\Trash', '\\Junk']);

/** A mailbox the user cannot delete (INBOX, special use): why, else null. */
function undeletable(box: MailboxDocument): string | null {
  if (box.path === 'INBOX') return 'INBOX cannot be deleted';
  if (box.specialUse) return `"${box.path}" is the ${box.specialUse.slice(1)} mailbox and cannot be deleted`;
  return null;
}

const isWithin = (path: string, parent: string) => path.startsWith(`${parent}/`);

/**
 * Deletes the mailbox and every mailbox below it. Their messages move to Trash first (in batches),
 * then the empty mailboxes are deleted, deepest first; inside Trash the messages are deleted for
 * good with their mailboxes. Refused, with nothing changed, when any of them is INBOX or special use.
 */
export async function deleteMailboxToTrash(
  services: ApiServices,
  user: MailAccount,
  id: string,
): Promise<true> {
  const mailbox = await ownedMailbox(services, user, id);
  const all = await listMailboxes(services.db, user.userId);
  const tree = all.filter((box) => box.path === mailbox.path || isWithin(box.path, mailbox.path));
  for (const box of tree) {
    const refusal = undeletable(box);
    if (refusal)
      throw invalidInput(
        box._id!.equals(mailbox._id!) ? refusal : `${refusal} (it is inside "${mailbox.path}")`,
        'id',
      );
  }
  const mail = mailContextOf(services);
  const trashId = await specialUseMailboxOf(services, user.userId, '\\Trash', 'Trash');
  const trash =
    all.find((box) => box._id!.equals(trashId)) ??
    (await ownedMailbox(services, user, trashId.toHexString()));
  const insideTrash = isWithin(mailbox.path, trash.path);
  const deepestFirst = [...tree].sort((a, b) => b.path.split('/').length - a.path.split('/').length);
  const account = { id: user.userId, address: user.address };
  for (const box of deepestFirst) {
    const deleted = insideTrash
      ? (await deleteMailbox(mail, user.userId, box)).ok
      : await moveAllThenDelete(mail, account, box, trash);
    // one deleted meanwhile by another session is as good as deleted here; only the asked one counts
    if (!deleted && box._id!.equals(mailbox._id!)) throw notFoundFailure(`No such mailbox: ${id}`, 'id');
  }
  return true;
}

/** Rounds of moving mail that arrived while a folder was being emptied, before giving up on it. */
const EMPTYING_ROUNDS = 5;

/**
 * Moves a folder's messages to Trash, then deletes it only if nothing arrived meanwhile (mail is
 * delivered into folders by filters, and other sessions copy into them): what came is moved too,
 * and the delete tried again. False when the folder was gone; a folder that keeps getting mail is
 * kept, with a clear error, rather than deleted with messages in it.
 */
async function moveAllThenDelete(
  mail: MailContext,
  account: MailUser,
  box: MailboxDocument,
  trash: MailboxDocument,
): Promise<boolean> {
  for (let round = 0; round < EMPTYING_ROUNDS; round++) {
    await moveAllMessages(mail, account, box, trash);
    const outcome = await deleteEmptiedMailbox(mail, account.id, box);
    if (outcome !== 'not-empty') return outcome === 'deleted';
  }
  throw invalidInput(`"${box.path}" keeps receiving messages; try again`, 'id');
}

/** Deletes every message of the user's Trash or Junk for good; answers how many. */
export async function emptyMailbox(services: ApiServices, user: MailAccount, id: string): Promise<number> {
  const mailbox = await ownedMailbox(services, user, id);
  if (!mailbox.specialUse || !EMPTIABLE.has(mailbox.specialUse))
    throw invalidInput(`Only Trash and Junk can be emptied, not "${mailbox.path}"`, 'id');
  return removeAllMessages(mailContextOf(services), user.userId, mailbox._id!);
}
