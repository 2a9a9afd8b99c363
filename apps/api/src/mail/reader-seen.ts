/**
 * Messages of a shared mailbox as a reader other than the owner sees them: every flag as stored
 * but \Seen, which is their own (store private-seen.ts). The list index and the message documents
 * hold the owner's flags; these overlay the reader's \Seen on copies of them.
 */
import type { ObjectId } from 'mongodb';
import {
  readPrivateSeen,
  readerFlags,
  type MessageQuery,
  type MessageView,
  type UidRanges,
} from '@wildduck/store';
import type { AccessibleMailbox } from '@wildduck/mail-service';
import type { ApiServices } from '../services.js';
import { messageListIndexes } from './list-index.js';

/** The viewer's own \Seen of a mailbox; null when the viewer owns it (their \Seen is in the messages). */
export async function viewerSeen(
  services: ApiServices,
  viewer: ObjectId,
  target: AccessibleMailbox,
): Promise<UidRanges | null> {
  if (target.owner.equals(viewer)) return null;
  return readPrivateSeen(services.db, target.mailbox._id!, viewer);
}

/** Copies of the messages with the reader's \Seen (unchanged when `seen` is null: the owner). */
export function asReader<T extends object>(messages: readonly T[], seen: UidRanges | null): T[] {
  if (!seen) return [...messages];
  return messages.map((message) => ({
    ...message,
    flags: readerFlags(
      (message as { flags?: string[] }).flags ?? [],
      seen.has(Number((message as { uid?: unknown }).uid)),
    ),
  }));
}

/** How many messages of a shared mailbox the reader has not seen (from the process's list index). */
export async function readerUnseen(
  services: ApiServices,
  target: AccessibleMailbox,
  seen: UidRanges,
): Promise<number> {
  const records = await messageListIndexes(services.db, services.store.locks).records(target.mailbox);
  return records.filter((record) => !seen.has(record.view.uid)).length;
}

/** The message views of one mailbox as the viewer sees them. */
export async function viewsAsReader(
  services: ApiServices,
  viewer: ObjectId,
  target: AccessibleMailbox,
  messages: readonly MessageView[],
): Promise<MessageView[]> {
  return asReader(messages, await viewerSeen(services, viewer, target));
}

/**
 * A search as the reader means it: \Seen (read, unread) by their own marks, the UIDs they have
 * seen, where the index holds the owner's flags. Unchanged for the owner (`seen` null).
 */
export function asReaderQuery(query: MessageQuery, seen: UidRanges | null): MessageQuery {
  if (!seen) return query;
  switch (query.type) {
    case 'flag': {
      if (query.flag !== '\\Seen') return query;
      const read: MessageQuery = { type: 'uid', uids: seen.values() };
      return query.set ? read : { type: 'not', key: read };
    }
    case 'and':
      return { type: 'and', keys: query.keys.map((key) => asReaderQuery(key, seen)) };
    case 'or':
      return { type: 'or', left: asReaderQuery(query.left, seen), right: asReaderQuery(query.right, seen) };
    case 'not':
      return { type: 'not', key: asReaderQuery(query.key, seen) };
    default:
      return query;
  }
}
