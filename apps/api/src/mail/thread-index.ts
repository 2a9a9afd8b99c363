import type { Db } from 'mongodb';
import { groupConversations, newestFirst, type Conversation } from '@wildduck/mail-service';
import {
  readChanges,
  readSomeSortRecords,
  readSortRecords,
  searchMailboxUids,
  toNumber,
  type LockManager,
  type MailboxDocument,
  type MessageQuery,
  type MessageSortRecord,
} from '@wildduck/store';

/** A mailbox's conversations, as grouped at one change position of the mailbox. */
export interface MailboxConversations {
  /** Newest activity first. */
  list: Conversation[];
  /** The conversation of each UID. */
  byUid: Map<number, Conversation>;
  /** The records they were grouped from (search results are grouped from a subset of these). */
  records: MessageSortRecord[];
  /** Every change of the mailbox up to this MODSEQ is in `records` (some later ones may be too). */
  modseq: number;
}

/** At most this many new messages are read one by one on catching up; more reload the mailbox. */
const CATCH_UP_LIMIT = 200;

/** Mailboxes whose grouping is kept; the least recently used goes first... */
const CACHED_MAILBOXES = 64;
/** ...and messages in all of them (a record and its place in the grouping take about 300 bytes). */
const CACHED_MESSAGES = 250_000;

/**
 * The grouping of each mailbox read lately, in this API process, keyed by the mailbox's change
 * position: paging through a large folder reads its sort records (one query over the mailbox, the
 * costly part on FerretDB) and groups them once, not once per page. The position is UIDVALIDITY,
 * UIDNEXT and the message count of the mailbox document, which every write that adds or removes a
 * message changes in the same update (flag changes leave the grouping as it is, so they keep it).
 */
class ConversationCache {
  private readonly entries = new Map<
    string,
    { position: string; pending: Promise<MailboxConversations>; messages: number }
  >();

  get(db: Db, mailbox: MailboxDocument, locks?: LockManager): Promise<MailboxConversations> {
    const id = mailbox._id!.toHexString();
    const position = changePosition(mailbox);
    const entry = this.entries.get(id);
    if (entry && position !== null && entry.position === position) {
      // most recently used last
      this.entries.delete(id);
      this.entries.set(id, entry);
      return entry.pending;
    }
    const previous = entry?.pending;
    const pending = (async () => {
      // a change since: catch up from the journal when it can, else read the whole mailbox again
      const caught = previous ? await catchUp(db, mailbox, await previous.catch(() => null)) : null;
      return caught ?? load(db, mailbox, locks);
    })();
    if (position !== null) {
      this.entries.delete(id);
      const fresh = { position, pending, messages: 0 };
      this.entries.set(id, fresh);
      void pending.then(
        (loaded) => {
          // read while a message was between taking its UID and being stored: not the position's grouping
          if (loaded.records.length !== toNumber(mailbox.messages ?? -1)) this.forget(id, pending);
          fresh.messages = loaded.records.length;
          this.trim();
        },
        () => this.forget(id, pending),
      );
    }
    return pending;
  }

  /** Drops the least recently used mailboxes while there are too many, or too many messages. */
  private trim(): void {
    let messages = 0;
    for (const entry of this.entries.values()) messages += entry.messages;
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= 1 || (this.entries.size <= CACHED_MAILBOXES && messages <= CACHED_MESSAGES))
        break;
      this.entries.delete(id);
      messages -= entry.messages;
    }
  }

  private forget(id: string, pending: Promise<MailboxConversations>): void {
    if (this.entries.get(id)?.pending === pending) this.entries.delete(id);
  }
}

function changePosition(mailbox: MailboxDocument): string | null {
  if (mailbox.messages === undefined) return null;
  return `${toNumber(mailbox.uidValidity)}:${toNumber(mailbox.uidNext)}:${toNumber(mailbox.messages)}`;
}

async function load(db: Db, mailbox: MailboxDocument, locks?: LockManager): Promise<MailboxConversations> {
  // the position first: a change made while the records are read is then applied again, never missed
  const modseq = toNumber(mailbox.highestModseq);
  const records = await readSortRecords(db, mailbox._id!, locks);
  return grouped(records, modseq);
}

/**
 * The grouping brought up to date with the journal's changes since it was read: new messages'
 * records read one by one, expunged ones dropped, then grouped again in memory. Why: a delivery
 * into a large folder would otherwise make the next page read every record again (the live list
 * asks at once). Null when that cannot be done exactly (journal expired or with a hole, too many
 * new messages, counts that do not add up): the caller reads the mailbox whole.
 */
async function catchUp(
  db: Db,
  mailbox: MailboxDocument,
  cached: MailboxConversations | null,
): Promise<MailboxConversations | null> {
  if (!cached || mailbox.messages === undefined) return null;
  const until = toNumber(mailbox.highestModseq);
  const read = await readChanges(db, mailbox._id!, cached.modseq, { until });
  if (!read || read.position < until) return null;
  const byUid = new Map(cached.records.map((record) => [record.uid, record]));
  const added = new Set<number>();
  for (const change of read.entries) {
    if (change.uid === null) continue;
    if (change.kind === 'EXISTS' && !byUid.has(change.uid)) added.add(change.uid);
    else if (change.kind === 'EXPUNGE') {
      byUid.delete(change.uid);
      added.delete(change.uid);
    }
  }
  if (added.size > CATCH_UP_LIMIT) return null;
  for (const record of await readSomeSortRecords(db, mailbox._id!, [...added])) byUid.set(record.uid, record);
  if (byUid.size !== toNumber(mailbox.messages)) return null;
  return grouped([...byUid.values()], read.position);
}

function grouped(records: MessageSortRecord[], modseq: number): MailboxConversations {
  const list = groupConversations(records);
  const byUid = new Map<number, Conversation>();
  for (const conversation of list) for (const uid of conversation.uids) byUid.set(uid, conversation);
  return { list, byUid, records, modseq };
}

const cache = new ConversationCache();

/** A mailbox's conversations (every message), from the cache when the mailbox has not changed. */
export function mailboxConversations(
  db: Db,
  mailbox: MailboxDocument,
  locks?: LockManager,
): Promise<MailboxConversations> {
  return cache.get(db, mailbox, locks);
}

/**
 * The conversations of the messages matching a search: the search runs first (the IMAP SEARCH
 * engine), then only the matching messages are grouped, so a conversation shows what matched.
 */
export async function matchingConversations(
  db: Db,
  mailbox: MailboxDocument,
  query: MessageQuery,
  locks?: LockManager,
): Promise<Conversation[]> {
  const [all, matching] = await Promise.all([
    mailboxConversations(db, mailbox, locks),
    query.type === 'all' ? null : searchMailboxUids(db, mailbox._id!, query, locks),
  ]);
  if (!matching) return all.list;
  const wanted = new Set(matching);
  return groupConversations(all.records.filter((record) => wanted.has(record.uid)));
}

/** The conversations after a position in the list (the whole list when none), at most `first`. */
export function conversationPage(
  list: readonly Conversation[],
  after: { latestDate: number; latestUid: number } | null,
  first: number,
): { page: Conversation[]; hasNextPage: boolean } {
  let start = 0;
  if (after) {
    // binary search: the first conversation ordered after the position
    let high = list.length;
    while (start < high) {
      const middle = (start + high) >> 1;
      if (newestFirst(list[middle]!, after) <= 0) start = middle + 1;
      else high = middle;
    }
  }
  return { page: list.slice(start, start + first), hasNextPage: start + first < list.length };
}
