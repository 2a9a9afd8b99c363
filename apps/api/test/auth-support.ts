import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { appendMessage, findMailbox, type StoreContext } from '@wildduck/store';
import type { ApiHarness } from './graphql-harness.js';

/** A plain message. */
export function plainMessage(subject: string, body = 'Hello there.'): Buffer {
  return Buffer.from(
    `From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: ${subject}\r\n` +
      `Date: Mon, 2 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
  );
}

/** A message with an attachment of these bytes (base64): over 128 KiB it is stored in GridFS. */
export function messageWithAttachment(subject: string, attachment: Buffer): Buffer {
  const encoded = attachment.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    `From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: ${subject}\r\n` +
      `Date: Mon, 2 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n` +
      `Content-Type: multipart/mixed; boundary="b1"\r\n\r\n` +
      `--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the attachment.\r\n` +
      `--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="data.bin"\r\n` +
      `Content-Transfer-Encoding: base64\r\n\r\n${encoded}\r\n--b1--\r\n`,
  );
}

/** 200 KiB of random bytes: an attachment large enough for GridFS. */
export const bigAttachment = (): Buffer => randomBytes(200 * 1024);

/** Stores a message in the user's mailbox (INBOX by default) through the store; answers its id. */
export async function storeMessage(
  ctx: StoreContext,
  userId: string,
  bytes: Buffer,
  path = 'INBOX',
): Promise<ObjectId> {
  const user = new ObjectId(userId);
  const mailbox = await findMailbox(ctx.db, user, path);
  if (!mailbox) throw new Error(`no mailbox ${path}`);
  const outcome = await appendMessage(ctx, user, mailbox._id, Readable.from([bytes]));
  if (!outcome.ok) throw new Error(`append failed: ${outcome.code}`);
  return outcome.id;
}

/** The extensions.code of each error of a GraphQL answer. */
export function codes(answer: { errors?: { extensions?: Record<string, unknown> }[] }): unknown[] {
  return (answer.errors ?? []).map((error) => error.extensions?.code);
}

/** The first error of an answer, or a failure naming what came instead. */
export function firstError(answer: Awaited<ReturnType<ApiHarness['gql']>>): {
  message: string;
  extensions: Record<string, unknown>;
} {
  const error = answer.errors?.[0];
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(answer.data)}`);
  return { message: error.message, extensions: error.extensions ?? {} };
}
