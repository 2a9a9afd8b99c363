/**
 * What a recipient's filters ask for beyond storing copies: redirects and forwarding through the
 * smarthost, the vacation reply, and notices of rejection. A redirect that keeps no copy here is
 * sent at once (`sendRedirect`, before the client is answered); everything else becomes an entry of
 * the store's outgoing-mail outbox (`enqueueFollowUps`), written before the client is answered and
 * sent by the mail server's MailOutboxSender with retries, so neither a smarthost that is down nor a
 * process that stops loses it. Failures are recorded for the user (settings' lastFilterError).
 */
import { Readable } from 'node:stream';
import type { ObjectId } from 'mongodb';
import { noteFilterFailure, type SieveHeaderField, type VacationReply } from '@wildduck/mail-service';
import { claimVacationReply, enqueueMailOutbox, type NewMailOutboxEntry } from '@wildduck/store';
import { rejectionNotice, vacationReplyMessage } from './auto-replies.js';
import type { DeliveryDeps } from './deliver.js';
import type { MessageSpool } from './message-spool.js';
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
  /** This process's outbox sender, woken after an enqueue (without one, a sender polls for it). */
  mailOutbox?: { wake(): void };
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

/** How many bytes at the start of `trace` are its Return-Path line (0: none). */
export function returnPathLength(trace: Buffer): number {
  return trace.length - withoutReturnPath(trace).length;
}

/**
 * A redirect beside a kept copy: the stored copy as it was delivered, read again when it is sent,
 * less its Return-Path (the next hop writes its own), from the user's own address.
 */
export function redirectEntry(redirect: {
  user: ObjectId;
  account: string;
  to: readonly string[];
  trace: Buffer;
  copies: readonly ObjectId[];
}): NewMailOutboxEntry {
  return {
    kind: 'redirect',
    user: redirect.user,
    from: redirect.account,
    to: redirect.to,
    content: { sourceMessages: redirect.copies, skip: returnPathLength(redirect.trace) },
  };
}

/**
 * The vacation reply, at most once per sender per `:days` (vacationReplies in the store): the
 * sender is marked answered here, and the reply composed for the outbox; null when this sender was
 * answered within the period. The interpreter has already applied RFC 3834's rules (no reply to
 * lists, bulk or automatic mail, the null sender, or mail not addressed to the user).
 */
export async function vacationEntry(
  deps: FilterDeps,
  vacation: { user: ObjectId; account: string; action: VacationReply; original: readonly SieveHeaderField[] },
): Promise<NewMailOutboxEntry | null> {
  const { action } = vacation;
  const first = await claimVacationReply(deps.ctx.db, {
    user: vacation.user,
    handle: action.handle,
    sender: action.to,
    seconds: action.seconds,
  });
  if (!first) return null;
  const reply = vacationReplyMessage({
    action,
    userAddress: vacation.account,
    original: vacation.original,
    serverName: deps.serverName,
  });
  return { kind: 'vacation', user: vacation.user, from: '', to: [action.to], content: { message: reply } };
}

/** Tells the envelope sender that `user`'s filter rejected the message (null sender: nobody). */
export function rejectionNoticeEntry(
  deps: FilterDeps,
  notice: {
    user: ObjectId;
    sender: string;
    recipient: string;
    reason: string;
    header: Buffer;
    original: readonly SieveHeaderField[];
  },
): NewMailOutboxEntry | null {
  if (!notice.sender) return null;
  const message = rejectionNotice({
    to: notice.sender,
    recipient: notice.recipient,
    reason: notice.reason,
    originalHeader: notice.header,
    original: notice.original,
    serverName: deps.serverName,
  });
  return {
    kind: 'rejection-notice',
    user: notice.user,
    from: '',
    to: [notice.sender],
    content: { message },
  };
}

/**
 * Writes the follow-ups to the outbox in one insert and wakes this process's sender. Never throws:
 * when the store refuses them, they are logged and (as far as the store still takes a note)
 * recorded for their users.
 */
export async function enqueueFollowUps(
  deps: FilterDeps,
  entries: readonly NewMailOutboxEntry[],
): Promise<void> {
  if (!entries.length) return;
  try {
    await enqueueMailOutbox(deps.ctx.db, entries);
    deps.mailOutbox?.wake();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    deps.logger?.warn(
      { err: error, entries: entries.map(({ kind, to }) => ({ kind, to })) },
      'filter follow-ups could not be written to the outbox; not sent',
    );
    await Promise.all(
      entries.map((entry) =>
        noteFilterFailure(deps, entry.user, {
          script: FAILURE_SCRIPT[entry.kind],
          message: `${entry.kind} to ${entry.to.map((to) => `<${to}>`).join(', ')} not sent: ${why}`,
        }),
      ),
    );
  }
}

/** Under which name a follow-up's failure is shown to the user. */
export const FAILURE_SCRIPT: Record<NewMailOutboxEntry['kind'], string> = {
  redirect: 'redirect',
  vacation: 'vacation',
  'rejection-notice': 'reject',
};
