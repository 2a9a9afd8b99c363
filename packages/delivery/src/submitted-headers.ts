import { randomUUID } from 'node:crypto';
import { parseAddressList, parseHeaderBlock, type HeaderField } from '@wildduck/mime';
import { normalizeAddress } from '@wildduck/store';
import { formatMailDate } from './trace-headers.js';

/** The header block of a submitted message, checked and in the two forms the copies need. */
export interface SubmittedHeaders {
  /** For the sender's Sent copy: as written, Bcc kept, plus Message-ID and Date if they were missing. */
  sentCopy: Buffer;
  /** For recipients and the relay: the same without Bcc, which must never leave the sender's copy. */
  outgoing: Buffer;
  messageId: string;
}

/** Why a submitted header block was refused. */
export type HeaderProblem = { problem: string };

/**
 * Checks a submitted header block: every From address must be the signed-in user's (no sending as
 * somebody else). Adds Message-ID and Date when missing (RFC 6409 8.3) and removes Bcc from the
 * copy that is sent on.
 */
export function prepareSubmittedHeaders(
  fieldBytes: Buffer,
  separator: Buffer,
  userAddress: string,
  serverName: string,
): SubmittedHeaders | HeaderProblem {
  const fields = parseHeaderBlock(fieldBytes);
  const fromFields = fields.filter((field) => field.key === 'from');
  if (!fromFields.length) return { problem: 'the message has no From: header' };
  const fromAddresses = fromFields.flatMap((field) => mailboxAddresses(field.value));
  if (!fromAddresses.length || fromAddresses.some((address) => address !== userAddress))
    return { problem: `From: must be your own address <${userAddress}>` };

  const lineEnd = separator.length === 1 ? '\n' : '\r\n';
  let added = '';
  let messageId = fields.find((field) => field.key === 'message-id')?.value.trim() ?? '';
  if (!messageId) {
    messageId = `<${randomUUID()}@${serverName}>`;
    added += `Message-ID: ${messageId}${lineEnd}`;
  }
  if (!fields.some((field) => field.key === 'date')) added += `Date: ${formatMailDate(new Date())}${lineEnd}`;
  const end = Buffer.concat([Buffer.from(added), separator.length ? separator : Buffer.from(lineEnd)]);
  const keep = (field: HeaderField) => field.key !== 'bcc';
  return {
    sentCopy: Buffer.concat([fieldBytes, end]),
    outgoing: Buffer.concat([...fields.filter(keep).map((field) => field.raw), end]),
    messageId,
  };
}

/** The addresses (lower-cased, normalised) of the mailboxes in an address-list header. */
function mailboxAddresses(value: string): string[] {
  return parseAddressList(value).flatMap((entry) => {
    const mailboxes = entry.kind === 'group' ? entry.members : [entry];
    return mailboxes.map(
      (mailbox) => normalizeAddress(`${mailbox.mailbox ?? ''}@${mailbox.host ?? ''}`) ?? '',
    );
  });
}
