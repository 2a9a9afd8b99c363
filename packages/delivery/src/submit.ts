import { Readable } from 'node:stream';
import type { ObjectId } from 'mongodb';
import { findMailbox, openMessageSource } from '@wildduck/store';
import { specialUseMailbox as findOrCreateSpecialUse, storeMessage } from '@wildduck/mail-service';
import { withdrawCopies, type DeliveryDeps, type DeliveryTarget } from './deliver.js';
import type { FilterDeps } from './filter-followups.js';
import { deliverFiltered } from './filtered-delivery.js';
import { HeaderTooLargeError, readHeaderBlock } from './header-block-reader.js';
import { nonDeliveryReport } from './non-delivery-report.js';
import { deliveryKey, type LocalRecipient } from './recipients.js';
import { relayToSmarthost } from './relay.js';
import { replies, SmtpReply, worstReply } from './replies.js';
import { prepareSubmittedHeaders } from './submitted-headers.js';
import { deliveryHeaders, receivedHeader, type TraceInfo } from './trace-headers.js';

/** What submitting mail as a user needs. */
export interface SubmitDeps extends FilterDeps {
  /** Our name in Received: and generated Message-IDs. */
  serverName: string;
  /** Where outside mail goes (`smtp://[user:pass@]host:port` or `smtps://`); unset: local recipients only. */
  smarthost?: string;
}

/** The signed-in user who sends. */
export interface Sender {
  id: ObjectId;
  /** The account's address: the envelope sender, and the only address From: may carry. */
  address: string;
}

/** The recipients of one message: ours (looked up with `findLocalRecipient`), and outside ones. */
export interface SubmitRecipients {
  local: readonly LocalRecipient[];
  remote: readonly string[];
}

/** One message submitted by a user, as it streams in (SMTP DATA, or a message composed by the API). */
export interface Submission {
  sender: Sender;
  recipients: SubmitRecipients;
  /** The whole message, header block first; never held whole in memory. */
  message: Readable;
  /** Who handed it to us, for the Received: headers. */
  trace: TraceInfo;
  /**
   * Asked once every copy is stored: true when the message must not be kept after all (SMTP: it went
   * over the size limit, which smtp-server answers itself). The copies are then taken back.
   */
  discard?: () => boolean;
}

/** What became of a submitted message. */
export interface SubmitResult {
  /** The Message-ID header (added when the message had none). */
  messageId: string;
  /** The sender's copy, in the Sent mailbox, marked \Seen: the only copy that keeps Bcc. */
  sent: { mailbox: ObjectId; id: ObjectId; uid: number };
  /** Copies stored for local recipients (one per user). */
  localCopies: number;
  /** Outside recipients the smarthost took. */
  relayed: string[];
  /** Outside recipients the smarthost refused for good (the sender also gets a report in the INBOX). */
  rejected: { address: string; reply: string }[];
}

/**
 * Submits a message as a user (RFC 6409 semantics, whatever the transport): every From: address must
 * be the sender's, Message-ID and Date are added when missing; a copy goes into the sender's Sent
 * mailbox marked \Seen (keeping Bcc), local recipients get theirs directly (without Bcc), and outside
 * recipients get the Sent copy's bytes through the smarthost. Until the smarthost has the message
 * it is all or nothing: if a copy cannot be stored or the smarthost cannot take it, every stored
 * copy is taken back and an SmtpReply is thrown (4xx: try again later; 5xx: refused for good).
 * Recipients the smarthost refuses after taking it for others are reported to the sender by a
 * message in the INBOX and listed in `rejected`.
 *
 * Resolves with null when `discard` asked for the copies to be taken back.
 */
export async function submitMessage(deps: SubmitDeps, submission: Submission): Promise<SubmitResult | null> {
  const { sender, recipients, trace } = submission;
  if (recipients.remote.length && !deps.smarthost)
    throw new SmtpReply(
      550,
      `5.7.1 <${recipients.remote[0]}>: relaying to outside addresses is not configured`,
    );
  const split = await readHeaderBlock(submission.message).catch((error: unknown) => {
    if (error instanceof HeaderTooLargeError) throw replies.invalidMessage(error.message);
    throw error;
  });
  const headers = prepareSubmittedHeaders(split.fields, split.separator, sender.address, deps.serverName);
  if ('problem' in headers) throw new SmtpReply(550, `5.7.1 ${headers.problem}`);

  const sent = await sentMailbox(deps, sender.id);
  const now = new Date();
  const sentCopy: DeliveryTarget = {
    label: sender.address,
    user: sender.id,
    mailbox: sent,
    prefix: headers.sentCopy,
    flags: ['\\Seen'],
    origin: 'submission',
  };
  // local recipients' filters run as at LMTP; one that rejects gets no copy, and the sender a notice
  const delivery = await deliverFiltered(deps, {
    envelopeSender: sender.address,
    header: headers.outgoing,
    body: split.body,
    recipients: distinctByUser(recipients.local).map((recipient) => ({
      recipient,
      trace: deliveryHeaders(trace, sender.address, recipient.address, now),
    })),
    extraTargets: [sentCopy],
  });
  const results = delivery.results;
  if (submission.discard?.()) {
    await withdrawCopies(deps, results);
    await delivery.dispose();
    return null;
  }
  const failures = [
    ...results.flatMap((result) => (result.ok ? [] : [result.reply])),
    ...delivery.outcomes.flatMap((outcome) => (outcome.kind === 'unavailable' ? [outcome.reply] : [])),
  ];
  if (failures.length) {
    await withdrawCopies(deps, results);
    await delivery.dispose();
    throw worstReply(failures);
  }
  const stored = delivery.extra[0]!;
  if (!stored.ok) throw replies.storeUnavailable();
  const localCopies = delivery.outcomes.filter((outcome) => outcome.kind === 'stored');
  const rejectedLocally = delivery.outcomes.flatMap((outcome) =>
    outcome.kind === 'rejected' ? [outcome.recipient] : [],
  );

  const outcome: SubmitResult = {
    messageId: headers.messageId,
    sent: { mailbox: sent, id: stored.id, uid: stored.uid },
    localCopies: localCopies.length,
    relayed: [],
    rejected: [],
  };
  if (recipients.remote.length && deps.smarthost) {
    const body = await openMessageSource(deps.ctx.db, sender.id, stored.id, headers.sentCopy.length);
    if (!body) {
      await withdrawCopies(deps, results);
      await delivery.dispose();
      throw replies.storeUnavailable();
    }
    const outgoing = Readable.from(
      (async function* () {
        yield Buffer.concat([Buffer.from(receivedHeader(trace, undefined, now)), headers.outgoing]);
        yield* body.stream;
      })(),
    );
    try {
      const relayed = await relayToSmarthost(
        deps.smarthost,
        { from: sender.address, to: recipients.remote },
        outgoing,
        deps.serverName,
      );
      outcome.relayed = relayed.accepted;
      outcome.rejected = relayed.rejected;
      if (relayed.rejected.length) await reportRefusals(deps, sender, headers.messageId, relayed.rejected);
    } catch (error) {
      await withdrawCopies(deps, results);
      await delivery.dispose();
      throw error;
    }
  }
  // redirects, vacation replies and rejection notices to the outbox once the message is sent for good
  await delivery.followUp(rejectedLocally);
  return outcome;
}

/** The user's Sent mailbox; recreated (as "Sent Mail", \Sent) if the user deleted it. */
export async function sentMailbox(deps: DeliveryDeps, user: ObjectId): Promise<ObjectId> {
  return specialUseMailbox(deps, user, '\\Sent', 'Sent Mail');
}

/** The user's mailbox with this SPECIAL-USE flag; created under `path` if the user deleted it. */
export async function specialUseMailbox(
  deps: DeliveryDeps,
  user: ObjectId,
  specialUse: string,
  path: string,
): Promise<ObjectId> {
  const mailbox = await findOrCreateSpecialUse(deps, user, specialUse, path);
  if (!mailbox) throw replies.storeUnavailable();
  return mailbox;
}

/** One copy per user, whatever the number of their addresses among the recipients (deliveryKey). */
function distinctByUser(recipients: readonly LocalRecipient[]): LocalRecipient[] {
  const byUser = new Map<string, LocalRecipient>();
  for (const recipient of recipients) byUser.set(deliveryKey(recipient), recipient);
  return [...byUser.values()];
}

/**
 * The smarthost took the message for some recipients and refused others: the message cannot be
 * taken back, so the sender learns of the refusals the usual way, from a report in the INBOX.
 */
async function reportRefusals(
  deps: SubmitDeps,
  sender: Sender,
  messageId: string,
  rejected: { address: string; reply: string }[],
): Promise<void> {
  const inbox = await findMailbox(deps.ctx.db, sender.id, 'INBOX');
  if (!inbox?._id) return;
  const report = nonDeliveryReport({
    to: sender.address,
    messageId,
    rejected,
    serverName: deps.serverName,
  });
  await storeMessage(deps, sender.id, inbox._id, Readable.from([report]));
}
