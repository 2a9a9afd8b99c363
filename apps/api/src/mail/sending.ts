/**
 * Sending a message and saving a draft through the API: the message is composed from the input
 * (compose.ts), then submitted (packages/delivery: Sent copy, local copies, smarthost) or stored
 * in Drafts through the mail service. Failures are RequestFailures naming the field.
 */
import { randomUUID } from 'node:crypto';
import type { Document, ObjectId } from 'mongodb';
import { findMessagePlaces, findThreadingHeaders, recordContacts } from '@wildduck/store';
import { findLocalRecipient, SmtpReply, submitMessage, type LocalRecipient } from '@wildduck/delivery';
import { removeMessagesById, setFlagsAs, storeMessage } from '@wildduck/mail-service';
import {
  invalidInput,
  notFoundFailure,
  overQuotaFailure,
  unavailableFailure,
  type RequestFailure,
} from '../failures.js';
import type { ApiServices } from '../services.js';
import {
  checkRecipients,
  composeMessage,
  type ComposeInput,
  type Recipient,
  type RecipientField,
  type ReplyTarget,
} from './compose.js';
import {
  mailContextOf,
  parseId,
  specialUseMailboxOf,
  submitDepsOf,
  type MailAccount,
} from './mail-account.js';
import { sendingIdentity } from './identities.js';
import { messageSummaries } from './mutation-results.js';
import { reachableMessages, type ReachablePlace } from './mailbox-access.js';

/** What a send did. */
export interface SendResult {
  messageId: string;
  /** The Sent copy, as a MessageSummary parent. */
  sent: Document | undefined;
  /** Outside recipients the smarthost refused (the sender also gets a report in the INBOX). */
  rejected: string[];
}

/**
 * The message a reply answers: the user's, or one of a mailbox shared with them they may read
 * (NOT_FOUND otherwise, as for a message that does not exist).
 */
async function replyTarget(
  services: ApiServices,
  user: MailAccount,
  id: string | null | undefined,
): Promise<(ReplyTarget & { place: ReachablePlace }) | null> {
  if (id === null || id === undefined) return null;
  const message = `No such message: ${id}`;
  const messageId = parseId(id, message, 'inReplyTo');
  const [place] = await reachableMessages(services, user, [messageId]);
  const headers = place && (await findThreadingHeaders(services.db, place.target.owner, messageId));
  if (!place || !headers) throw notFoundFailure(message, 'inReplyTo');
  return { id: messageId, ...headers, place };
}

/** Sends a message as the user; `remoteAddress` is the client's, for the Received: header. */
export async function sendMessage(
  services: ApiServices,
  user: MailAccount,
  input: ComposeInput,
  remoteAddress: string,
): Promise<SendResult> {
  const recipients = checkRecipients(input);
  if (!recipients.length) throw invalidInput('Name at least one recipient (to, cc or bcc)', 'to');
  const replyTo = await replyTarget(services, user, input.inReplyTo);

  // recipients are looked up first, so a refused one costs no composing
  const local: LocalRecipient[] = [];
  const remote: string[] = [];
  for (const recipient of recipients) {
    let found: LocalRecipient | null;
    try {
      found = await findLocalRecipient(services.db, recipient.address);
    } catch (error) {
      throw submissionFailure(error, recipients, recipient);
    }
    if (found) local.push(found);
    else if (services.smarthost) remote.push(recipient.address);
    else
      throw invalidInput(
        `${recipient.field}: <${recipient.address}> is not on this server, and sending to outside addresses is not configured`,
        recipient.field,
      );
  }

  const composed = await composeMessage(services.db, user, input, {
    serverName: services.serverName,
    replyTo,
    from: await sendingIdentity(services, user, input.identityId),
  });
  let result;
  try {
    result = await submitMessage(submitDepsOf(services), {
      sender: { id: user.userId, address: user.address },
      recipients: { local, remote },
      message: composed.stream(),
      trace: {
        heloName: 'graphql',
        remoteAddress: remoteAddress || '127.0.0.1',
        serverName: services.serverName,
        protocol: 'HTTP',
        id: randomUUID(),
      },
    });
  } catch (error) {
    throw submissionFailure(error, composed.recipients);
  }
  if (!result) throw new Error('the submission was discarded');
  services.logger.info(
    { user: user.userId.toHexString(), local: result.localCopies, remote: remote.length },
    'GraphQL send',
  );
  if (replyTo) await markAnswered(services, user, replyTo.place);
  // the message is sent: a failure to note its recipients for suggestions must not say otherwise
  await recordContacts(services.db, user.userId, composed.recipients).catch((error: unknown) =>
    services.logger.warn({ err: error }, 'recording the recipients for suggestions failed'),
  );
  const [sent] = await messageSummaries(services.db, user.userId, [result.sent.id]);
  return { messageId: result.messageId, sent, rejected: result.rejected.map((entry) => entry.address) };
}

/**
 * Gives the answered message \Answered (when it is still there); in another user's mailbox only
 * with the right to change flags there (w), else it is left as it is.
 */
async function markAnswered(
  services: ApiServices,
  user: MailAccount,
  answered: ReachablePlace,
): Promise<void> {
  await setFlagsAs(mailContextOf(services), user.userId, answered.target, [answered.uid], {
    action: 'add',
    flags: ['\\Answered'],
  });
}

/**
 * A refusal of the submission as a RequestFailure: a full mailbox is OVER_QUOTA; a refused
 * recipient or message is invalid input naming the field; a smarthost that cannot be reached
 * (nothing was sent or kept) is UNAVAILABLE; a store failure stays an internal error.
 */
function submissionFailure(
  error: unknown,
  recipients: readonly Recipient[],
  recipient?: Recipient,
): RequestFailure | unknown {
  if (!(error instanceof SmtpReply)) return error;
  const text = error.message;
  const named = /<([^<>]+)>/.exec(text)?.[1];
  const who = recipient ?? recipients.find((entry) => entry.address === named);
  const field: RecipientField = who?.field ?? 'to';
  if (text.startsWith('5.2.2'))
    return overQuotaFailure(named ? `The mailbox of <${named}> is full (over quota); nothing was sent` : '');
  if (text.startsWith('5.3.4'))
    return invalidInput(`The message is too big: ${text.slice(6)}`, 'attachments');
  if (text.startsWith('5.2.1') || text.startsWith('5.1.1'))
    return invalidInput(`${field}: <${named ?? ''}> cannot receive mail`, field);
  if (text.startsWith('5.4.0'))
    return invalidInput(`The outside recipients were refused: ${text.slice(6)}`, field);
  if (text.startsWith('4.4.1') || text.startsWith('4.3.0'))
    return unavailableFailure(`Nothing was sent; try again later (${text.slice(6)})`);
  if (error.temporary) return error;
  return invalidInput(`The message was refused: ${text}`, 'input');
}

/** Saves a draft in Drafts (replacing the draft `replaceId`); the new draft as a MessageSummary parent. */
export async function saveDraft(
  services: ApiServices,
  user: MailAccount,
  input: ComposeInput,
  replaceId: string | null,
): Promise<Document | undefined> {
  let replaced: { id: ObjectId; mailbox: ObjectId } | null = null;
  if (replaceId !== null) {
    const message = `No such message: ${replaceId}`;
    const [document] = await findMessagePlaces(services.db, user.userId, [
      parseId(replaceId, message, 'replaceId'),
    ]);
    if (!document) throw notFoundFailure(message, 'replaceId');
    if (!document.flags.includes('\\Draft'))
      throw invalidInput('replaceId is not a draft (it has no \\Draft flag)', 'replaceId');
    replaced = { id: document.id, mailbox: document.mailbox };
  }
  const replyTo = await replyTarget(services, user, input.inReplyTo);
  const composed = await composeMessage(services.db, user, input, {
    serverName: services.serverName,
    replyTo,
    from: await sendingIdentity(services, user, input.identityId),
  });
  const drafts = await specialUseMailboxOf(services, user.userId, '\\Drafts', 'Drafts');
  const mail = mailContextOf(services);
  const stored = await storeMessage(mail, user.userId, drafts, composed.stream(), {
    flags: ['\\Draft', '\\Seen'],
  });
  if (!stored.ok) {
    if (stored.code === 'OVERQUOTA')
      throw overQuotaFailure('Your mailbox is full (over quota): the draft was not saved', 'input');
    if (stored.code === 'TOOBIG') throw invalidInput('The draft is too big', 'attachments');
    throw notFoundFailure('The Drafts mailbox is gone', 'input');
  }
  if (replaced) await removeMessagesById(mail, user.userId, replaced.mailbox, [replaced.id]);
  const [summary] = await messageSummaries(services.db, user.userId, [stored.id]);
  return summary;
}
