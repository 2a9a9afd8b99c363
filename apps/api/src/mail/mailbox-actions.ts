/**
 * What the webmail and apps do to mailboxes through the API: create, rename, delete. Every write
 * goes through the mail service; failures are RequestFailures naming the field.
 */
import { validateMailboxPath, type MailboxDocument } from '@wildduck/store';
import { createMailbox, deleteMailbox, renameMailbox } from '@wildduck/mail-service';
import { forbiddenFailure, invalidInput, notFoundFailure } from '../failures.js';
import type { ApiServices } from '../services.js';
import { mailContextOf, type MailAccount } from './mail-account.js';
import { currentMailbox, reachableMailbox } from './mailbox-access.js';
import { mailboxResult } from './mutation-results.js';

/**
 * The user's own mailbox by id, for managing it (rename, delete, empty); NOT_FOUND for an unknown
 * id or one the user cannot reach, FORBIDDEN for one another user shares with them: folders are
 * managed by their owner (sharing them is shareMailbox's, with the right a).
 */
export async function ownedMailbox(
  services: ApiServices,
  user: MailAccount,
  id: string,
): Promise<MailboxDocument> {
  const target = await reachableMailbox(services, user, id, 'mailboxId');
  if (!target.owner.equals(user.userId))
    throw forbiddenFailure(`"${target.name}" is ${target.ownerAddress}'s folder: only they manage it`, 'id');
  return currentMailbox(services, target, 'mailboxId');
}

/** A mailbox path as given, checked (field 'path'); INBOX in any case is INBOX. */
function checkPath(path: string): string {
  const problem = validateMailboxPath(path);
  if (problem) throw invalidInput(`Invalid mailbox path: ${problem}`, 'path');
  const [first, ...rest] = path.split('/');
  return first!.toUpperCase() === 'INBOX' ? ['INBOX', ...rest].join('/') : path;
}

export async function createUserMailbox(services: ApiServices, user: MailAccount, path: string) {
  const checked = checkPath(path);
  const outcome = await createMailbox(mailContextOf(services), user.userId, checked);
  if (!outcome.ok) {
    if (outcome.code === 'ALREADYEXISTS') throw invalidInput(`A mailbox "${checked}" exists already`, 'path');
    throw invalidInput(`Cannot create a mailbox "${checked}"`, 'path');
  }
  return mailboxResult(services.db, user.userId, outcome.mailbox!);
}

export async function renameUserMailbox(services: ApiServices, user: MailAccount, id: string, path: string) {
  const mailbox = await ownedMailbox(services, user, id);
  const checked = checkPath(path);
  if (mailbox.path === 'INBOX') throw invalidInput('INBOX cannot be renamed', 'id');
  // IMAP may rename them (they keep their use); the webmail keeps its special folders where they are
  if (mailbox.specialUse)
    throw invalidInput(
      `"${mailbox.path}" is the ${mailbox.specialUse.slice(1)} mailbox and cannot be renamed`,
      'id',
    );
  if (checked === mailbox.path) return mailboxResult(services.db, user.userId, mailbox._id!);
  if (checked === 'INBOX' || checked.startsWith(`${mailbox.path}/`))
    throw invalidInput(`Cannot rename "${mailbox.path}" to "${checked}"`, 'path');
  const outcome = await renameMailbox(mailContextOf(services), user.userId, mailbox.path, checked);
  if (!outcome.ok) {
    if (outcome.code === 'ALREADYEXISTS') throw invalidInput(`A mailbox "${checked}" exists already`, 'path');
    if (outcome.code === 'NONEXISTENT') throw notFoundFailure(`No such mailbox: ${id}`, 'id');
    throw invalidInput(`Cannot rename "${mailbox.path}" to "${checked}"`, 'path');
  }
  return mailboxResult(services.db, user.userId, mailbox._id!);
}

/** Deletes one of the user's own mailboxes (not INBOX, not a special-use one) with its messages. */
export async function deleteUserMailbox(services: ApiServices, user: MailAccount, id: string): Promise<true> {
  const mailbox = await ownedMailbox(services, user, id);
  if (mailbox.path === 'INBOX') throw invalidInput('INBOX cannot be deleted', 'id');
  if (mailbox.specialUse)
    throw invalidInput(
      `"${mailbox.path}" is the ${mailbox.specialUse.slice(1)} mailbox and cannot be deleted`,
      'id',
    );
  if (!(await deleteMailbox(mailContextOf(services), user.userId, mailbox)).ok)
    throw notFoundFailure(`No such mailbox: ${id}`, 'id');
  return true;
}
