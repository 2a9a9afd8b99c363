import { Readable } from 'node:stream';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db, ObjectId } from 'mongodb';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import {
  createUser,
  findMailbox,
  readMessages,
  gridFsBodyOpener,
  type MailboxDocument,
} from '@wildduck/store';
import { reassembleMessage } from '@wildduck/mime';

/** A test database with the schema applied. */
export async function openStore(label: string): Promise<TestDatabase> {
  const store = await openTestDatabase(label);
  await applySchema(store.db);
  return store;
}

/** Creates a user and returns its id and INBOX. */
export async function newUser(
  db: Db,
  address: string,
  quota: number | null = null,
): Promise<{ user: ObjectId; inbox: MailboxDocument }> {
  const created = await createUser(db, { address, password: 'secretpass', quota });
  const inbox = await findMailbox(db, created._id, 'INBOX');
  return { user: created._id, inbox: inbox! };
}

/** A stream of the given bytes in chunks of the given size (messages arrive in pieces). */
export function streamOf(bytes: Buffer, chunkSize = 16 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize)
    chunks.push(bytes.subarray(offset, offset + chunkSize));
  return Readable.from(chunks);
}

/** Reads a whole stream into one buffer (tests only). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The bytes of a stored message, reassembled from its document and GridFS parts. */
export async function storedBytes(db: Db, mailbox: ObjectId, uid: number): Promise<Buffer> {
  for await (const record of readMessages(db, mailbox, [uid], { content: true })) {
    return readAll(reassembleMessage(record.content!, gridFsBodyOpener(db)).stream);
  }
  throw new Error(`no message ${uid}`);
}

const corpusDir = join(import.meta.dirname, '..', '..', 'mime', 'test', 'corpus');

/** The MIME corpus (packages/mime/test/corpus): name and bytes of each message. */
export function corpus(): { name: string; bytes: Buffer }[] {
  return readdirSync(corpusDir)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(corpusDir, name)) }));
}

/** A plain message with a subject, sender and body. */
export function simpleMessage(
  subject: string,
  body = 'Hello there.',
  from = 'alice@example.com',
  to = 'bob@example.com',
): Buffer {
  return Buffer.from(
    `From: Alice <${from}>\r\nTo: ${to}\r\nSubject: ${subject}\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
  );
}
