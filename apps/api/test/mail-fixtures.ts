import { Readable } from 'node:stream';
import { ObjectId } from 'mongodb';
import {
  appendMessage,
  createMailbox,
  findMailbox,
  type AppendOptions,
  type StoreContext,
} from '@wildduck/store';

/** Joins lines with CRLF, as mail is written. */
export function crlf(lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** Wraps base64 at 76 characters per line. */
export function base64Lines(bytes: Buffer): string {
  return bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
}

/** A simple text message. */
export function textMessage(fields: {
  from?: string;
  to?: string;
  subject: string;
  body?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  date?: string;
}): Buffer {
  const lines = [
    `From: ${fields.from ?? 'Alice <alice@example.com>'}`,
    `To: ${fields.to ?? 'Bob <bob@example.com>'}`,
    `Subject: ${fields.subject}`,
    `Date: ${fields.date ?? 'Mon, 2 Nov 2026 10:00:00 +0000'}`,
  ];
  if (fields.messageId) lines.push(`Message-ID: ${fields.messageId}`);
  if (fields.inReplyTo) lines.push(`In-Reply-To: ${fields.inReplyTo}`);
  if (fields.references) lines.push(`References: ${fields.references}`);
  lines.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', fields.body ?? 'Hello.', '');
  return crlf(lines);
}

/** The mailbox id of a path, creating the mailbox when it does not exist. */
export async function mailboxId(ctx: StoreContext, userId: string, path: string): Promise<ObjectId> {
  const user = new ObjectId(userId);
  let mailbox = await findMailbox(ctx.db, user, path);
  if (!mailbox) {
    const created = await createMailbox(ctx.db, user, path);
    if (!created.ok) throw new Error(`cannot create ${path}: ${created.code}`);
    mailbox = await findMailbox(ctx.db, user, path);
  }
  return mailbox!._id!;
}

/** Stores a message through the store, as delivery does; answers its id (hex) and UID. */
export async function store(
  ctx: StoreContext,
  userId: string,
  path: string,
  bytes: Buffer,
  options: AppendOptions = {},
): Promise<{ id: string; uid: number }> {
  const mailbox = await mailboxId(ctx, userId, path);
  const outcome = await appendMessage(ctx, new ObjectId(userId), mailbox, Readable.from([bytes]), options);
  if (!outcome.ok) throw new Error(`append failed: ${outcome.code}`);
  return { id: outcome.id.toHexString(), uid: outcome.uid };
}

/** The extensions of the first error of a GraphQL answer (fails when there is none). */
export function errorOf(answer: { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] }) {
  const error = answer.errors?.[0];
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(answer.data)}`);
  return error.extensions ?? {};
}
