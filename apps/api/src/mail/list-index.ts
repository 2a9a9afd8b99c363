/**
 * The message lists of the API: each mailbox the webmail reads is held in memory (list fields and
 * search texts of every message), so a page, a deep page, a search and a count are answered
 * without the store, and kept current from the journal (the mailbox document, read by every
 * request anyway, says how far the mailbox has changed).
 *
 * Why: on FerretDB 1.24 a query over a mailbox decodes every document of it, and a point read
 * costs a round trip of several milliseconds: a page of 200 cost 200 point reads and a search one
 * read of every search document, 2-20 s on a 20,000-message folder
 * (apps/api/scripts/measure-folder-list.ts). Here the mailbox is read once; later requests
 * read only what the journal says changed.
 *
 * While a mailbox is first read, a page of the whole folder is read by point reads from the top
 * (store probeNewestMessages), so a folder shows before it is loaded; a search waits for the load.
 */
import type { Db, ObjectId } from 'mongodb';
import {
  findMailboxById,
  compileMatcher,
  loadListRecords,
  probeNewestMessages,
  readChanges,
  readListRecords,
  SEARCH_VERSION,
  toNumber,
  userLock,
  type LockManager,
  type MailboxDocument,
  type MessageListRecord,
  type MessagePage,
  type MessageQuery,
  type MessageView,
} from '@wildduck/store';

/** How many messages the indexes of one process hold at most, all mailboxes together... */
export const MAX_INDEXED_MESSAGES = 100_000;
/**
 * ...and about how many bytes: a record keeps its message's body text for SEARCH (up to 64 kB,
 * packages/mime maxBodyText), so a count alone could let a mailbox of long mails take gigabytes.
 */
export const MAX_INDEXED_BYTES = 256 * 1024 * 1024;
/** What a record costs besides its texts (view, match fields, sort record, map entry), roughly. */
const RECORD_OVERHEAD_BYTES = 1_000;
/** A mailbox nobody listed for this long is dropped. */
export const INDEX_IDLE_MS = 15 * 60_000;
/** At most this many messages a page while the mailbox is first read (each costs a point read). */
const PAGE_WHILE_LOADING = 40;
/** Journal entries read at once while catching up. */
const JOURNAL_PAGE = 1_000;

/** One mailbox in memory: every message by UID, as of `position` (its highest MODSEQ applied). */
class MailboxListIndex {
  private readonly records = new Map<number, MessageListRecord>();
  private sorted: number[] | null = null;
  private position = 0;
  private catchingUp: Promise<void> = Promise.resolve();
  private lastSearch: { key: string; position: number; uids: number[] } | null = null;
  lastUsed = Date.now();
  gone = false;

  constructor(
    private readonly db: Db,
    readonly mailbox: ObjectId,
    private readonly user: ObjectId,
    readonly uidValidity: number,
  ) {}

  /** Bytes the records hold, roughly (their texts and a fixed overhead each). */
  private held = 0;

  get size(): number {
    return this.records.size;
  }

  get bytes(): number {
    return this.held;
  }

  private put(record: MessageListRecord): void {
    this.remove(record.view.uid);
    this.records.set(record.view.uid, record);
    this.held += recordBytes(record);
  }

  private remove(uid: number): boolean {
    const record = this.records.get(uid);
    if (!record) return false;
    this.records.delete(uid);
    this.held -= recordBytes(record);
    return true;
  }

  /**
   * Reads the mailbox. The position is read under the owner's lock (every writer holds it from
   * taking its MODSEQ until its journal entry is written), the messages after it is given back;
   * what changed meanwhile is replayed from the journal (some of it already shows: applied again).
   */
  async load(locks: LockManager): Promise<void> {
    const box = await locks.run(userLock(this.user), () => findMailboxById(this.db, this.user, this.mailbox));
    if (!box) {
      this.gone = true;
      return;
    }
    const records = await loadListRecords(this.db, this.mailbox, locks);
    if (!records) {
      this.gone = true;
      return;
    }
    this.records.clear();
    this.held = 0;
    for (const record of records) this.put(record);
    this.sorted = null;
    this.position = toNumber(box.highestModseq);
  }

  /** Applies the journal up to `highestModseq` (the mailbox document's), one catch-up at a time. */
  catchUp(highestModseq: number, locks: LockManager): Promise<void> {
    this.catchingUp = this.catchingUp.then(() => this.readJournal(highestModseq, locks));
    return this.catchingUp;
  }

  private async readJournal(until: number, locks: LockManager): Promise<void> {
    while (this.position < until && !this.gone) {
      const read = await readChanges(this.db, this.mailbox, this.position, { limit: JOURNAL_PAGE, until });
      if (!read) {
        // the journal expired past our position: read the mailbox again
        await this.load(locks);
        return;
      }
      const entries = read.entries.filter((entry) => entry.user.equals(this.user));
      const newUids = entries
        .filter((entry) => entry.kind === 'EXISTS' && entry.uid !== null && !this.records.has(entry.uid))
        .map((entry) => entry.uid!);
      const arrived = new Map(
        (await readListRecords(this.db, this.mailbox, newUids)).map((record) => [record.view.uid, record]),
      );
      for (const entry of entries) {
        if (entry.kind === 'MAILBOX_DELETED') this.gone = true;
        if (entry.uid === null) continue;
        const record = this.records.get(entry.uid);
        if (entry.kind === 'EXISTS') {
          const fresh = arrived.get(entry.uid);
          // read after later entries were written: a later EXPUNGE of it removes it again below
          if (fresh && !record) this.add(fresh);
        } else if (entry.kind === 'EXPUNGE') {
          if (this.remove(entry.uid)) this.sorted = null;
        } else if (
          entry.kind === 'FLAGS' &&
          entry.flags &&
          !entry.reader &&
          record &&
          record.match.modseq <= entry.modseq
        ) {
          // a FLAGS entry without flags only fills a MODSEQ a writer gave up (store/journal.ts); one
          // with a reader is that reader's own \Seen (the index holds the owner's flags)
          record.view.flags = entry.flags;
          record.match.flags = entry.flags;
          record.match.modseq = entry.modseq;
        }
      }
      const moved = read.position > this.position;
      this.position = Math.max(this.position, read.position);
      // a hole a writer has not filled yet: answer as of before it, the next request reads on
      if (read.waiting || !moved) return;
    }
  }

  private add(record: MessageListRecord): void {
    this.put(record);
    const sorted = this.sorted;
    if (sorted && (sorted.length === 0 || sorted[sorted.length - 1]! < record.view.uid))
      sorted.push(record.view.uid);
    else this.sorted = null;
  }

  /** The UIDs (ascending) matching the query. */
  private matching(query: MessageQuery): number[] {
    this.sorted ??= [...this.records.keys()].sort((a, b) => a - b);
    if (query.type === 'all') return this.sorted;
    // the webmail pages through one search: its matches are kept while nothing changed
    const key = JSON.stringify(query);
    if (this.lastSearch?.key === key && this.lastSearch.position === this.position)
      return this.lastSearch.uids;
    const matches = compileMatcher(query);
    const uids = this.sorted.filter((uid) => matches(this.records.get(uid)!.match));
    this.lastSearch = { key, position: this.position, uids };
    return uids;
  }

  /** Every record, by ascending UID (not to be changed: the index keeps them). */
  all(): MessageListRecord[] {
    this.sorted ??= [...this.records.keys()].sort((a, b) => a - b);
    return this.sorted.map((uid) => this.records.get(uid)!);
  }

  /** The UIDs (ascending) matching the query, found in memory. */
  matchingUids(query: MessageQuery): number[] {
    this.lastUsed = Date.now();
    return this.matching(query);
  }

  /** Copies of the list fields of those of these UIDs that exist, in the order given. */
  views(uids: readonly number[]): MessageView[] {
    this.lastUsed = Date.now();
    return uids.flatMap((uid) => {
      const record = this.records.get(uid);
      return record ? [{ ...record.view }] : [];
    });
  }

  page(query: MessageQuery, first: number, beforeUid?: number): MessagePage {
    this.lastUsed = Date.now();
    const uids = this.matching(query);
    const end = beforeUid === undefined ? uids.length : lowerBound(uids, beforeUid);
    const start = Math.max(0, end - first);
    const messages = [];
    // copies: the records change with later flag changes, a result must not
    for (let index = end - 1; index >= start; index--)
      messages.push({ ...this.records.get(uids[index]!)!.view });
    return { messages, hasNextPage: start > 0, totalCount: uids.length };
  }
}

/** About what a record takes in memory: its texts (one byte a character) and a fixed overhead. */
function recordBytes(record: MessageListRecord): number {
  let bytes = RECORD_OVERHEAD_BYTES + record.match.searchText.length + (record.view.snippet?.length ?? 0);
  for (const line of record.match.headerLines) bytes += line.length;
  return bytes;
}

/** The first index whose UID is not below `uid`. */
function lowerBound(uids: readonly number[], uid: number): number {
  let low = 0;
  let high = uids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (uids[middle]! < uid) low = middle + 1;
    else high = middle;
  }
  return low;
}

interface Slot {
  index: MailboxListIndex;
  ready: Promise<void>;
  loaded: boolean;
}

/** The indexes of one process, by mailbox. */
export class MessageListIndexes {
  private readonly slots = new Map<string, Slot>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly locks: LockManager,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** One page of a mailbox's messages matching `query`, newest first (the `messages` query). */
  async page(
    mailbox: MailboxDocument,
    query: MessageQuery,
    page: { first: number; beforeUid?: number },
  ): Promise<MessagePage> {
    const slot = this.slotFor(mailbox);
    if (!slot.loaded && query.type === 'all') {
      const early = await this.pageWhileLoading(mailbox, page);
      if (early) return early;
    }
    const index = await this.current(mailbox, slot);
    return index.page(query, page.first, page.beforeUid);
  }

  /**
   * Every message of a mailbox as of its document `mailbox` (read by the caller now), with sort
   * records, ascending by UID: what the conversations are grouped from. Costs the store nothing
   * once the mailbox is read (the messages list reads it too).
   */
  async records(mailbox: MailboxDocument): Promise<MessageListRecord[]> {
    return (await this.current(mailbox)).all();
  }

  /** The UIDs (ascending) of the mailbox's messages matching `query`, searched in memory. */
  async matchingUids(mailbox: MailboxDocument, query: MessageQuery): Promise<number[]> {
    return (await this.current(mailbox)).matchingUids(query);
  }

  /** The list fields of those of these UIDs that exist, in the order given. */
  async views(mailbox: MailboxDocument, uids: readonly number[]): Promise<MessageView[]> {
    return (await this.current(mailbox)).views(uids);
  }

  /** The mailbox's index, read and brought up to its document's MODSEQ. */
  private async current(mailbox: MailboxDocument, slot = this.slotFor(mailbox)): Promise<MailboxListIndex> {
    try {
      await slot.ready;
    } catch (error) {
      this.slots.delete(mailbox._id!.toHexString());
      throw error;
    }
    await slot.index.catchUp(toNumber(mailbox.highestModseq), this.locks);
    return slot.index;
  }

  /**
   * A page of the whole folder before its index is there: point reads from the top down, as long
   * as the UIDs have few gaps (at most twice the page read); null otherwise. At most
   * PAGE_WHILE_LOADING messages (a page may be shorter than `first`: `hasNextPage` says more come).
   */
  private async pageWhileLoading(
    mailbox: MailboxDocument,
    page: { first: number; beforeUid?: number },
  ): Promise<MessagePage | null> {
    const total = mailbox.messages;
    if (total === undefined) return null;
    const below = Math.min(page.beforeUid ?? Infinity, toNumber(mailbox.uidNext));
    // a short page: enough to fill the screen quickly; the list asks for more as it scrolls
    const wanted = Math.min(page.first, PAGE_WHILE_LOADING);
    const found = await probeNewestMessages(this.db, mailbox._id!, below, wanted, wanted * 2 + 20, {
      fromSearchDocuments: mailbox.searchVersion === SEARCH_VERSION,
    });
    if (!found) return null;
    const lowest = found.messages.at(-1)?.uid ?? below;
    return {
      messages: found.messages,
      hasNextPage: !found.reachedStart && found.messages.length === wanted && lowest > 1,
      totalCount: total,
    };
  }

  private slotFor(mailbox: MailboxDocument): Slot {
    const key = mailbox._id!.toHexString();
    const existing = this.slots.get(key);
    if (existing && !existing.index.gone && existing.index.uidValidity === toNumber(mailbox.uidValidity)) {
      existing.index.lastUsed = Date.now();
      return existing;
    }
    const index = new MailboxListIndex(this.db, mailbox._id!, mailbox.user, toNumber(mailbox.uidValidity));
    const slot: Slot = { index, loaded: false, ready: Promise.resolve() };
    slot.ready = index.load(this.locks).then(() => {
      slot.loaded = true;
      this.makeRoom(key);
    });
    // a failed load is thrown to the request that waits for it; nobody else must see it unhandled
    slot.ready.catch(() => this.slots.get(key) === slot && this.slots.delete(key));
    this.slots.set(key, slot);
    return slot;
  }

  /**
   * Drops the least recently used indexes while all of them hold more than MAX_INDEXED_MESSAGES
   * messages or MAX_INDEXED_BYTES.
   */
  private makeRoom(keep: string): void {
    const slots = [...this.slots.values()];
    let messages = slots.reduce((sum, slot) => sum + slot.index.size, 0);
    let bytes = slots.reduce((sum, slot) => sum + slot.index.bytes, 0);
    const byAge = [...this.slots.entries()].sort((a, b) => a[1].index.lastUsed - b[1].index.lastUsed);
    for (const [key, slot] of byAge) {
      if (messages <= MAX_INDEXED_MESSAGES && bytes <= MAX_INDEXED_BYTES) return;
      if (key === keep || !slot.loaded) continue;
      messages -= slot.index.size;
      bytes -= slot.index.bytes;
      this.slots.delete(key);
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, slot] of this.slots)
      if (slot.loaded && now - slot.index.lastUsed > INDEX_IDLE_MS) this.slots.delete(key);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.slots.clear();
  }
}

const perStore = new WeakMap<Db, MessageListIndexes>();

/** The indexes of this process for a store. */
export function messageListIndexes(db: Db, locks: LockManager): MessageListIndexes {
  let indexes = perStore.get(db);
  if (!indexes) {
    indexes = new MessageListIndexes(db, locks);
    perStore.set(db, indexes);
  }
  return indexes;
}
