import type { MailboxChange } from '@wildduck/imap-core';
import { readerFlags, type JournalRead } from '@wildduck/store';
import type { ObjectId } from 'mongodb';

/** A reader of another user's shared mailbox: their flags carry their own \Seen. */
export interface JournalReader {
  readonly id: ObjectId;
  readonly seen: (uid: number) => boolean;
}

/**
 * Journal entries as the core's mailbox changes (EXISTS, EXPUNGE, FLAGS), in journal order. For a
 * `reader` other than the owner, shared FLAGS carry the reader's \Seen, their own \Seen changes
 * are theirs, and other readers' are stepped over.
 */
export function mailboxChangesOf(
  entries: JournalRead['entries'],
  reader: JournalReader | null = null,
): MailboxChange[] {
  const changes: MailboxChange[] = [];
  for (const entry of entries) {
    if (entry.uid === null) continue;
    if (entry.kind === 'EXISTS') changes.push({ kind: 'EXISTS', uid: entry.uid, modseq: entry.modseq });
    else if (entry.kind === 'EXPUNGE')
      changes.push({ kind: 'EXPUNGE', uid: entry.uid, modseq: entry.modseq });
    // a FLAGS entry without flags only fills a MODSEQ another writer gave up (journal.ts)
    else if (entry.kind === 'FLAGS' && entry.flags) {
      if (entry.reader && !(reader && entry.reader.equals(reader.id))) continue;
      const flags = reader && !entry.reader ? readerFlags(entry.flags, reader.seen(entry.uid)) : entry.flags;
      changes.push({ kind: 'FLAGS', uid: entry.uid, flags, modseq: entry.modseq });
    }
  }
  return changes;
}
