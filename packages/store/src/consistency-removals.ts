import type { Db, Document, ObjectId } from 'mongodb';
import { allocateModseqs } from './counters.js';
import { finding, type Finding } from './consistency-findings.js';
import { toNumber } from './ids.js';
import { recordChanges } from './journal.js';

/**
 * The `unjournalled-removal` finding: a message deleted (or moved away) whose EXPUNGE entry was
 * never written, because its writer died or lost the store between the two. Views and subscribers
 * learn of changes only from the journal, so they keep showing the message. Found from the journal
 * the user check already reads; repaired by journalling the EXPUNGE at a new MODSEQ.
 */

/**
 * Per UID, the MODSEQ of its latest EXISTS entry when no EXPUNGE entry comes after it. Entries with
 * MODSEQ 0 are mailbox-level (creation, rename, deletion) and carry no UID change.
 */
export function standingUids(entries: readonly Document[]): Map<number, number> {
  const exists = new Map<number, number>();
  const expunged = new Map<number, number>();
  for (const entry of entries) {
    const modseq = toNumber(entry.modseq ?? 0);
    if (!modseq || entry.uid === null || entry.uid === undefined) continue;
    const latest = entry.kind === 'EXISTS' ? exists : entry.kind === 'EXPUNGE' ? expunged : null;
    if (!latest) continue;
    const uid = toNumber(entry.uid);
    latest.set(uid, Math.max(latest.get(uid) ?? 0, modseq));
  }
  for (const [uid, modseq] of exists) if ((expunged.get(uid) ?? 0) > modseq) exists.delete(uid);
  return exists;
}

/** `standingUids` of each mailbox of a user's journal. */
export function standingUidsByMailbox(journal: readonly Document[]): Map<string, Map<number, number>> {
  const byMailbox = new Map<string, Document[]>();
  for (const entry of journal) {
    const key = String(entry.mailbox);
    const entries = byMailbox.get(key);
    if (entries) entries.push(entry);
    else byMailbox.set(key, [entry]);
  }
  return new Map([...byMailbox].map(([mailbox, entries]) => [mailbox, standingUids(entries)]));
}

/** UIDs the journal says exist in a mailbox while none of its messages has them. */
export function unjournalledRemovals(
  user: ObjectId,
  mailbox: ObjectId,
  messages: readonly Document[],
  standing: Map<number, number> | undefined,
): Finding[] {
  if (!standing?.size) return [];
  const present = new Set(messages.map((message) => toNumber(message.uid)));
  return [...standing]
    .filter(([uid]) => !present.has(uid))
    .sort(([a], [b]) => a - b)
    .map(([uid, modseq]) =>
      finding(
        'unjournalled-removal',
        { user, mailbox },
        [uid],
        `an EXPUNGE entry for UID ${uid} after its EXISTS at MODSEQ ${modseq}`,
        'none, and no message has the UID',
      ),
    );
}

/**
 * Journals the EXPUNGE a dying writer never wrote, at a new MODSEQ, so every view and subscriber
 * (past the old hole long ago) drops the message now. Under the user lock, after reading again: null
 * when a message has the UID (the check raced a writer that was still inserting or moving it), or
 * its EXPUNGE is there by now, or the mailbox is gone.
 */
export async function journalRemoval(
  db: Db,
  user: ObjectId,
  mailbox: ObjectId,
  uid: number,
): Promise<string | null> {
  // both by top-level equality, which FerretDB pushes down
  const [message, entries] = await Promise.all([
    db.collection('messages').findOne({ mailbox, uid }, { projection: { _id: 1 } }),
    db
      .collection('journal')
      .find({ mailbox, uid }, { projection: { _id: 0, kind: 1, uid: 1, modseq: 1 } })
      .toArray(),
  ]);
  if (message || !standingUids(entries).has(uid)) return null;
  const modseq = await allocateModseqs(db, mailbox, 1);
  if (modseq === null) return null;
  await recordChanges(db, [{ mailbox, user, modseq, kind: 'EXPUNGE', uid, flags: null }]);
  return `journalled the removal of UID ${uid} at MODSEQ ${modseq}`;
}
