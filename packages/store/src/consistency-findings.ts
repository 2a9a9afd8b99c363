import type { ObjectId } from 'mongodb';

/** What a consistency check can find wrong in the store. */
export type FindingKind =
  /** A message refers to a part whose GridFS file is gone (its body cannot be read; not repairable). */
  | 'missing-part'
  /** A part's `metadata.refs` differs from the number of message references to it. */
  | 'part-refcount'
  /** A part file no message refers to (its count says someone does). */
  | 'orphaned-part'
  /** A part upload still under its placeholder name long after it started (its writer died). */
  | 'abandoned-part-upload'
  /** An upload (attachment for a message being composed) past its lifetime. */
  | 'expired-upload'
  /** A message's UID is not below its mailbox's UIDNEXT: the next UID given out would clash. */
  | 'uid-not-below-uidnext'
  /** Two messages of one mailbox share a UID (not repairable: a client may know either). */
  | 'duplicate-uid'
  /** A message or journal entry has a MODSEQ above the mailbox's HIGHESTMODSEQ. */
  | 'modseq-above-highest'
  /** The mailbox document's message, unseen or byte counters differ from its messages. */
  | 'mailbox-counters'
  /** The user's storage counter differs from the sum of the user's message sizes. */
  | 'storage-counter'
  /** A message whose mailbox does not exist (a mailbox deletion stopped midway; not repairable here). */
  | 'message-without-mailbox'
  /**
   * A message's MODSEQ has no journal entry though the journal reaches back that far: a writer
   * stopped between the change and its entry, so no view or subscriber was told of it.
   */
  | 'unjournalled-message'
  /**
   * A UID the journal says EXISTS (no EXPUNGE after its latest EXISTS) while no message has it: a
   * writer deleted or moved the message away and stopped before its EXPUNGE entry, so every view and
   * subscriber still shows a message that is gone.
   */
  | 'unjournalled-removal';

/** One inconsistency: where it is, which documents, and what was expected against what is stored. */
export interface Finding {
  kind: FindingKind;
  /** The user it belongs to, null for store-wide findings (a part shared by several users). */
  user: ObjectId | null;
  mailbox: ObjectId | null;
  /** The documents concerned: message ids, part hashes, upload ids, UIDs. */
  ids: string[];
  expected: number | string;
  actual: number | string;
  /** Whether `repairConsistency` fixes this kind. */
  repairable: boolean;
}

/** What a check looked at, for the summary line. */
export interface CheckScope {
  users: number;
  mailboxes: number;
  messages: number;
  parts: number;
  /** False for a one-user check: exact part counts and orphans need every user's references. */
  allUsers: boolean;
}

/** The result of a consistency check. */
export interface ConsistencyReport {
  findings: Finding[];
  scope: CheckScope;
}

const REPAIRABLE = new Set<FindingKind>([
  'part-refcount',
  'orphaned-part',
  'abandoned-part-upload',
  'expired-upload',
  'uid-not-below-uidnext',
  'modseq-above-highest',
  'mailbox-counters',
  'storage-counter',
  'unjournalled-message',
  'unjournalled-removal',
]);

/** A finding, marked repairable or not by its kind. */
export function finding(
  kind: FindingKind,
  where: { user?: ObjectId | null; mailbox?: ObjectId | null },
  ids: readonly (string | number)[],
  expected: number | string,
  actual: number | string,
): Finding {
  return {
    kind,
    user: where.user ?? null,
    mailbox: where.mailbox ?? null,
    ids: ids.map(String),
    expected,
    actual,
    repairable: REPAIRABLE.has(kind),
  };
}
