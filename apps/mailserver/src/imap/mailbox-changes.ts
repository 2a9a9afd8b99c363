import type { MailboxChange } from '@wildduck/imap-core';
import type { JournalRead } from '@wildduck/store';

/** Journal entries as the core's mailbox changes (EXISTS, EXPUNGE, FLAGS), in journal order. */
export function mailboxChangesOf(entries: JournalRead['entries']): MailboxChange[] {
  const changes: MailboxChange[] = [];
  for (const entry of entries) {
    if (entry.uid === null) continue;
    if (entry.kind === 'EXISTS') changes.push({ kind: 'EXISTS', uid: entry.uid, modseq: entry.modseq });
    else if (entry.kind === 'EXPUNGE')
      changes.push({ kind: 'EXPUNGE', uid: entry.uid, modseq: entry.modseq });
    // a FLAGS entry without flags only fills a MODSEQ another writer gave up (journal.ts)
    else if (entry.kind === 'FLAGS' && entry.flags)
      changes.push({ kind: 'FLAGS', uid: entry.uid, flags: entry.flags, modseq: entry.modseq });
  }
  return changes;
}
