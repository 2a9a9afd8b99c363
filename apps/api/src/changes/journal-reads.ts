/**
 * The journal reads behind `mailboxChanges`, turned into changes as the API shows them. Each read
 * is shared by every subscriber of a user that needs the same one (see feed.ts).
 */
import type { Db, ObjectId } from 'mongodb';
import {
  listMailboxPositions,
  mailboxPath,
  mailboxPaths,
  messageIdsByUid,
  readAccountLog,
  readChanges,
  toNumber,
  type JournalKind,
} from '@wildduck/store';

/** The change types of the API (the ChangeType enum). */
export type ChangeType = JournalKind;

/** A change without its cursor. */
export interface FeedChange {
  type: ChangeType;
  mailboxId: string;
  uid: number | null;
  /** The journal MODSEQ; null for account events (which have none). */
  modseq: number | null;
  flags: string[] | null;
  messageId: string | null;
  path: string | null;
  /**
   * Set on FLAGS of one reader's own \Seen in a shared mailbox (their id): only that reader is
   * told. Not part of the API's change (the subscription leaves it out).
   */
  reader?: string;
}

/** What reading one mailbox's journal found. */
export interface MailboxRead {
  /** In MODSEQ order. */
  changes: (FeedChange & { modseq: number })[];
  /** Every change up to this MODSEQ has been read. */
  position: number;
  /** A hole not yet timed out stopped the read: read again shortly. */
  waiting: boolean;
  /** The page was full: read again for more. */
  more: boolean;
}

/** Journal entries read per mailbox read. */
export const MAILBOX_PAGE = 1_000;

/**
 * The changes of a mailbox after MODSEQ `after`; null when the journal no longer reaches back that
 * far (expired), or the mailbox is gone.
 */
export async function readMailboxChanges(
  db: Db,
  user: ObjectId,
  mailbox: ObjectId,
  after: number,
): Promise<MailboxRead | null> {
  const read = await readChanges(db, mailbox, after, { limit: MAILBOX_PAGE });
  if (!read) return null;
  const mailboxId = mailbox.toHexString();
  const entries = read.entries.filter((entry) => entry.user.equals(user));
  const messageIds = await messageIdsOf(
    db,
    mailbox,
    entries.filter((entry) => entry.kind === 'EXISTS' || entry.kind === 'FLAGS').map((entry) => entry.uid),
  );
  const path = entries.some((entry) => entry.kind === 'MAILBOX_CREATED')
    ? await mailboxPath(db, user, mailbox)
    : null;
  const changes: MailboxRead['changes'] = [];
  for (const entry of entries) {
    const base = { mailboxId, modseq: entry.modseq, flags: null, messageId: null, path: null };
    if (entry.kind === 'MAILBOX_CREATED') {
      changes.push({ ...base, type: 'MAILBOX_CREATED', uid: null, path });
    } else if (entry.uid === null) {
      continue;
    } else if (entry.kind === 'EXISTS') {
      changes.push({
        ...base,
        type: 'EXISTS',
        uid: entry.uid,
        flags: entry.flags ?? [],
        messageId: messageIds.get(entry.uid) ?? null,
      });
    } else if (entry.kind === 'EXPUNGE') {
      changes.push({ ...base, type: 'EXPUNGE', uid: entry.uid });
    } else if (entry.kind === 'FLAGS' && entry.flags) {
      // a FLAGS entry without flags only fills a MODSEQ a writer gave up (store/journal.ts)
      changes.push({
        ...base,
        type: 'FLAGS',
        uid: entry.uid,
        flags: entry.flags,
        messageId: messageIds.get(entry.uid) ?? null,
        ...(entry.reader ? { reader: entry.reader.toHexString() } : {}),
      });
    }
  }
  return {
    changes,
    position: read.position,
    waiting: read.waiting,
    more: read.entries.length >= MAILBOX_PAGE,
  };
}

/** One entry of the account log (journal entries with MODSEQ 0), with its id and time. */
export interface AccountEntry {
  id: string;
  /** When it was written (ms). */
  created: number;
  change: FeedChange;
}

/** Account-log entries read at once. */
export const ACCOUNT_PAGE = 1_000;

const ACCOUNT_KINDS = new Set<string>(['MAILBOX_RENAMED', 'MAILBOX_DELETED', 'SPAM', 'NOT_SPAM']);

/**
 * The account log of a user from time `from` (ms) on, oldest first: mailbox renames and deletions,
 * SPAM and NOT_SPAM reports. `knownPaths` gives the last known path of mailboxes since deleted.
 */
export async function readAccountChanges(
  db: Db,
  user: ObjectId,
  from: number,
  knownPaths: ReadonlyMap<string, string>,
): Promise<{ entries: AccountEntry[]; more: boolean }> {
  const documents = await readAccountLog(db, user, new Date(from), ACCOUNT_PAGE);
  const relevant = documents.filter((document) => ACCOUNT_KINDS.has(String(document.kind)));
  const mailboxes = relevant.map((document) => document.mailbox);
  const paths = mailboxes.length ? await mailboxPaths(db, user, mailboxes) : new Map<string, string>();
  // SPAM / NOT_SPAM name the message by UID in the mailbox it was moved to
  const reportedUids = new Map<string, { mailbox: ObjectId; uids: number[] }>();
  for (const document of relevant) {
    if ((document.kind !== 'SPAM' && document.kind !== 'NOT_SPAM') || document.uid == null) continue;
    const mailbox = document.mailbox;
    const group = reportedUids.get(mailbox.toHexString()) ?? { mailbox, uids: [] };
    group.uids.push(toNumber(document.uid));
    reportedUids.set(mailbox.toHexString(), group);
  }
  const reported = new Map<string, Map<number, string>>();
  for (const [mailboxId, group] of reportedUids)
    reported.set(mailboxId, await messageIdsOf(db, group.mailbox, group.uids));
  const entries = relevant.map((document): AccountEntry => {
    const mailboxId = document.mailbox.toHexString();
    const uid = document.uid === null || document.uid === undefined ? null : toNumber(document.uid);
    return {
      id: document._id.toHexString(),
      created: document.created.getTime(),
      change: {
        type: document.kind,
        mailboxId,
        uid,
        modseq: null,
        flags: null,
        messageId: uid === null ? null : (reported.get(mailboxId)?.get(uid) ?? null),
        path: paths.get(mailboxId) ?? knownPaths.get(mailboxId) ?? null,
      },
    };
  });
  return { entries, more: documents.length >= ACCOUNT_PAGE };
}

/** A user's mailbox as the feed follows it. */
export interface FollowedMailbox {
  id: string;
  path: string;
  highestModseq: number;
  created: number;
}

/** The user's mailboxes. */
export async function listFollowedMailboxes(db: Db, user: ObjectId): Promise<FollowedMailbox[]> {
  const mailboxes = await listMailboxPositions(db, user);
  return mailboxes.map((mailbox) => ({
    id: mailbox.id.toHexString(),
    path: mailbox.path,
    highestModseq: mailbox.highestModseq,
    created: mailbox.created?.getTime() ?? 0,
  }));
}

/** Message ids by UID (messages expunged since are left out). */
async function messageIdsOf(
  db: Db,
  mailbox: ObjectId,
  uids: (number | null)[],
): Promise<Map<number, string>> {
  return messageIdsByUid(db, mailbox, [...new Set(uids.filter((uid): uid is number => uid !== null))]);
}
