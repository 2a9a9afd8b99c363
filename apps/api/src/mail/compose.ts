import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Db, ObjectId } from 'mongodb';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { normalizeAddress } from '@wildduck/store';
import { invalidInput, notFoundFailure } from '../failures.js';
import { plainTextOf, sanitizeUserHtml } from './rich-html.js';
import { openUserUpload } from './uploads.js';

/** ComposeInput of the schema. */
export interface ComposeInput {
  to?: AddressInput[] | null;
  cc?: AddressInput[] | null;
  bcc?: AddressInput[] | null;
  subject?: string | null;
  text?: string | null;
  html?: string | null;
  inReplyTo?: string | null;
  attachments?: string[] | null;
  inlineImages?: InlineImageInput[] | null;
  identityId?: string | null;
}

/** A picture of the HTML: an image upload sent as a related part with this Content-ID. */
export interface InlineImageInput {
  uploadId: string;
  contentId: string;
}

export interface AddressInput {
  name?: string | null;
  address: string;
}

/** The recipient fields of ComposeInput. */
export type RecipientField = 'to' | 'cc' | 'bcc';
export const RECIPIENT_FIELDS: readonly RecipientField[] = ['to', 'cc', 'bcc'];

/** Recipients one message may have (as for SMTP submission). */
export const MAX_RECIPIENTS = 100;
/** Attachments one message may have. */
export const MAX_ATTACHMENTS = 100;
/** Inline images one message may have. */
export const MAX_INLINE_IMAGES = 100;
const MAX_SUBJECT = 998;
/** A Content-ID as the client gives it: printable ASCII without brackets, quotes or blanks. */
const CONTENT_ID = /^[!#-'*-;=?-[\]-~]{1,250}$/;

/** A recipient, checked: its normalised address and the input field it came from. */
export interface Recipient {
  address: string;
  name: string;
  field: RecipientField;
}

/** The message this one answers: its Message-ID and References. */
export interface ReplyTarget {
  id: ObjectId;
  messageId: string;
  references: string[];
}

/** A composed message, ready to stream. */
export interface ComposedMessage {
  messageId: string;
  /** Every recipient (To, Cc, Bcc), each address once. */
  recipients: Recipient[];
  stream(): Readable;
}

/**
 * Checks the recipients of a ComposeInput: valid addresses (a RequestFailure naming the field), at
 * most MAX_RECIPIENTS; each address once (the first field that names it wins).
 */
export function checkRecipients(input: ComposeInput): Recipient[] {
  const recipients: Recipient[] = [];
  const seen = new Set<string>();
  for (const field of RECIPIENT_FIELDS) {
    for (const entry of input[field] ?? []) {
      const address = normalizeAddress(entry.address);
      if (!address) throw invalidInput(`${field}: "${entry.address}" is not an e-mail address`, field);
      if (seen.has(address)) continue;
      seen.add(address);
      recipients.push({ address, name: oneLine(entry.name ?? ''), field });
    }
  }
  if (recipients.length > MAX_RECIPIENTS)
    throw invalidInput(`A message can have at most ${MAX_RECIPIENTS} recipients`, 'to');
  return recipients;
}

/**
 * The inline images of a ComposeInput, checked: each an image upload of this user under a
 * Content-ID used once (BAD_USER_INPUT `input.inlineImages` otherwise); as related parts of the HTML.
 */
async function inlineImageParts(
  db: Db,
  user: ObjectId,
  images: readonly InlineImageInput[],
): Promise<Map<string, Mail.Attachment>> {
  const field = 'input.inlineImages';
  if (images.length > MAX_INLINE_IMAGES)
    throw invalidInput(`A message can have at most ${MAX_INLINE_IMAGES} inline images`, field);
  const parts = new Map<string, Mail.Attachment>();
  for (const image of images) {
    if (!CONTENT_ID.test(image.contentId))
      throw invalidInput(
        `"${image.contentId}" cannot be a Content-ID (printable ASCII, no <>()" or blanks)`,
        field,
      );
    if (parts.has(image.contentId))
      throw invalidInput(`Two inline images have the Content-ID ${image.contentId}`, field);
    const upload = await openUserUpload(db, user, image.uploadId);
    if (!upload) throw invalidInput(`No such upload: ${image.uploadId} (uploads expire after a day)`, field);
    if (!/^image\/[a-z0-9.+-]+$/i.test(upload.contentType))
      throw invalidInput(`The upload ${image.uploadId} is ${upload.contentType}, not an image`, field);
    parts.set(image.contentId, {
      filename: upload.filename,
      contentType: upload.contentType,
      content: upload.stream(),
      cid: image.contentId,
      contentDisposition: 'inline',
    });
  }
  return parts;
}

/**
 * Composes a MIME message from a ComposeInput with nodemailer's composer: From is the identity
 * given (the user's address), Bcc is kept (the copy sent on has it removed by the submission),
 * attachments stream from the user's uploads (a NOT_FOUND RequestFailure for an unknown, expired
 * or another user's upload), and a reply gets In-Reply-To and References. HTML is sanitised as
 * received HTML is (rich-html.ts), gets a plain text alternative when no text is given, and its
 * inline images as a multipart/related; an inline image the HTML does not refer to is left out.
 * Invalid input is a RequestFailure naming the field.
 */
export async function composeMessage(
  db: Db,
  user: { userId: ObjectId; address: string },
  input: ComposeInput,
  options: { serverName: string; replyTo: ReplyTarget | null; from?: { name: string; address: string } },
): Promise<ComposedMessage> {
  const recipients = checkRecipients(input);
  const subject = oneLine(input.subject ?? '');
  if (subject.length > MAX_SUBJECT)
    throw invalidInput(`The subject can have at most ${MAX_SUBJECT} characters`, 'subject');
  const uploadIds = input.attachments ?? [];
  if (uploadIds.length > MAX_ATTACHMENTS)
    throw invalidInput(`A message can have at most ${MAX_ATTACHMENTS} attachments`, 'attachments');
  const attachments: Mail.Attachment[] = [];
  for (const id of uploadIds) {
    const upload = await openUserUpload(db, user.userId, id);
    if (!upload) throw notFoundFailure(`No such upload: ${id} (uploads expire after a day)`, 'attachments');
    attachments.push({
      filename: upload.filename,
      contentType: upload.contentType,
      content: upload.stream(),
    });
  }
  const inline = await inlineImageParts(db, user.userId, input.inlineImages ?? []);
  let html: string | undefined;
  let text = input.text ?? undefined;
  if (input.html !== null && input.html !== undefined) {
    const sanitized = sanitizeUserHtml(input.html, new Set(inline.keys()));
    html = sanitized.html;
    text ??= plainTextOf(html);
    for (const [contentId, part] of inline) {
      if (sanitized.usedContentIds.has(contentId)) attachments.push(part);
      else (part.content as Readable).destroy();
    }
  } else for (const part of inline.values()) (part.content as Readable).destroy();
  const messageId = `<${randomUUID()}@${options.serverName}>`;
  const byField = (field: RecipientField) =>
    recipients
      .filter((recipient) => recipient.field === field)
      .map((recipient) => ({ name: recipient.name, address: recipient.address }));
  const mail: Mail.Options = {
    from: options.from ?? { name: '', address: user.address },
    to: byField('to'),
    cc: byField('cc'),
    bcc: byField('bcc'),
    subject,
    messageId,
    date: new Date(),
    attachments,
    text: text ?? '',
    ...(html !== undefined ? { html } : {}),
  };
  if (options.replyTo?.messageId) {
    mail.inReplyTo = options.replyTo.messageId;
    mail.references = [...options.replyTo.references, options.replyTo.messageId];
  }
  let used = false;
  return {
    messageId,
    recipients,
    stream() {
      if (used) throw new Error('a composed message streams once (its attachments are streams)');
      used = true;
      const node = new MailComposer(mail).compile();
      // the Sent copy and drafts keep Bcc; submission removes it from what goes out
      node.keepBcc = true;
      return node.createReadStream();
    },
  };
}

/** A header value on one line: no CR or LF from the client. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
