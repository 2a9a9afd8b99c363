// Conversations of one mailbox from its messages' headers. Pure: no I/O, so the API can group a
// mailbox's cached sort records in memory and the rules are unit-tested on their own.
import { conversationSubject } from './conversation-subject.js';

/** What grouping needs of a message (a store `MessageSortRecord` has all of it). */
export interface ConversationRecord {
  uid: number;
  /** When it arrived, in milliseconds since the epoch: what "newest" means. */
  internalDate: number;
  subject: string;
  messageId: string;
  inReplyTo: string;
  references: readonly string[];
}

/** One conversation: its messages' UIDs, oldest first. */
export interface Conversation {
  /** The UID of its oldest message. */
  rootUid: number;
  /**
   * Its name: the first id its oldest message names (the thread's root, as References give it),
   * else that message's own Message-ID, else `uid:<UID>`. Stable when the oldest message goes, as
   * the replies name the same root; conversationsByName finds the conversation by it.
   */
  key: string;
  uids: number[];
  /** Its newest message, and when that arrived: the list is ordered by these. */
  latestUid: number;
  latestDate: number;
}

const MESSAGE_ID = /<[^<>\s]+>/g;

/** Every `<...>` a message names: its own Message-ID, References and In-Reply-To. */
function linkedIds(record: ConversationRecord): { own: string[]; named: string[] } {
  const own = record.messageId.match(MESSAGE_ID) ?? [];
  const named = [
    ...record.references.flatMap((reference) => reference.match(MESSAGE_ID) ?? []),
    ...(record.inReplyTo.match(MESSAGE_ID) ?? []),
  ];
  return { own: own.slice(0, 1), named };
}

/** Union-find over small integers, with path halving. */
class Sets {
  private readonly parent: number[] = [];

  add(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }

  find(node: number): number {
    let current = node;
    while (this.parent[current] !== current) {
      const up = this.parent[this.parent[current]!]!;
      this.parent[current] = up;
      current = up;
    }
    return current;
  }

  join(a: number, b: number): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
  }
}

const byArrival = (a: ConversationRecord, b: ConversationRecord) =>
  a.internalDate - b.internalDate || a.uid - b.uid;

/**
 * Groups messages into conversations, newest activity first:
 * 1. messages linked by Message-ID, References or In-Reply-To are one conversation: the union of
 *    every id they name (so replies to a message that is not here still meet, and a loop in
 *    References is harmless), as RFC 5256 REFERENCES links them before it builds trees;
 * 2. a message that names no other and that none names joins the conversation whose base subject
 *    (Re:/Fwd:/[list] taken off) is the same, the newest such one; a blank base subject joins none.
 */
export function groupConversations(records: readonly ConversationRecord[]): Conversation[] {
  const sets = new Sets();
  const messageNodes = records.map(() => sets.add());
  const idNodes = new Map<string, number>();
  const nodeOfId = (id: string) => {
    let node = idNodes.get(id);
    if (node === undefined) {
      node = sets.add();
      idNodes.set(id, node);
    }
    return node;
  };
  const linkCount = new Map<string, number>();
  const ids = records.map(linkedIds);
  records.forEach((_record, index) => {
    const { own, named } = ids[index]!;
    for (const id of [...own, ...named]) {
      sets.join(messageNodes[index]!, nodeOfId(id));
      linkCount.set(id, (linkCount.get(id) ?? 0) + 1);
    }
  });
  // unlinked: names nothing, and its own id (if any) is named by no other message
  const unlinked = (index: number) => {
    const { own, named } = ids[index]!;
    return !named.length && own.every((id) => linkCount.get(id) === 1);
  };

  const groups = new Map<number, ConversationRecord[]>();
  const loose: ConversationRecord[] = [];
  records.forEach((record, index) => {
    if (unlinked(index)) {
      loose.push(record);
      return;
    }
    const root = sets.find(messageNodes[index]!);
    const group = groups.get(root);
    if (group) group.push(record);
    else groups.set(root, [record]);
  });

  // 2. the loose ones by base subject, to the newest linked conversation of that subject
  const linked = [...groups.values()].map((group) => group.sort(byArrival));
  const bySubject = new Map<string, ConversationRecord[]>();
  for (const group of linked) {
    const key = conversationSubject(group[0]!.subject);
    const known = bySubject.get(key);
    if (key && (!known || byArrival(known.at(-1)!, group.at(-1)!) < 0)) bySubject.set(key, group);
  }
  const all = [...linked];
  for (const record of [...loose].sort(byArrival)) {
    const key = conversationSubject(record.subject);
    const group = key ? bySubject.get(key) : undefined;
    if (group) {
      group.push(record);
      continue;
    }
    const own = [record];
    all.push(own);
    if (key) bySubject.set(key, own);
  }

  return all
    .map((group) => {
      group.sort(byArrival);
      const latest = group.at(-1)!;
      return {
        rootUid: group[0]!.uid,
        key: names(group[0]!)[0]!,
        uids: group.map((record) => record.uid),
        latestUid: latest.uid,
        latestDate: latest.internalDate,
      };
    })
    .sort(newestFirst);
}

/** The list's order: newest activity first, then the higher UID. */
export function newestFirst(
  a: Pick<Conversation, 'latestDate' | 'latestUid'>,
  b: Pick<Conversation, 'latestDate' | 'latestUid'>,
): number {
  return b.latestDate - a.latestDate || b.latestUid - a.latestUid;
}

/** What a message can be found by: the ids it names, its own Message-ID, then its UID. */
function names(record: ConversationRecord): string[] {
  const { own, named } = linkedIds(record);
  return [...named, ...own, `uid:${record.uid}`];
}

/**
 * The conversations by every name a member of theirs answers to (conversation keys among them):
 * a conversation whose oldest message went is still found by the key it had, since the replies
 * name the same root. Ids linked together are always in one conversation, so no name has two.
 */
export function conversationsByName(
  records: readonly ConversationRecord[],
  conversations: readonly Conversation[],
): Map<string, Conversation> {
  const byUid = new Map(records.map((record) => [record.uid, record]));
  const found = new Map<string, Conversation>();
  for (const conversation of conversations)
    for (const uid of conversation.uids) {
      const record = byUid.get(uid);
      if (!record) continue;
      for (const name of names(record)) if (!found.has(name)) found.set(name, conversation);
    }
  return found;
}
