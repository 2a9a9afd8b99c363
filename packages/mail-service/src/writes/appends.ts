/**
 * APPEND and MULTIAPPEND (RFC 3502) as the mail service does them: all or nothing, shown to this
 * process's view of the mailbox at once, and without a second copy in Sent of a message that
 * submission already filed there.
 */
import type { Readable } from 'node:stream';
import type { ObjectId } from 'mongodb';
import {
  appendMessage,
  findSubmittedCopy,
  normalizeFlags,
  type AppendFailure,
  type MailboxDocument,
} from '@wildduck/store';
import { announceMailboxChange } from './announce.js';
import type { MailContext } from './mail-context.js';
import { removeMessagesById } from './messages.js';

/** One message to append. */
export interface AppendInput {
  message: Readable;
  flags: readonly string[];
  /** Default: now. */
  internalDate?: Date;
  /** The size the client announced, so an over-quota message is refused before it is read. */
  size?: number;
}

export type AppendMessagesOutcome =
  { ok: true; uids: number[]; uidValidity: number } | { ok: false; code: AppendFailure };

interface Stored {
  uid: number;
  id: ObjectId;
  modseq: number;
  size: number;
  flags: string[];
  internalDate: Date;
}

/**
 * Appends messages to a mailbox, each stored while it arrives (a streamed APPEND reads the next
 * one after it). When one cannot be stored, or the source fails part way, the ones already stored
 * are removed again before the failure is answered (or thrown). Messages not read yet are drained.
 */
export async function appendMessages(
  mail: MailContext,
  user: ObjectId,
  box: MailboxDocument,
  messages: AsyncIterable<AppendInput> | Iterable<AppendInput>,
): Promise<AppendMessagesOutcome> {
  const mailbox = box._id!;
  const stored: Stored[] = [];
  let uidValidity = 0;
  let modseq = 0;
  const removeStored = () =>
    removeMessagesById(
      mail,
      user,
      mailbox,
      stored.map((message) => message.id),
    );
  const pending: AppendInput[] = Array.isArray(messages) ? [...(messages as AppendInput[])] : [];
  try {
    for await (const input of messages) {
      pending.shift();
      // the date is chosen here, so the mailbox view can show the message without reading it back
      const internalDate = input.internalDate ?? new Date();
      const outcome = await appendMessage(mail.ctx, user, mailbox, input.message, {
        flags: input.flags,
        ...(input.size !== undefined ? { expectedSize: input.size } : {}),
        internalDate,
      });
      if (!outcome.ok) {
        for (const rest of pending) rest.message.resume();
        await removeStored();
        return outcome;
      }
      stored.push({
        uid: outcome.uid,
        id: outcome.id,
        modseq: outcome.modseq,
        size: outcome.size,
        flags: normalizeFlags(input.flags),
        internalDate,
      });
      uidValidity = outcome.uidValidity;
      modseq = outcome.modseq;
    }
  } catch (error) {
    // the client's command was refused part way (or the connection dropped): nothing is kept
    await removeStored();
    throw error;
  }
  if (stored.length === 1 && box.specialUse === '\\Sent') {
    const filed = await keepSubmittedCopy(mail, user, mailbox, stored[0]!.id);
    if (filed !== null) return { ok: true, uids: [filed], uidValidity };
  }
  const view = mail.local?.views?.peek(user.toHexString(), mailbox.toHexString());
  for (const message of stored)
    view?.applyOwnArrival({ ...message, internalDate: message.internalDate.getTime() });
  if (stored.length) await announceMailboxChange(mail, user, mailbox, modseq, 'new');
  return { ok: true, uids: stored.map((message) => message.uid), uidValidity };
}

/** Drains the messages of an APPEND that is refused before any is stored. */
export function discardAppend(messages: AsyncIterable<AppendInput> | Iterable<AppendInput>): void {
  // a streamed APPEND's unread messages are thrown away by the IMAP core as they arrive
  if (Array.isArray(messages)) for (const input of messages as AppendInput[]) input.message.resume();
}

/**
 * A client's APPEND to Sent of a message that submission already filed there (most clients copy
 * what they sent into Sent themselves): the new copy is dropped and the filed one's UID answered,
 * as Gmail does, so Sent does not show every message twice. Null when it is no such duplicate.
 */
async function keepSubmittedCopy(
  mail: MailContext,
  user: ObjectId,
  mailbox: ObjectId,
  appended: ObjectId,
): Promise<number | null> {
  const filed = await findSubmittedCopy(mail.ctx.db, mailbox, appended);
  if (!filed) return null;
  await removeMessagesById(mail, user, mailbox, [appended]);
  return filed.uid;
}
