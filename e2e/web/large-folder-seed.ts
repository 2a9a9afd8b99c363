/**
 * Fills a mailbox with the large-folder messages through the mail service's batch append: real
 * messages, indexed and stored like any append, with their search documents, journal entries and
 * counters. Batches go one after another, so UIDs follow the message numbers (message 0 is the oldest, UID 1).
 */
import type { ObjectId } from 'mongodb';
import { appendMessagesInBatch, type MailContext } from '@wildduck/mail-service';
import { largeFolderMessage } from './large-folder-messages.js';

export async function seedLargeFolder(
  mail: MailContext,
  user: ObjectId,
  mailbox: ObjectId,
  total: number,
  options: { batch?: number; parallel?: number; progress?: (stored: number) => void } = {},
): Promise<void> {
  const size = options.batch ?? 500;
  let next = 0;
  let stored = 0;
  const worker = async () => {
    while (next < total) {
      const start = next;
      next = Math.min(total, next + size);
      const batch = [];
      for (let index = start; index < next; index++) batch.push(largeFolderMessage(index, total));
      const outcome = await appendMessagesInBatch(mail, user, mailbox, batch);
      if (!outcome.ok) throw new Error(`the batch append of ${start}..${next - 1} failed: ${outcome.code}`);
      stored += batch.length;
      options.progress?.(stored);
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 1 }, worker));
}
