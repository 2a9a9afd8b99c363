import {
  SMTPServer,
  type SMTPServerDataStream,
  type SMTPServerEnvelope,
  type SMTPServerSession,
} from 'smtp-server';
import type { Logger } from 'pino';
import type { TlsFiles } from '../tls.js';
import {
  deliverFiltered,
  deliveryHeaders,
  deliveryKey,
  findLocalRecipient,
  HeaderTooLargeError,
  readHeaderBlock,
  replies,
  SmtpReply,
  withdrawCopies,
  worstReply,
  type DeliveryDeps,
  type FilteredDelivery,
  type LocalRecipient,
  type RecipientOutcome,
  type TraceInfo,
} from '@wildduck/delivery';
import { declaredSize, smtpLogger, traceFor } from './session-info.js';
import { tuneConnections } from './socket-tuning.js';

/** What an LMTP or SMTP maildrop server needs. */
export interface DeliveryServerOptions extends DeliveryDeps {
  /** LMTP: one reply per recipient (RFC 2033). SMTP: one reply for the transaction, all or nothing. */
  mode: 'lmtp' | 'smtp';
  serverName: string;
  /** Offered with STARTTLS (SMTP maildrop). */
  tls?: TlsFiles;
  /** Where filter redirects, forwarding and vacation replies to outside senders go. */
  smarthost?: string;
  logger: Logger;
  /** This process's outbox sender, woken when a delivery writes follow-ups. */
  mailOutbox?: { wake(): void };
}

/**
 * LMTP (`mode: 'lmtp'`) and the SMTP maildrop for local users (`mode: 'smtp'`): recipients are
 * checked at RCPT time, and the message is streamed into every recipient's INBOX with its own
 * Return-Path, Delivered-To and Received headers.
 *
 * LMTP answers each recipient after DATA, so one recipient over quota or one failure of the store
 * does not affect the others. SMTP has one reply for the whole transaction: if any copy cannot be
 * stored, the copies already stored are taken back and the worst reply is given (a temporary one
 * first), so a client that retries never delivers twice to anyone.
 */
export function createDeliveryServer(options: DeliveryServerOptions): SMTPServer {
  const { ctx, logger, mode } = options;
  const resolved = new WeakMap<SMTPServerEnvelope, Map<string, LocalRecipient>>();
  const limit = ctx.settings.maxMessageSize;

  const server = new SMTPServer({
    lmtp: mode === 'lmtp',
    name: options.serverName,
    banner: mode === 'lmtp' ? 'Wild Duck LMTP' : 'Wild Duck SMTP maildrop',
    size: limit,
    // without it smtp-server sends no reply at all to an oversized message (onData answers nothing)
    rejectOversized: true,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : { hideSTARTTLS: true }),
    disabledCommands: ['AUTH'],
    authOptional: true,
    hideENHANCEDSTATUSCODES: true,
    hideDSN: true,
    disableReverseLookup: true,
    logger: smtpLogger(logger),

    onRcptTo(address, session, callback) {
      findLocalRecipient(ctx.db, address.address, declaredSize(session))
        .then((recipient) => {
          if (!recipient) return callback(replies.unknownUser(address.address));
          const known = resolved.get(session.envelope) ?? new Map<string, LocalRecipient>();
          known.set(address.address, recipient);
          resolved.set(session.envelope, known);
          callback();
        })
        .catch((error: unknown) => {
          if (error instanceof SmtpReply) return callback(error);
          logger.warn({ err: error, session: session.id }, 'recipient lookup failed');
          callback(replies.storeUnavailable());
        });
    },

    onData(stream, session, callback) {
      const known = resolved.get(session.envelope);
      // every accepted RCPT was resolved by onRcptTo above
      const recipients = session.envelope.rcptTo.map((rcpt) => known!.get(rcpt.address)!);
      const started = Date.now();
      deliverToRecipients(options, stream, session, recipients)
        .then(async ({ byRecipient, delivery }) => {
          if (stream.sizeExceeded) {
            // smtp-server answers 552 itself; nothing of an oversized message may stay
            await withdrawCopies(options, delivery.results);
            await delivery.dispose();
            return callback(null, []);
          }
          const failures = byRecipient.flatMap(failureOf);
          logger.info(
            {
              session: session.id,
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              recipients: byRecipient.length,
              delivered: byRecipient.length - failures.length,
              bytes: stream.byteLength,
              ms: Date.now() - started,
            },
            `${mode.toUpperCase()} delivery`,
          );
          if (mode === 'lmtp') {
            // redirects and replies go to the outbox before the answer, so a stop right after it
            // loses none; they are sent from there (nothing to write: no store round trip)
            await delivery.followUp();
            callback(null, byRecipient.map(replyFor));
            return;
          }
          if (failures.length) {
            await withdrawCopies(options, delivery.results);
            await delivery.dispose();
            return callback(worstReply(failures));
          }
          const rejected = distinctRejections(byRecipient);
          if (rejected.length === byRecipient.length) {
            // every recipient refused it: SMTP can say so for the whole transaction
            await delivery.dispose();
            return callback(rejectionReply(rejected[0]!));
          }
          // one recipient cannot be refused alone over SMTP: its sender gets a notice instead
          await delivery.followUp(rejected.map((outcome) => outcome.recipient));
          callback(null, `2.0.0 OK: delivered to ${byRecipient.length} recipient(s)`);
        })
        .catch((error: unknown) => {
          stream.resume();
          if (error instanceof SmtpReply) return callback(error);
          logger.error({ err: error, session: session.id }, 'delivery failed');
          callback(replies.storeUnavailable());
        });
    },
  });
  return tuneConnections(server);
}

/** The LMTP reply for one recipient. */
function replyFor(outcome: RecipientOutcome): string | SmtpReply {
  const failure = failureOf(outcome)[0];
  if (failure) return failure;
  const label = outcome.recipient.address;
  if (outcome.kind === 'rejected') return rejectionReply(outcome);
  if (outcome.kind === 'stored') {
    const first = outcome.results[0];
    return `2.0.0 <${label}> delivered${first?.ok ? ` (uid ${first.uid})` : ''}`;
  }
  return `2.0.0 <${label}> delivered`;
}

/** Why a recipient was not delivered for now or for good (not a rejection by its filter). */
function failureOf(outcome: RecipientOutcome): SmtpReply[] {
  if (outcome.kind === 'unavailable') return [outcome.reply];
  if (outcome.kind === 'stored')
    return outcome.results.flatMap((result) => (result.ok ? [] : [result.reply]));
  return [];
}

/** RFC 5429: a rejection at delivery time is answered 550 5.7.1 with the script's reason. */
function rejectionReply(outcome: Extract<RecipientOutcome, { kind: 'rejected' }>): SmtpReply {
  const reason =
    outcome.reason
      .replace(/[\r\n]+/g, ' ')
      .trim()
      .slice(0, 400) || 'rejected by the recipient';
  return new SmtpReply(550, `5.7.1 ${reason}`);
}

/** The rejected recipients, each account once. */
function distinctRejections(outcomes: readonly RecipientOutcome[]) {
  const seen = new Set<RecipientOutcome>();
  return outcomes.filter((outcome): outcome is Extract<RecipientOutcome, { kind: 'rejected' }> => {
    if (outcome.kind !== 'rejected' || seen.has(outcome)) return false;
    seen.add(outcome);
    return true;
  });
}

/**
 * Runs every distinct recipient's filters and stores the copies they ask for; answers every RCPT
 * in order: a recipient given twice gets its copies once and the same outcome twice.
 */
async function deliverToRecipients(
  options: DeliveryServerOptions,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  recipients: readonly LocalRecipient[],
): Promise<{ byRecipient: RecipientOutcome[]; delivery: FilteredDelivery }> {
  const trace: TraceInfo = traceFor(session, options.serverName, options.mode === 'lmtp' ? 'LMTP' : 'ESMTP');
  const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  // one delivery per account and keep mailbox (deliveryKey): a user's addresses share one copy
  const distinct = new Map<string, LocalRecipient>();
  for (const recipient of recipients)
    if (!distinct.has(deliveryKey(recipient))) distinct.set(deliveryKey(recipient), recipient);
  const split = await readHeaderBlock(stream).catch((error: unknown) => {
    if (error instanceof HeaderTooLargeError) throw replies.invalidMessage(error.message);
    throw error;
  });
  const now = new Date();
  const delivery = await deliverFiltered(options, {
    envelopeSender: sender,
    header: Buffer.concat([split.fields, split.separator]),
    body: split.body,
    recipients: [...distinct.values()].map((recipient) => ({
      recipient,
      trace: deliveryHeaders(trace, sender, recipient.address, now),
    })),
  });
  const byKey = new Map(delivery.outcomes.map((outcome) => [deliveryKey(outcome.recipient), outcome]));
  return { byRecipient: recipients.map((recipient) => byKey.get(deliveryKey(recipient))!), delivery };
}
