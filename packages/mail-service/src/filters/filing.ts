/**
 * Where a filter's copy goes: the named mailbox when it exists; made first when the filter said
 * `:create` (through the mail service, so the new mailbox is journalled and announced); INBOX
 * otherwise, which is a failure to record (RFC 5490: filing into a missing mailbox without
 * `:create` is an error, and the implicit keep applies).
 */
import type { ObjectId } from 'mongodb';
import { findMailbox, recordFilterError } from '@wildduck/store';
import { createMailbox } from '../writes/mailboxes.js';
import type { MailContext } from '../writes/mail-context.js';

export type FilingTarget =
  { mailbox: ObjectId; fellBack: false } | { mailbox: ObjectId; fellBack: true; why: string };

export async function mailboxForFiling(
  mail: MailContext,
  user: ObjectId,
  inbox: ObjectId,
  path: string,
  create: boolean,
): Promise<FilingTarget> {
  if (path === 'INBOX') return { mailbox: inbox, fellBack: false };
  const existing = await findMailbox(mail.ctx.db, user, path);
  if (existing?._id) return { mailbox: existing._id, fellBack: false };
  if (!create)
    return {
      mailbox: inbox,
      fellBack: true,
      why: `fileinto: the mailbox "${path}" does not exist (and :create was not given)`,
    };
  const created = await createMailbox(mail, user, path);
  if (created.ok && created.mailbox) return { mailbox: created.mailbox, fellBack: false };
  // made meanwhile by another delivery: use it
  const again = await findMailbox(mail.ctx.db, user, path);
  if (again?._id) return { mailbox: again._id, fellBack: false };
  return {
    mailbox: inbox,
    fellBack: true,
    why: `fileinto :create: the mailbox "${path}" could not be created (${created.ok ? 'unknown' : created.code})`,
  };
}

/** Records a filter failure for the user to see (settings' lastFilterError); never throws. */
export async function noteFilterFailure(
  mail: MailContext,
  user: ObjectId,
  failure: { script: string; message: string },
): Promise<void> {
  try {
    await recordFilterError(mail.ctx.db, user, failure, mail.ctx.locks);
  } catch {
    // the message itself is safe in INBOX; losing the note is the lesser harm
  }
}
