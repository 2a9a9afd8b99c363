/**
 * What a recipient's filters ask for beyond storing copies, done once the copies are stored (so a
 * failure here never loses the local copy): redirects and forwarding through the smarthost, the
 * vacation reply, and notices of rejection. Failures are logged and recorded for the user
 * (settings' lastFilterError); they are not retried.
 */
import { Readable } from 'node:stream';
import type { ObjectId } from 'mongodb';
import {
  noteFilterFailure,
  storeMessage,
  type SieveHeaderField,
  type VacationReply,
} from '@wildduck/mail-service';
import { claimVacationReply } from '@wildduck/store';
import { rejectionNotice, vacationReplyMessage } from './auto-replies.js';
import type { DeliveryDeps } from './deliver.js';
import type { MessageSpool } from './message-spool.js';
import { findLocalRecipient } from './recipients.js';
import { relayToSmarthost } from './relay.js';

/** A logger as pino gives it. */
export interface FilterLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** What filtered delivery needs beyond storing: our name, the smarthost, a logger. */
export interface FilterDeps extends DeliveryDeps {
  serverName: string;
  /** Where redirects, forwarding and replies to outside senders go; unset: redirect is a failure. */
  smarthost?: string;
  logger?: FilterLogger;
}

/**
 * Sends the message as received (our Delivered-To and Received on top, Return-Path left out: the
 * next hop writes its own) to the redirect addresses, with the user's own address as envelope
 * sender. No SRS: the user's address is ours, so SPF of the forwarded envelope holds. Answers
 * whether the smarthost took it (recipients it refused for good are recorded for the user); false
 * when nothing was handed over, which the caller turns into a kept copy where none exists.
 */
export async function sendRedirect(
  deps: FilterDeps,
  redirect: {
    user: ObjectId;
    account: string;
    to: readonly string[];
    trace: Buffer;
    header: Buffer;
    spool: MessageSpool;
  },
): Promise<boolean> {
  const { spool } = redirect;
  const trace = withoutReturnPath(redirect.trace);
  const message = Readable.from(
    (async function* () {
      yield Buffer.concat([trace, redirect.header]);
      yield* spool.open();
    })(),
  );
  try {
    const outcome = await relayToSmarthost(
      deps.smarthost!,
      { from: redirect.account, to: redirect.to },
      message,
      deps.serverName,
    );
    deps.logger?.info({ user: redirect.account, to: outcome.accepted }, 'filter redirect sent');
    if (outcome.rejected.length) {
      const refused = outcome.rejected.map((entry) => `<${entry.address}>: ${entry.reply}`).join('; ');
      await noteFilterFailure(deps, redirect.user, {
        script: 'redirect',
        message: `the smarthost refused ${refused}`,
      });
    }
    return true;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    deps.logger?.warn({ err: error, user: redirect.account }, 'filter redirect failed');
    await noteFilterFailure(deps, redirect.user, { script: 'redirect', message: `redirect failed: ${why}` });
    return false;
  }
}

function withoutReturnPath(trace: Buffer): Buffer {
  if (!trace.subarray(0, 12).toString('latin1').toLowerCase().startsWith('return-path:')) return trace;
  const end = trace.indexOf(0x0a);
  return end < 0 ? Buffer.alloc(0) : trace.subarray(end + 1);
}

/**
 * The vacation reply, at most once per sender per `:days` (vacationReplies in the store). The
 * interpreter has already applied RFC 3834's rules (no reply to lists, bulk or automatic mail,
 * the null sender, or mail not addressed to the user).
 */
export async function sendVacation(
  deps: FilterDeps,
  vacation: { user: ObjectId; account: string; action: VacationReply; original: readonly SieveHeaderField[] },
): Promise<void> {
  const { action } = vacation;
  try {
    const first = await claimVacationReply(deps.ctx.db, {
      user: vacation.user,
      handle: action.handle,
      sender: action.to,
      seconds: action.seconds,
    });
    if (!first) return;
    const reply = vacationReplyMessage({
      action,
      userAddress: vacation.account,
      original: vacation.original,
      serverName: deps.serverName,
    });
    await sendToSender(deps, action.to, reply);
  } catch (error) {
    deps.logger?.warn({ err: error, user: vacation.account }, 'vacation reply failed');
  }
}

/** Tells the envelope sender that a recipient's filter rejected the message (null sender: nobody). */
export async function sendRejectionNotice(
  deps: FilterDeps,
  notice: {
    sender: string;
    recipient: string;
    reason: string;
    header: Buffer;
    original: readonly SieveHeaderField[];
  },
): Promise<void> {
  if (!notice.sender) return;
  try {
    const message = rejectionNotice({
      to: notice.sender,
      recipient: notice.recipient,
      reason: notice.reason,
      originalHeader: notice.header,
      original: notice.original,
      serverName: deps.serverName,
    });
    await sendToSender(deps, notice.sender, message);
  } catch (error) {
    deps.logger?.warn({ err: error, sender: notice.sender }, 'rejection notice failed');
  }
}

/**
 * An automatic message for `to`, with the null envelope sender: into the INBOX of a local user,
 * else through the smarthost (none: dropped with a log line).
 */
async function sendToSender(deps: FilterDeps, to: string, message: Buffer): Promise<void> {
  const local = await findLocalRecipient(deps.ctx.db, to).catch(() => null);
  if (local) {
    const trace = Buffer.from(`Return-Path: <>\r\nDelivered-To: ${to.replace(/[\r\n]/g, '')}\r\n`);
    await storeMessage(deps, local.user, local.inbox, Readable.from([Buffer.concat([trace, message])]), {
      flags: [],
    });
    return;
  }
  if (!deps.smarthost) {
    deps.logger?.warn(
      { to },
      'an automatic reply to an outside sender needs a smarthost; none is configured',
    );
    return;
  }
  await relayToSmarthost(deps.smarthost, { from: '', to: [to] }, Readable.from([message]), deps.serverName);
}
