/**
 * Messages a filter makes at delivery: the vacation reply (RFC 5230, with RFC 3834's marks) and
 * the notice that a recipient's filter rejected a message (RFC 5429, for where the protocol could
 * not refuse that recipient alone). Both go to the envelope sender with a null envelope sender,
 * so they never cause a reply in turn.
 */
import { randomUUID } from 'node:crypto';
import type { SieveHeaderField, VacationReply } from '@wildduck/mail-service';
import { formatMailDate } from './trace-headers.js';

/** The first value of a header field, or ''. */
export function headerValue(headers: readonly SieveHeaderField[], name: string): string {
  const lower = name.toLowerCase();
  return headers.find((field) => field.name.toLowerCase() === lower)?.value.trim() ?? '';
}

/** A header value fit for one line: no CR/LF, and RFC 2047-encoded when not ASCII. */
function headerText(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ').trim();
  if (/^[\x20-\x7e]*$/.test(flat)) return flat;
  return `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

/** A plain-text body: 7bit when ASCII, else base64 in lines of 76. */
function textBody(text: string): { headers: string[]; body: string } {
  const normalized = text.replace(/\r?\n/g, '\r\n');
  if (/^[\x00-\x7f]*$/.test(normalized) && !/[^\r\n]{999}/.test(normalized))
    return {
      headers: ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit'],
      body: normalized,
    };
  const encoded = Buffer.from(normalized, 'utf8').toString('base64');
  return {
    headers: ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'],
    body: encoded.replace(/.{76}/g, '$&\r\n'),
  };
}

/** In-Reply-To and References for a reply to a message with these headers (RFC 5322 3.6.4). */
function threading(headers: readonly SieveHeaderField[]): string[] {
  const messageId = headerValue(headers, 'Message-ID');
  if (!messageId) return [];
  const references = headerValue(headers, 'References') || headerValue(headers, 'In-Reply-To');
  return [
    `In-Reply-To: ${headerText(messageId)}`,
    `References: ${headerText(references ? `${references} ${messageId}` : messageId)}`,
  ];
}

/**
 * The vacation reply: To the envelope sender, From the user (or `:from`), the action's subject,
 * `Auto-Submitted: auto-replied` (RFC 3834 5), threaded to the original; with `:mime` the reason
 * is a MIME entity given whole, else plain UTF-8 text.
 */
export function vacationReplyMessage(input: {
  action: VacationReply;
  userAddress: string;
  original: readonly SieveHeaderField[];
  serverName: string;
}): Buffer {
  const { action, original } = input;
  const lines = [
    `From: ${headerText(action.from ?? input.userAddress)}`,
    `To: <${action.to.replace(/[\r\n<>]/g, '')}>`,
    `Subject: ${headerText(action.subject)}`,
    `Date: ${formatMailDate(new Date())}`,
    `Message-ID: <${randomUUID()}@${input.serverName}>`,
    ...threading(original),
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
  ];
  if (action.mime) {
    // the reason is a MIME entity: its own header fields, a blank line, its body
    const entity = action.reason.replace(/\r?\n/g, '\r\n').replace(/^(\r\n)+/, '');
    return Buffer.from(`${lines.join('\r\n')}\r\n${entity}${entity.endsWith('\r\n') ? '' : '\r\n'}`, 'utf8');
  }
  const text = textBody(action.reason);
  return Buffer.from([...lines, ...text.headers, '', text.body, ''].join('\r\n'), 'utf8');
}

/**
 * The notice that a recipient's filter rejected the message (RFC 5429 2.1 allows a DSN or an MDN;
 * this is a readable report in their spirit): the reason, and the original header block as a
 * text/rfc822-headers part.
 */
export function rejectionNotice(input: {
  to: string;
  recipient: string;
  reason: string;
  originalHeader: Buffer;
  original: readonly SieveHeaderField[];
  serverName: string;
}): Buffer {
  const boundary = `=_rejected_${randomUUID()}`;
  const subject = headerValue(input.original, 'Subject');
  const explanation = textBody(
    `Your message to <${input.recipient}> was rejected by the recipient's mail filter:\n\n` +
      `${input.reason.replace(/\r?\n/g, '\n')}\n`,
  );
  return Buffer.from(
    [
      `From: Mail Delivery System <mailer-daemon@${input.serverName}>`,
      `To: <${input.to.replace(/[\r\n<>]/g, '')}>`,
      `Subject: ${headerText(`Rejected: ${subject || '(no subject)'}`)}`,
      `Date: ${formatMailDate(new Date())}`,
      `Message-ID: <${randomUUID()}@${input.serverName}>`,
      ...threading(input.original),
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      ...explanation.headers,
      '',
      explanation.body,
      `--${boundary}`,
      'Content-Type: text/rfc822-headers; charset=utf-8',
      '',
      input.originalHeader.toString('utf8').replace(/\r?\n/g, '\r\n').trimEnd(),
      `--${boundary}--`,
      '',
    ].join('\r\n'),
    'utf8',
  );
}
