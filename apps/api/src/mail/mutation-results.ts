import type { Db, Document, ObjectId } from 'mongodb';
import { findMailboxById, findMessageSummaries, toNumber, type MailboxDocument } from '@wildduck/store';

/*
 * What the mutations answer, in the shapes the type resolvers of resolvers/mail.ts take: a
 * MessageSummary is a message document read with MESSAGE_SUMMARY_PROJECTION (a MessageView), a
 * Mailbox the mailbox document as stored.
 */

/** This user's messages (as MessageSummary parents), in the order of `ids`; missing ones left out. */
export async function messageSummaries(
  db: Db,
  user: ObjectId,
  ids: readonly ObjectId[],
): Promise<Document[]> {
  if (!ids.length) return [];
  const documents = await findMessageSummaries(db, user, ids);
  const byId = new Map(documents.map((document) => [String(document._id), document]));
  return ids.flatMap((id) => {
    const document = byId.get(id.toHexString());
    if (!document) return [];
    return [
      {
        ...document,
        uid: toNumber(document.uid),
        size: toNumber(document.size),
        flags: (document.flags as string[] | undefined) ?? [],
        snippet: (document.snippet as string | undefined) ?? '',
        hasAttachments: !!document.hasAttachments,
      },
    ];
  });
}

/** This user's mailbox by id (a Mailbox parent), or null. */
export async function mailboxResult(db: Db, user: ObjectId, id: ObjectId): Promise<MailboxDocument | null> {
  return findMailboxById(db, user, id);
}
