import type { Db, ObjectId } from 'mongodb';
import type { SortRecord } from '@wildduck/imap-core';
import { readSomeSortRecords, readSortRecords, type LockManager } from '@wildduck/store';

/**
 * Mailboxes whose sort records stay in memory: since SELECT hands its records over, the mailboxes
 * selected or sorted lately. A 50,000-message mailbox holds about 16 MB (328 bytes a message with
 * the bench's messages, whose records share their addresses; 635 bytes unshared), so 8 large
 * mailboxes about 130 MB at most.
 */
const MAILBOXES_KEPT = 8;
/** Up to this many unknown UIDs are read one by one; more, and the whole mailbox is read again. */
const POINT_READ_LIMIT = 64;

/**
 * The sort records (IMAP SORT and THREAD) of the mailboxes sorted lately, kept in the process. A
 * record never changes once its message is stored (headers, size and internal date are fixed),
 * so an entry is never stale: the first SORT of a mailbox reads all of it in one query over the
 * search documents, and later ones read only the messages that arrived since. Expunged UIDs
 * linger harmlessly: only UIDs present are ever asked for.
 */
export class SortRecordCache {
  /** Mailbox id -> UID -> record, least recently used first. */
  private readonly mailboxes = new Map<string, Map<number, SortRecord>>();
  /** Whole-mailbox reads in flight, shared by the sessions asking at once. */
  private readonly loading = new Map<string, Promise<Map<number, SortRecord>>>();

  constructor(
    private readonly db: Db,
    private readonly locks: LockManager,
  ) {}

  /**
   * Takes the records a mailbox view load read along with its messages (MailboxViews'
   * SortRecordSink). SELECT reads the same search documents the first SORT would, so taking them
   * here leaves that SORT only the messages that arrived since. Every large mailbox selected now
   * passes through, not only those sorted: the cache's bound (MAILBOXES_KEPT) is what limits that.
   */
  offer(mailbox: ObjectId, records: readonly SortRecord[]): void {
    const key = mailbox.toHexString();
    // records never change, so those of an entry already here are as good as these: merge
    const known = this.mailboxes.get(key) ?? new Map<number, SortRecord>();
    for (const record of records) known.set(record.uid, record);
    this.touch(key, known);
  }

  /** The records of `uids` in the mailbox (those that exist). */
  async records(mailbox: ObjectId, uids: readonly number[]): Promise<SortRecord[]> {
    const key = mailbox.toHexString();
    let known = this.mailboxes.get(key);
    let missing = known ? uids.filter((uid) => !known!.has(uid)) : uids;
    if (!known || missing.length > POINT_READ_LIMIT) {
      known = await this.loadAll(key, mailbox);
      missing = uids.filter((uid) => !known!.has(uid));
    }
    if (missing.length) {
      for (const record of await readSomeSortRecords(this.db, mailbox, missing))
        known.set(record.uid, record);
    }
    this.touch(key, known);
    const found: SortRecord[] = [];
    for (const uid of uids) {
      const record = known.get(uid);
      if (record) found.push(record);
    }
    return found;
  }

  private loadAll(key: string, mailbox: ObjectId): Promise<Map<number, SortRecord>> {
    const inFlight = this.loading.get(key);
    if (inFlight) return inFlight;
    const load = readSortRecords(this.db, mailbox, this.locks).then(
      (records) => new Map(records.map((record) => [record.uid, record])),
    );
    this.loading.set(key, load);
    const forget = () => this.loading.delete(key);
    void load.then(forget, forget);
    return load;
  }

  private touch(key: string, records: Map<number, SortRecord>): void {
    this.mailboxes.delete(key);
    this.mailboxes.set(key, records);
    while (this.mailboxes.size > MAILBOXES_KEPT) {
      const oldest = this.mailboxes.keys().next().value as string;
      this.mailboxes.delete(oldest);
    }
  }
}
