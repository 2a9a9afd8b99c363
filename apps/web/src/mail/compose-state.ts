// What a new message starts with: empty, a reply, a reply to all, a forward or a draft reopened.
import type { Address, Attachment, Message } from '@/client/api-types';
import { formatAddress, formatFullDate } from '@/shared/format';

export interface ComposeSeed {
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  text: string;
  /** Our id of the message this answers (In-Reply-To, References, \Answered when sent). */
  inReplyTo: string | null;
  /** A draft this continues: saving replaces it, sending removes it. */
  draftId: string | null;
  /** Attachments of the original to send along (forward, draft). */
  carriedAttachments: Attachment[];
}

export const EMPTY_SEED: ComposeSeed = {
  to: '',
  cc: '',
  bcc: '',
  subject: '',
  text: '',
  inReplyTo: null,
  draftId: null,
  carriedAttachments: [],
};

const list = (addresses: Address[]) => addresses.map(formatAddress).join(', ');

function prefixed(prefix: string, subject: string): string {
  return new RegExp(`^${prefix}:`, 'i').test(subject.trim())
    ? subject.trim()
    : `${prefix}: ${subject.trim()}`;
}

function quote(message: Message): string {
  const who = message.from[0] ? formatAddress(message.from[0]) : 'someone';
  const body = (message.text ?? '').replace(/\s+$/, '');
  const quoted = body
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return `\n\nOn ${formatFullDate(message.date)}, ${who} wrote:\n${quoted}\n`;
}

/** A reply to the sender (Reply-To when given), or to everyone but me with `all`. */
export function replySeed(message: Message, me: string, all: boolean): ComposeSeed {
  const sender = message.replyTo.length ? message.replyTo : message.from;
  const mine = (address: Address) => address.address.toLowerCase() === me.toLowerCase();
  const seen = new Set<string>();
  const unique = (addresses: Address[]) =>
    addresses.filter((address) => {
      const key = address.address.toLowerCase();
      if (seen.has(key) || mine(address)) return false;
      seen.add(key);
      return true;
    });
  let to = unique(sender);
  // Replying to my own sent message goes to its recipients.
  if (!to.length) to = unique(message.to);
  const cc = all ? unique([...message.to, ...message.cc]) : [];
  return {
    ...EMPTY_SEED,
    to: list(to),
    cc: list(cc),
    subject: prefixed('Re', message.subject),
    text: quote(message),
    inReplyTo: message.id,
  };
}

/** A forward: the original's text below a header block, its attachments carried along. */
export function forwardSeed(message: Message): ComposeSeed {
  const header = [
    '---------- Forwarded message ----------',
    `From: ${list(message.from)}`,
    `Date: ${formatFullDate(message.date)}`,
    `Subject: ${message.subject}`,
    `To: ${list(message.to)}`,
    ...(message.cc.length ? [`Cc: ${list(message.cc)}`] : []),
  ].join('\n');
  return {
    ...EMPTY_SEED,
    subject: prefixed('Fwd', message.subject),
    text: `\n\n${header}\n\n${message.text ?? ''}`,
    carriedAttachments: message.attachments.filter((attachment) => attachment.disposition !== 'inline'),
  };
}

/** A saved draft, reopened for editing. */
export function draftSeed(message: Message): ComposeSeed {
  return {
    ...EMPTY_SEED,
    to: list(message.to),
    cc: list(message.cc),
    subject: message.subject,
    text: message.text ?? '',
    draftId: message.id,
    carriedAttachments: message.attachments,
  };
}
