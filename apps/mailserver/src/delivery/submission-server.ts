import { Readable } from 'node:stream';
import type { ObjectId } from 'mongodb';
import type { Logger } from 'pino';
import {
  SMTPServer,
  type SMTPServerDataStream,
  type SMTPServerEnvelope,
  type SMTPServerSession,
} from 'smtp-server';
import {
  appendMessage,
  authenticateUser,
  createMailbox,
  findMailbox,
  findSpecialUseMailbox,
  normalizeAddress,
  openMessageSource,
} from '@wildduck/store';
import type { RateLimiter } from '@wildduck/events';
import type { TlsFiles } from '../tls.js';
import { deliverCopies, withdrawCopies, type DeliveryDeps, type DeliveryTarget } from './deliver.js';
import { HeaderTooLargeError, readHeaderBlock } from './header-block-reader.js';
import { nonDeliveryReport } from './non-delivery-report.js';
import { findLocalRecipient, type LocalRecipient } from './recipients.js';
import { relayToSmarthost } from './relay.js';
import { replies, SmtpReply, worstReply } from './replies.js';
import { declaredSize, smtpLogger, traceFor } from './session-info.js';
import { prepareSubmittedHeaders } from './submitted-headers.js';
import { deliveryHeaders, receivedHeader } from './trace-headers.js';

/** What the submission server needs. */
export interface SubmissionServerOptions extends DeliveryDeps {
  serverName: string;
  tls: TlsFiles;
  logger: Logger;
  /** Where outside mail goes; without one, only local recipients are accepted. */
  smarthost?: string;
  /** AUTH before STARTTLS (off by default). */
  allowInsecureAuth?: boolean;
  userLimiter: RateLimiter;
  addressLimiter: RateLimiter;
}

/** The signed-in sender. */
interface Sender {
  id: ObjectId;
  address: string;
}

/** The recipients of one transaction: ours, and those for the smarthost. */
interface Recipients {
  local: Map<string, LocalRecipient>;
  remote: string[];
}

/** RCPTs allowed in one transaction (RFC 5321 4.5.3.1.8 asks for at least 100). */
const MAX_RECIPIENTS = 100;

/**
 * SMTP submission (RFC 6409): STARTTLS, then AUTH PLAIN or LOGIN (failures rate-limited per account
 * and per client address). The envelope sender and every From: address must be the signed-in
 * user's. Local recipients get the message directly; outside ones through the smarthost; and, as
 * Gmail does, a copy goes into the sender's Sent mailbox marked \Seen, the only copy that keeps
 * Bcc. The transaction is all or nothing until the smarthost has the message: if a copy cannot be
 * stored or the smarthost cannot be reached, every stored copy is taken back and the client told
 * to try again (4xx).
 */
export function createSubmissionServer(options: SubmissionServerOptions): SMTPServer {
  const { ctx, logger } = options;
  const transactions = new WeakMap<SMTPServerEnvelope, Recipients>();

  return new SMTPServer({
    name: options.serverName,
    banner: 'Wild Duck submission',
    key: options.tls.key,
    cert: options.tls.cert,
    size: ctx.settings.maxMessageSize,
    // without it smtp-server lets onData's empty reply through: an oversized message got `250 `, stored nowhere
    rejectOversized: true,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    allowInsecureAuth: options.allowInsecureAuth ?? false,
    hideENHANCEDSTATUSCODES: true,
    hideDSN: true,
    disableReverseLookup: true,
    logger: smtpLogger(logger),

    onAuth(auth, session, callback) {
      signIn(options, auth.username ?? '', auth.password ?? '', session.remoteAddress)
        .then((sender) => callback(null, { user: sender }))
        .catch((error: unknown) => callback(asReply(error, logger, session)));
    },

    onMailFrom(address, session, callback) {
      const sender = session.user as Sender;
      if (normalizeAddress(address.address) !== sender.address)
        return callback(
          new SmtpReply(553, `5.7.1 <${address.address}>: sender address is not yours (<${sender.address}>)`),
        );
      callback();
    },

    onRcptTo(address, session, callback) {
      const recipients: Recipients = transactions.get(session.envelope) ?? { local: new Map(), remote: [] };
      transactions.set(session.envelope, recipients);
      if (recipients.local.size + recipients.remote.length >= MAX_RECIPIENTS)
        return callback(new SmtpReply(452, `4.5.3 too many recipients (at most ${MAX_RECIPIENTS})`));
      findLocalRecipient(ctx.db, address.address, declaredSize(session))
        .then((local) => {
          if (local) recipients.local.set(address.address, local);
          else if (options.smarthost) recipients.remote.push(address.address);
          else
            return callback(
              new SmtpReply(
                550,
                `5.7.1 <${address.address}>: relaying to outside addresses is not configured`,
              ),
            );
          callback();
        })
        .catch((error: unknown) => callback(asReply(error, logger, session)));
    },

    onData(stream, session, callback) {
      const recipients = transactions.get(session.envelope) ?? { local: new Map(), remote: [] };
      submit(options, stream, session, recipients)
        .then((reply) => callback(null, reply))
        .catch((error: unknown) => {
          stream.resume();
          callback(asReply(error, logger, session));
        });
    },
  });
}

/** Checks a password, counting failures against the account and the client address. */
async function signIn(
  options: SubmissionServerOptions,
  username: string,
  password: string,
  remoteAddress: string,
): Promise<Sender> {
  const userKey = normalizeAddress(username) ?? username.toLowerCase();
  if (
    (await options.userLimiter.isLimited(userKey)) ||
    (await options.addressLimiter.isLimited(remoteAddress))
  )
    throw new SmtpReply(454, '4.7.0 too many failed sign-ins; try again later');
  const user = await authenticateUser(options.ctx.db, username, password);
  if (!user) {
    await Promise.all([options.userLimiter.hit(userKey), options.addressLimiter.hit(remoteAddress)]);
    throw new SmtpReply(535, '5.7.8 authentication failed');
  }
  return { id: user._id, address: user.address };
}

/** Stores the copies, relays what must go out, and gives the reply text. */
async function submit(
  options: SubmissionServerOptions,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  recipients: Recipients,
): Promise<string> {
  const sender = session.user as Sender;
  const split = await readHeaderBlock(stream).catch((error: unknown) => {
    if (error instanceof HeaderTooLargeError) throw replies.invalidMessage(error.message);
    throw error;
  });
  const headers = prepareSubmittedHeaders(split.fields, split.separator, sender.address, options.serverName);
  if ('problem' in headers) throw new SmtpReply(550, `5.7.1 ${headers.problem}`);

  const sent = await sentMailbox(options, sender.id);
  const trace = traceFor(session, options.serverName, 'ESMTP');
  const now = new Date();
  const sentCopy: DeliveryTarget = {
    label: sender.address,
    user: sender.id,
    mailbox: sent,
    prefix: headers.sentCopy,
    flags: ['\\Seen'],
  };
  const localCopies = distinctByUser([...recipients.local.values()]).map((recipient): DeliveryTarget => ({
    label: recipient.address,
    user: recipient.user,
    mailbox: recipient.inbox,
    prefix: Buffer.concat([deliveryHeaders(trace, sender.address, recipient.address, now), headers.outgoing]),
  }));
  const results = await deliverCopies(options, split.body, [sentCopy, ...localCopies]);
  if (stream.sizeExceeded) {
    // smtp-server answers 552 itself; nothing of an oversized message may stay
    await withdrawCopies(options, results);
    return '';
  }
  const failures = results.flatMap((result) => (result.ok ? [] : [result.reply]));
  if (failures.length) {
    await withdrawCopies(options, results);
    throw worstReply(failures);
  }

  if (recipients.remote.length && options.smarthost) {
    const stored = results[0]!;
    const body = stored.ok
      ? await openMessageSource(options.ctx.db, sender.id, stored.id, headers.sentCopy.length)
      : null;
    if (!body) {
      await withdrawCopies(options, results);
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
        options.smarthost,
        { from: sender.address, to: recipients.remote },
        outgoing,
        options.serverName,
      );
      if (relayed.rejected.length) await reportRefusals(options, sender, headers.messageId, relayed.rejected);
    } catch (error) {
      await withdrawCopies(options, results);
      throw error;
    }
  }
  options.logger.info(
    {
      session: session.id,
      from: sender.address,
      local: localCopies.length,
      remote: recipients.remote.length,
      bytes: stream.byteLength,
    },
    'submission',
  );
  return `2.0.0 OK: ${headers.messageId} sent; a copy is in your Sent mailbox`;
}

/** The user's Sent mailbox; recreated (as "Sent Mail", \Sent) if the user deleted it. */
async function sentMailbox(options: SubmissionServerOptions, user: ObjectId): Promise<ObjectId> {
  const existing = await findSpecialUseMailbox(options.ctx.db, user, '\\Sent');
  if (existing?._id) return existing._id;
  await createMailbox(options.ctx.db, user, 'Sent Mail', '\\Sent');
  const created = await findMailbox(options.ctx.db, user, 'Sent Mail');
  if (!created?._id) throw replies.storeUnavailable();
  return created._id;
}

/** One copy per user, whatever the number of their addresses in RCPT TO. */
function distinctByUser(recipients: readonly LocalRecipient[]): LocalRecipient[] {
  const byUser = new Map<string, LocalRecipient>();
  for (const recipient of recipients) byUser.set(recipient.user.toHexString(), recipient);
  return [...byUser.values()];
}

/**
 * The smarthost took the message for some recipients and refused others: the message cannot be
 * taken back, so the sender learns of the refusals the usual way, from a report in the INBOX.
 */
async function reportRefusals(
  options: SubmissionServerOptions,
  sender: Sender,
  messageId: string,
  rejected: { address: string; reply: string }[],
): Promise<void> {
  const inbox = await findMailbox(options.ctx.db, sender.id, 'INBOX');
  if (!inbox?._id) return;
  const report = nonDeliveryReport({
    to: sender.address,
    messageId,
    rejected,
    serverName: options.serverName,
  });
  const stored = await appendMessage(options.ctx, sender.id, inbox._id, Readable.from([report]));
  if (stored.ok)
    await options.bus
      .publish({
        type: 'mailbox',
        user: sender.id.toHexString(),
        mailbox: inbox._id.toHexString(),
        modseq: stored.modseq,
      })
      .catch(() => {});
}

/** Our replies pass through; anything else is a failure of the store, logged and answered 451. */
function asReply(error: unknown, logger: Logger, session: SMTPServerSession): SmtpReply {
  if (error instanceof SmtpReply) return error;
  logger.warn({ err: error, session: session.id }, 'submission failed');
  return replies.storeUnavailable();
}
