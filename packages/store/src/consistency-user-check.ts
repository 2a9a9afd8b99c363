import type { Db, Document, ObjectId } from 'mongodb';
import { countOf } from './counters.js';
import { finding, type Finding } from './consistency-findings.js';
import { standingUidsByMailbox, unjournalledRemovals } from './consistency-removals.js';
import { toNumber } from './ids.js';

/** What one user's check found, and the part references its messages hold (for the parts check). */
export interface UserCheck {
  findings: Finding[];
  mailboxes: number;
  messages: number;
  /** Part hash -> how many references this user's messages hold to it. */
  partReferences: Map<string, number>;
}

/**
 * Checks one user's mailboxes, messages, journal and storage counter. Three reads, each by `{user}`
 * equality (the only filter FerretDB 1.24 pushes down), however many mailboxes the user has; the
 * rest is computed here. Under writers, a check can see a change half made (a message inserted but
 * its counter not yet moved): findings are confirmed under the user lock before anything is repaired.
 */
export async function checkUser(db: Db, user: ObjectId): Promise<UserCheck> {
  const [account, mailboxes, messages, journal] = await Promise.all([
    db.collection('users').findOne({ _id: user }, { projection: { storageUsed: 1 } }),
    db.collection('mailboxes').find({ user }).toArray(),
    db
      .collection('messages')
      .find({ user }, { projection: { mailbox: 1, uid: 1, modseq: 1, size: 1, flags: 1, parts: 1 } })
      .toArray(),
    db
      .collection('journal')
      .find({ user }, { projection: { _id: 0, mailbox: 1, modseq: 1, kind: 1, uid: 1 } })
      .toArray(),
  ]);
  const findings: Finding[] = [];
  const byMailbox = groupBy(messages, (message) => String(message.mailbox));
  const journalMax = highestModseqs(journal);
  const journalled = journalledModseqs(journal);
  const standing = standingUidsByMailbox(journal);
  for (const mailbox of mailboxes) {
    const own = byMailbox.get(String(mailbox._id)) ?? [];
    byMailbox.delete(String(mailbox._id));
    findings.push(...checkMailbox(user, mailbox, own, journalMax.get(String(mailbox._id)) ?? 0));
    findings.push(...unjournalled(user, mailbox._id as ObjectId, own, journalled.get(String(mailbox._id))));
    // only mailboxes that exist: a deleted mailbox's journal is deleted after it, outside the lock
    findings.push(
      ...unjournalledRemovals(user, mailbox._id as ObjectId, own, standing.get(String(mailbox._id))),
    );
  }
  for (const [mailbox, stray] of byMailbox) {
    findings.push(
      finding(
        'message-without-mailbox',
        { user, mailbox: stray[0]!.mailbox as ObjectId },
        stray.map((message) => String(message._id)),
        `mailbox ${mailbox}`,
        'no such mailbox',
      ),
    );
  }
  if (account) {
    const sum = messages.reduce((total, message) => total + toNumber(message.size ?? 0), 0);
    const counted = toNumber(account.storageUsed ?? 0);
    if (counted !== sum) findings.push(finding('storage-counter', { user }, [String(user)], sum, counted));
  }
  const partReferences = new Map<string, number>();
  for (const message of messages) {
    for (const ref of (message.parts as string[] | undefined) ?? [])
      partReferences.set(ref, (partReferences.get(ref) ?? 0) + 1);
  }
  return { findings, mailboxes: mailboxes.length, messages: messages.length, partReferences };
}

/**
 * Messages whose MODSEQ has no journal entry, where the journal still reaches back to it (entries
 * expire; below the oldest one left nothing can be told).
 */
function unjournalled(
  user: ObjectId,
  mailbox: ObjectId,
  messages: readonly Document[],
  journal: { modseqs: Set<number>; oldest: number } | undefined,
): Finding[] {
  if (!journal) return [];
  return messages
    .filter((message) => {
      const modseq = toNumber(message.modseq ?? 0);
      return modseq >= journal.oldest && !journal.modseqs.has(modseq);
    })
    .map((message) =>
      finding(
        'unjournalled-message',
        { user, mailbox },
        [String(message._id)],
        `a journal entry for UID ${toNumber(message.uid)} at MODSEQ ${toNumber(message.modseq)}`,
        'none',
      ),
    );
}

/** Per mailbox, the MODSEQs the journal holds and the oldest of them (entries with MODSEQ 0 take none). */
function journalledModseqs(journal: Document[]): Map<string, { modseqs: Set<number>; oldest: number }> {
  const byMailbox = new Map<string, { modseqs: Set<number>; oldest: number }>();
  for (const entry of journal) {
    const modseq = toNumber(entry.modseq ?? 0);
    if (!modseq) continue;
    const key = String(entry.mailbox);
    const known = byMailbox.get(key) ?? { modseqs: new Set<number>(), oldest: modseq };
    known.modseqs.add(modseq);
    known.oldest = Math.min(known.oldest, modseq);
    byMailbox.set(key, known);
  }
  return byMailbox;
}

/** UIDs against UIDNEXT, unique UIDs, MODSEQs against HIGHESTMODSEQ, and the stored counters. */
function checkMailbox(user: ObjectId, box: Document, messages: Document[], journalMax: number): Finding[] {
  const mailbox = box._id as ObjectId;
  const where = { user, mailbox };
  const findings: Finding[] = [];
  const uidNext = toNumber(box.uidNext);
  const byUid = groupBy(messages, (message) => String(toNumber(message.uid)));
  const highUids = [...byUid.keys()].map(Number).filter((uid) => uid >= uidNext);
  if (highUids.length)
    findings.push(finding('uid-not-below-uidnext', where, highUids, Math.max(...highUids) + 1, uidNext));
  for (const [uid, same] of byUid) {
    if (same.length > 1)
      findings.push(
        finding(
          'duplicate-uid',
          where,
          same.map((message) => String(message._id)),
          `one message with UID ${uid}`,
          `${same.length} messages`,
        ),
      );
  }
  const highestModseq = toNumber(box.highestModseq);
  const messageMax = messages.reduce((max, message) => Math.max(max, toNumber(message.modseq ?? 0)), 0);
  const seen = Math.max(messageMax, journalMax);
  if (seen > highestModseq)
    findings.push(finding('modseq-above-highest', where, [String(mailbox)], seen, highestModseq));
  // a mailbox stored before the counters existed has none yet: they are computed on first use
  if (box.messages !== undefined) {
    const counted = countOf(messages);
    const stored = {
      messages: toNumber(box.messages),
      unseen: toNumber(box.unseen ?? 0),
      size: toNumber(box.size ?? 0),
    };
    if (
      counted.messages !== stored.messages ||
      counted.unseen !== stored.unseen ||
      counted.size !== stored.size
    )
      findings.push(
        finding('mailbox-counters', where, [String(mailbox)], describe(counted), describe(stored)),
      );
  }
  return findings;
}

/** The highest MODSEQ journalled per mailbox (entries with MODSEQ 0, renames and deletions, take none). */
function highestModseqs(journal: Document[]): Map<string, number> {
  const highest = new Map<string, number>();
  for (const entry of journal) {
    const key = String(entry.mailbox);
    highest.set(key, Math.max(highest.get(key) ?? 0, toNumber(entry.modseq ?? 0)));
  }
  return highest;
}

function describe(counters: { messages: number; unseen: number; size: number }): string {
  return `messages ${counters.messages}, unseen ${counters.unseen}, bytes ${counters.size}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}
