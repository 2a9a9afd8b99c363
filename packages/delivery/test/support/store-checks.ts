import { randomBytes } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';
import { PARTS_BUCKET } from '@wildduck/schema';
import { storageUsage } from '@wildduck/store';

/** What a user has stored: the message documents and the storage counter. */
export async function userState(db: Db, user: ObjectId): Promise<{ messages: number; storageUsed: number }> {
  return {
    messages: await db.collection('messages').countDocuments({ user }),
    storageUsed: (await storageUsage(db, user))!.storageUsed,
  };
}

/** How many GridFS file documents and chunks the parts bucket holds. */
export async function partCounts(db: Db): Promise<{ files: number; chunks: number }> {
  return {
    files: await db.collection(`${PARTS_BUCKET}.files`).countDocuments({}),
    chunks: await db.collection(`${PARTS_BUCKET}.chunks`).countDocuments({}),
  };
}

/**
 * What is wrong with the stored parts, if anything: a chunk without its file (an upload given up
 * half-way), a file still under its upload placeholder, a file missing chunks, a file whose
 * reference count is not the number of message references to it (a failed copy that kept its
 * reference, or gave back one too many), a message pointing at no file. Empty when consistent.
 */
export async function partProblems(db: Db): Promise<string[]> {
  const problems: string[] = [];
  const files = await db.collection(`${PARTS_BUCKET}.files`).find({}).toArray();
  const chunks = await db
    .collection(`${PARTS_BUCKET}.chunks`)
    .find({}, { projection: { files_id: 1 } })
    .toArray();
  const chunksPerFile = new Map<string, number>();
  for (const chunk of chunks) {
    const id = String(chunk.files_id);
    chunksPerFile.set(id, (chunksPerFile.get(id) ?? 0) + 1);
  }
  const references = new Map<string, number>();
  for (const message of await db
    .collection('messages')
    .find({}, { projection: { parts: 1 } })
    .toArray())
    for (const ref of (message.parts ?? []) as string[]) references.set(ref, (references.get(ref) ?? 0) + 1);

  const fileIds = new Set(files.map((file) => String(file._id)));
  for (const id of chunksPerFile.keys()) if (!fileIds.has(id)) problems.push(`chunks of no file ${id}`);
  const hashes = new Set<string>();
  for (const file of files) {
    const hash = String(file.metadata?.hash);
    hashes.add(hash);
    if (hash.startsWith('pending:')) problems.push(`file ${String(file._id)} is an unfinished upload`);
    const expectedChunks = Math.ceil(Number(file.length) / Number(file.chunkSize));
    const storedChunks = chunksPerFile.get(String(file._id)) ?? 0;
    if (storedChunks !== expectedChunks)
      problems.push(`part ${hash} has ${storedChunks} chunks, not ${expectedChunks}`);
    const refs = Number(file.metadata?.refs ?? 0);
    const used = references.get(hash) ?? 0;
    if (refs !== used) problems.push(`part ${hash} counts ${refs} references, messages hold ${used}`);
  }
  for (const ref of references.keys())
    if (!hashes.has(ref)) problems.push(`messages point at missing part ${ref}`);
  return problems;
}

/**
 * A message with a random attachment of about `attachmentBytes` (base64), large enough to be
 * streamed into GridFS while the message arrives (past the store's 128 KiB large-body threshold).
 * Random, so that no earlier message already holds the same part.
 */
export function messageWithAttachment(subject: string, attachmentBytes: number): Buffer {
  const attachment = randomBytes(attachmentBytes).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    `From: Alice <alice@example.org>\r\nTo: team@example.com\r\nSubject: ${subject}\r\n` +
      `Message-ID: <${randomBytes(6).toString('hex')}@example.org>\r\n` +
      `Content-Type: multipart/mixed; boundary=b\r\n\r\n` +
      `--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n` +
      `--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n` +
      `Content-Disposition: attachment; filename=data.bin\r\n\r\n${attachment}\r\n--b--\r\n`,
  );
}
