// What a new message starts with: empty, a reply, a reply to all, a forward or a draft reopened.
// The text is HTML for the rich editor: an HTML original is quoted as HTML (the API's sanitised
// HTML, its pictures carried along as inline images), a text original as text.
import type { Address, Attachment, Message } from '@/client/api-types';
import { proxiedFileUrl } from '@/client/graphql';
import { formatAddress, formatFullDate } from '@/shared/format';
import { textToHtml } from './html-clean';

export interface ComposeSeed {
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  /** Plain text to start with, when there is no html (it is shown as text). */
  text: string;
  /** What the editor starts with (the caller's HTML: escaped, sanitised by the API). */
  html: string;
  /** Pictures of the original that `html` shows (by data-cid), uploaded again to go along. */
  carriedInline: CarriedInlineImage[];
  /** Our id of the message this answers (In-Reply-To, References, \Answered when sent). */
  inReplyTo: string | null;
  /** A draft this continues: saving replaces it, sending removes it. */
  draftId: string | null;
  /** Attachments of the original to send along (forward, draft). */
  carriedAttachments: Attachment[];
}

/** A picture of a stored message shown in the text, to be sent again under its Content-ID. */
export interface CarriedInlineImage {
  contentId: string;
  downloadUrl: string;
  filename: string;
}

export const EMPTY_SEED: ComposeSeed = {
  to: '',
  cc: '',
  bcc: '',
  subject: '',
  text: '',
  html: '',
  carriedInline: [],
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

function escapeHtml(text: string): string {
  return textToHtml(text).replace(/<br>/g, ' ');
}

/**
 * The original's body for the editor: its HTML with each inline picture shown through this site
 * and marked with its Content-ID (data-cid), or its text as text.
 */
export function editableBody(message: Message): { html: string; inline: CarriedInlineImage[] } {
  if (message.html === null || message.html === undefined)
    return { html: `<div>${textToHtml((message.text ?? '').replace(/\s+$/, ''))}</div>`, inline: [] };
  let html = message.html;
  const inline: CarriedInlineImage[] = [];
  for (const attachment of message.attachments) {
    const contentId = attachment.contentId?.replace(/^<|>$/g, '');
    const reference = `src="${attachment.downloadUrl}"`;
    if (!contentId || !html.includes(reference)) continue;
    const shown = `src="${proxiedFileUrl(attachment.downloadUrl)}" data-cid="${contentId.replace(/"/g, '&quot;')}"`;
    html = html.split(reference).join(shown);
    inline.push({ contentId, downloadUrl: attachment.downloadUrl, filename: attachment.filename || 'image' });
  }
  return { html, inline };
}

/** The attachments that are not pictures shown in the text. */
function otherAttachments(message: Message, inline: CarriedInlineImage[]): Attachment[] {
  const shown = new Set(inline.map((image) => image.downloadUrl));
  return message.attachments.filter((attachment) => !shown.has(attachment.downloadUrl));
}

/** The empty line the reply is written on, then the quoted original ("On <date>, <sender> wrote:"). */
function quote(message: Message): { html: string; inline: CarriedInlineImage[] } {
  const who = message.from[0] ? formatAddress(message.from[0]) : 'someone';
  const body = editableBody(message);
  return {
    html:
      `<div><br></div><div data-quote=""><div>On ${escapeHtml(formatFullDate(message.date))}, ${escapeHtml(who)} wrote:</div>` +
      `<blockquote type="cite">${body.html}</blockquote></div>`,
    inline: body.inline,
  };
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
  const quoted = quote(message);
  return {
    ...EMPTY_SEED,
    to: list(to),
    cc: list(cc),
    subject: prefixed('Re', message.subject),
    html: quoted.html,
    carriedInline: quoted.inline,
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
  ];
  const body = editableBody(message);
  return {
    ...EMPTY_SEED,
    subject: prefixed('Fwd', message.subject),
    html:
      `<div><br></div><div data-quote=""><div>${header.map(escapeHtml).join('<br>')}</div><br>` +
      `${body.html}</div>`,
    carriedInline: body.inline,
    carriedAttachments: otherAttachments(message, body.inline).filter(
      (attachment) => attachment.disposition !== 'inline',
    ),
  };
}

/** A saved draft, reopened for editing. */
export function draftSeed(message: Message): ComposeSeed {
  const body = editableBody(message);
  return {
    ...EMPTY_SEED,
    to: list(message.to),
    cc: list(message.cc),
    subject: message.subject,
    html: body.html,
    carriedInline: body.inline,
    draftId: message.id,
    carriedAttachments: otherAttachments(message, body.inline),
  };
}
