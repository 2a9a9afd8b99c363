/**
 * Many messages into one mailbox at once (imports, seeding a large mailbox): stored by the store's
 * batch append (one reservation, one UID allocation, one insert and one journal write for all),
 * then announced once, so every process's views and change feeds catch up from the journal.
 */
import type { ObjectId } from 'mongodb';
import { appendMessageBatch, type AppendBatchOutcome, type BatchMessage } from '@wildduck/store';
import { announceMailboxChange } from './announce.js';
import type { MailContext } from './mail-context.js';

export async function appendMessagesInBatch(
  mail: MailContext,
  user: ObjectId,
  mailbox: ObjectId,
  batch: readonly BatchMessage[],
): Promise<AppendBatchOutcome> {
  const outcome = await appendMessageBatch(mail.ctx, user, mailbox, batch);
  if (outcome.ok) await announceMailboxChange(mail, user, mailbox, outcome.lastModseq, 'new');
  return outcome;
}
