import type { Logger } from 'pino';
import {
  SMTPServer,
  type SMTPServerDataStream,
  type SMTPServerEnvelope,
  type SMTPServerSession,
} from 'smtp-server';
import { signIn } from '@wildduck/mail-service';
import { normalizeAddress, recordContacts } from '@wildduck/store';
import type { RateLimiter } from '@wildduck/coordination';
import {
  findLocalRecipient,
  replies,
  SmtpReply,
  submitMessage,
  type LocalRecipient,
  type Sender,
  type SubmitDeps,
} from '@wildduck/delivery';
import type { TlsFiles } from '../tls.js';
import { declaredSize, smtpLogger, traceFor } from './session-info.js';
import { tuneConnections } from './socket-tuning.js';

/** What the submission server needs. */
export interface SubmissionServerOptions extends SubmitDeps {
  tls: TlsFiles;
  logger: Logger;
  /** AUTH before STARTTLS (off by default). */
  allowInsecureAuth?: boolean;
  userLimiter: RateLimiter;
  addressLimiter: RateLimiter;
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

  const server = new SMTPServer({
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
      signInSender(options, auth.username ?? '', auth.password ?? '', session.remoteAddress)
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
        .then((reply) => {
          callback(null, reply);
          // after the reply, so compose's suggestions cost the client no wait
          if (reply) noteRecipients(options, session, recipients);
        })
        .catch((error: unknown) => {
          stream.resume();
          callback(asReply(error, logger, session));
        });
    },
  });
  return tuneConnections(server);
}

/** Checks a password, counting failures against the account and the client address. */
async function signInSender(
  options: SubmissionServerOptions,
  username: string,
  password: string,
  remoteAddress: string,
): Promise<Sender> {
  const limiters = {
    user: options.userLimiter,
    address: options.addressLimiter,
    ...(options.adminEvents ? { events: options.adminEvents } : {}),
  };
  const outcome = await signIn(options.ctx.db, limiters, username, password, remoteAddress, {
    protocol: 'smtp',
  });
  if (outcome.ok) return { id: outcome.user._id, address: outcome.user.address };
  if (outcome.rateLimited) throw new SmtpReply(454, '4.7.0 too many failed sign-ins; try again later');
  // the hint (e.g. "use an app password") only comes when the password itself was right
  throw new SmtpReply(535, `5.7.8 ${oneLine(outcome.hint) || 'authentication failed'}`);
}

/** Stores the copies, relays what must go out (see `submitMessage`), and gives the reply text. */
async function submit(
  options: SubmissionServerOptions,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  recipients: Recipients,
): Promise<string> {
  const sender = session.user as Sender;
  const result = await submitMessage(options, {
    sender,
    recipients: { local: [...recipients.local.values()], remote: recipients.remote },
    message: stream,
    trace: traceFor(session, options.serverName, 'ESMTP'),
    // smtp-server answers 552 itself; nothing of an oversized message may stay
    discard: () => stream.sizeExceeded,
  });
  if (!result) return '';
  options.logger.info(
    {
      session: session.id,
      from: sender.address,
      local: result.localCopies,
      remote: recipients.remote.length,
      bytes: stream.byteLength,
    },
    'submission',
  );
  return `2.0.0 OK: ${result.messageId} sent; a copy is in your Sent mailbox`;
}

/** Records the recipients of a sent message for compose's address suggestions (logged if it fails). */
function noteRecipients(
  options: SubmissionServerOptions,
  session: SMTPServerSession,
  recipients: Recipients,
): void {
  const sender = session.user as Sender;
  const addresses = [...recipients.local.keys(), ...recipients.remote].flatMap((address) => {
    const normalized = normalizeAddress(address);
    return normalized ? [{ address: normalized }] : [];
  });
  recordContacts(options.ctx.db, sender.id, addresses).catch((error: unknown) =>
    options.logger.warn(
      { err: error, session: session.id },
      'recording the recipients for suggestions failed',
    ),
  );
}

/** Our replies pass through; anything else is a failure of the store, logged and answered 451. */
function asReply(error: unknown, logger: Logger, session: SMTPServerSession): SmtpReply {
  if (error instanceof SmtpReply) return error;
  logger.warn({ err: error, session: session.id }, 'submission failed');
  return replies.storeUnavailable();
}

/** A hint as one line of reply text. */
function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
}
