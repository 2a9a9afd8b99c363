import {
  SMTPServer,
  type SMTPServerDataStream,
  type SMTPServerEnvelope,
  type SMTPServerSession,
} from 'smtp-server';
import type { Logger } from 'pino';
import type { TlsFiles } from '../tls.js';
import {
  deliverCopies,
  deliveryHeaders,
  findLocalRecipient,
  replies,
  SmtpReply,
  withdrawCopies,
  worstReply,
  type DeliveryDeps,
  type DeliveryResult,
  type LocalRecipient,
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
  logger: Logger;
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
        .then(async (byRecipient) => {
          const failures = byRecipient.filter((result) => !result.ok);
          if (stream.sizeExceeded) {
            // smtp-server answers 552 itself; nothing of an oversized message may stay
            await withdrawCopies(options, byRecipient);
            return callback(null, []);
          }
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
          if (mode === 'lmtp') return callback(null, byRecipient.map(replyFor));
          if (!failures.length)
            return callback(null, `2.0.0 OK: delivered to ${byRecipient.length} recipient(s)`);
          await withdrawCopies(options, byRecipient);
          callback(
            worstReply(failures.map((result) => (result.ok ? replies.storeUnavailable() : result.reply))),
          );
        })
        .catch((error: unknown) => {
          logger.error({ err: error, session: session.id }, 'delivery failed');
          stream.resume();
          callback(replies.storeUnavailable());
        });
    },
  });
  return tuneConnections(server);
}

/** The LMTP reply for one recipient. */
function replyFor(result: DeliveryResult): string | SmtpReply {
  return result.ok ? `2.0.0 <${result.target.label}> delivered (uid ${result.uid})` : result.reply;
}

/**
 * Stores one copy per distinct recipient and answers every RCPT in order: a recipient given twice
 * gets one copy and the same reply twice.
 */
async function deliverToRecipients(
  options: DeliveryServerOptions,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  recipients: readonly LocalRecipient[],
): Promise<DeliveryResult[]> {
  const trace: TraceInfo = traceFor(session, options.serverName, options.mode === 'lmtp' ? 'LMTP' : 'ESMTP');
  const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const distinct = new Map<string, LocalRecipient>();
  for (const recipient of recipients)
    if (!distinct.has(recipient.user.toHexString())) distinct.set(recipient.user.toHexString(), recipient);
  const now = new Date();
  const targets = [...distinct.values()].map((recipient) => ({
    label: recipient.address,
    user: recipient.user,
    mailbox: recipient.inbox,
    prefix: deliveryHeaders(trace, sender, recipient.address, now),
  }));
  const results = await deliverCopies(options, stream, targets);
  const byUser = new Map(results.map((result) => [result.target.user.toHexString(), result]));
  return recipients.map((recipient) => byUser.get(recipient.user.toHexString())!);
}
