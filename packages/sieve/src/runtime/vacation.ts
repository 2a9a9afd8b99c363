/**
 * The vacation decisions that need no I/O (RFC 5230 4.1, 4.2, 4.5, 4.6, 5.3; RFC 3834 2): whether
 * this message may get an automatic reply at all, the reply's subject, its tracking handle and
 * its period. Remembering whom we already answered is the caller's job (keyed by `handle`).
 */
import { createHash } from 'node:crypto';
import { parseAddressList, sameAddress } from './addresses.js';
import type { MessageHeaders } from './headers.js';

export const DEFAULT_VACATION_DAYS = 7;
export const MIN_VACATION_DAYS = 1;
/** RFC 5230 4.1: a site maximum must exceed 7 days and should exceed 30. */
export const MAX_VACATION_DAYS = 365;

/** Headers where the recipient must be named for a reply (RFC 5230 4.5). */
const RECIPIENT_HEADERS = ['to', 'cc', 'bcc', 'resent-to', 'resent-cc', 'resent-bcc'];

/** Mailing-list headers (RFC 2369, RFC 2919): a reply would go to the list's machinery. */
const LIST_HEADERS = [
  'list-id',
  'list-help',
  'list-subscribe',
  'list-unsubscribe',
  'list-post',
  'list-owner',
  'list-archive',
];

/** Local parts of senders that are programs, not people (RFC 5230 4.6, RFC 3834 2). */
const AUTOMATED_LOCAL_PARTS = [/^mailer-daemon$/i, /^listserv$/i, /^majordomo$/i, /^owner-/i, /-request$/i];

export function vacationSeconds(days: number | undefined): number {
  const clamped = Math.min(Math.max(days ?? DEFAULT_VACATION_DAYS, MIN_VACATION_DAYS), MAX_VACATION_DAYS);
  return clamped * 86400;
}

/** RFC 5230 5.3: "Auto: " and the original subject, or a fixed subject when there is none. */
export function defaultSubject(headers: MessageHeaders): string {
  const subject = headers.first('subject');
  return subject === undefined ? 'Automated reply' : `Auto: ${subject}`;
}

/**
 * RFC 5230 4.2: without :handle, a reply is identified by its :subject, :from, :mime and reason
 * as written in the script (before variable expansion), each length-prefixed so that the same
 * text given to different parameters cannot collide.
 */
export function deriveHandle(parts: {
  subject: string | null;
  from: string | null;
  mime: boolean;
  reason: string;
}): string {
  const hash = createHash('sha256');
  for (const part of [parts.subject, parts.from, parts.mime ? 'mime' : null, parts.reason]) {
    const text = part ?? '';
    hash.update(`${part === null ? '-' : '+'}${Buffer.byteLength(text)}:${text}`);
  }
  return `auto-${hash.digest('hex').slice(0, 32)}`;
}

/**
 * Why no reply may be sent to this message, or null when one may. `ownAddresses` are the user's
 * addresses, the final envelope recipient and :addresses together.
 */
export function vacationRefusal(
  headers: MessageHeaders,
  envelopeFrom: string,
  ownAddresses: readonly string[],
): string | null {
  const sender = envelopeFrom.trim();
  if (!sender) return 'the envelope sender is null';
  const localPart = sender.slice(0, Math.max(sender.lastIndexOf('@'), 0)) || sender;
  if (AUTOMATED_LOCAL_PARTS.some((pattern) => pattern.test(localPart))) {
    return 'the envelope sender is an automated address';
  }
  if (ownAddresses.some((own) => sameAddress(own, sender))) return 'the message comes from the user';
  for (const value of headers.decoded('auto-submitted')) {
    const keyword = value.split(';')[0]!.trim().toLowerCase();
    if (keyword !== 'no') return 'the message is Auto-Submitted';
  }
  for (const value of headers.decoded('precedence')) {
    if (['bulk', 'list', 'junk'].includes(value.toLowerCase())) return `the message has Precedence: ${value}`;
  }
  const listHeader = LIST_HEADERS.find((name) => headers.has(name));
  if (listHeader) return `the message has a ${listHeader} header`;
  const addressed = RECIPIENT_HEADERS.some((name) =>
    headers
      .raw(name)
      .flatMap(parseAddressList)
      .some((address) => ownAddresses.some((own) => sameAddress(own, address))),
  );
  return addressed ? null : 'none of the user’s addresses is in To, Cc, Bcc or Resent-To/Cc/Bcc';
}
