import {
  conversationsByName,
  groupConversations,
  newestFirst,
  type Conversation,
} from '@wildduck/mail-service';
import { toNumber, type MailboxDocument, type MessageQuery, type MessageSortRecord } from '@wildduck/store';
import type { MessageListIndexes } from './list-index.js';

/** A mailbox's conversations, as grouped at one change position of the mailbox. */
export interface MailboxConversations {
  /** Newest activity first. */
  list: Conversation[];
  /** The records they were grouped from (search results are grouped from a subset of these). */
  records: MessageSortRecord[];
  /** The conversation a thread id's key names (made on first use: `thread` asks, pages do not). */
  byName(): Map<string, Conversation>;
}

/** Mailboxes whose grouping is kept; the least recently used goes first... */
const CACHED_MAILBOXES = 64;
/** ...and messages in all of them (a conversation's share of a message is about 100 bytes). */
const CACHED_MESSAGES = 250_000;

/**
 * The grouping of each mailbox read lately, in this API process, keyed by the mailbox's change
 * position: paging through a large folder groups it once, not once per page. The position is
 * UIDVALIDITY, UIDNEXT and the message count of the mailbox document, which every write that adds
 * or removes a message changes in the same update (flag changes leave the grouping as it is, so
 * they keep it). The messages come from the process's message list index (list-index.ts, which
 * reads a mailbox once and follows its journal), so a new position costs a regrouping in memory,
 * not a read of the folder.
 */
class ConversationCache {
  private readonly entries = new Map<
    string,
    { position: string; pending: Promise<MailboxConversations>; messages: number }
  >();

  get(indexes: MessageListIndexes, mailbox: MailboxDocument): Promise<MailboxConversations> {
    const id = mailbox._id!.toHexString();
    const position = changePosition(mailbox);
    const entry = this.entries.get(id);
    if (entry && position !== null && entry.position === position) {
      // most recently used last
      this.entries.delete(id);
      this.entries.set(id, entry);
      return entry.pending;
    }
    const pending = load(indexes, mailbox);
    if (position !== null) {
      this.entries.delete(id);
      const fresh = { position, pending, messages: 0 };
      this.entries.set(id, fresh);
      void pending.then(
        (loaded) => {
          // answered as of before a message that was between taking its UID and being journalled:
          // not the position's grouping
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

async function load(indexes: MessageListIndexes, mailbox: MailboxDocument): Promise<MailboxConversations> {
  const records = (await indexes.records(mailbox)).flatMap((record) => (record.sort ? [record.sort] : []));
  return grouped(records);
}

function grouped(records: MessageSortRecord[]): MailboxConversations {
  const list = groupConversations(records);
  let names: Map<string, Conversation> | null = null;
  const byName = () => (names ??= conversationsByName(records, list));
  return { list, records, byName };
}

const cache = new ConversationCache();

/** A mailbox's conversations (every message), from the cache when the mailbox has not changed. */
export function mailboxConversations(
  indexes: MessageListIndexes,
  mailbox: MailboxDocument,
): Promise<MailboxConversations> {
  return cache.get(indexes, mailbox);
}

/**
 * The conversations of the messages matching a search: the search runs first (in memory, as the
 * messages list searches), then only the matching messages are grouped, so a conversation shows
 * what matched.
 */
export async function matchingConversations(
  indexes: MessageListIndexes,
  mailbox: MailboxDocument,
  query: MessageQuery,
): Promise<Conversation[]> {
  const all = await mailboxConversations(indexes, mailbox);
  if (query.type === 'all') return all.list;
  const wanted = new Set(await indexes.matchingUids(mailbox, query));
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
