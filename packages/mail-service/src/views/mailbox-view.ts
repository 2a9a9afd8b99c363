/**
 * A view of one mailbox, shared by every session and subscriber of that mailbox in this process:
 * UID -> flags, MODSEQ, size and internal date, plus UIDNEXT and the journal position it reflects.
 * Loaded with one query when first opened, then kept current from the journal (never written to
 * directly by a reader), so SELECT, STATUS, FETCH FLAGS, non-text SEARCH and the change reports of
 * NOOP and IDLE cost no store round trip. Every write still goes to the store first; the view
 * follows, so two instances never disagree for longer than a journal read.
 *
 * Memory: one entry per message (a small object and its flags array, about 200 bytes; the bench
 * prints the measured figure), plus the recent changes kept for sessions catching up.
 */
import type { ObjectId } from 'mongodb';
import {
  loadMailboxView,
  readChanges,
  readPrivateSeen,
  readViewMessages,
  readerFlags,
  type JournalEntry,
  type MessageSortRecord,
  type StoreContext,
  type UidRanges,
} from '@wildduck/store';

/** One message as the view holds it. */
export interface ViewMessage {
  readonly uid: number;
  flags: readonly string[];
  modseq: number;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly internalDate: number;
}

/** A change of the mailbox, in journal order (ascending MODSEQ). */
export type ViewChange =
  | { readonly kind: 'EXISTS'; readonly uid: number; readonly modseq: number }
  | { readonly kind: 'EXPUNGE'; readonly uid: number; readonly modseq: number }
  | {
      readonly kind: 'FLAGS';
      readonly uid: number;
      readonly flags: readonly string[];
      readonly modseq: number;
    };

/** Called after the view moved forward (to `position`) or found its mailbox gone. */
export type ViewListener = (position: number) => void;

/**
 * Takes the sort records (IMAP SORT and THREAD) a view load read along with its messages, from the
 * same search documents: the mail server keeps them in its bounded sort record cache, so the first
 * SORT after SELECT reads nothing but what arrived since. The view itself does not keep them: it is
 * held by every session of the mailbox and lingers after the last one, whether anyone sorts or not.
 */
export type SortRecordSink = (mailbox: ObjectId, records: readonly MessageSortRecord[]) => void;

/** How many recent changes a view keeps, by default, for sessions that ask what changed since their position. */
export const CHANGE_LOG_LIMIT = 10_000;
/** Journal entries read at once when catching up. */
const JOURNAL_PAGE = 5_000;
/** Expunged UIDs remembered at most; they only guard replays within one catch-up, so forgetting is safe. */
const TOMBSTONE_LIMIT = 10_000;
/** How soon a read stopped by a young hole in the journal (a writer mid-way) is tried again. */
const HOLE_RETRY_MS = 100;
/** How soon a view whose journal read failed (the store did not answer) reads again. */
const FAILED_READ_RETRY_MS = 1000;

export class MailboxView {
  uidValidity = 0;
  uidNext = 1;
  /** Every journal change up to this MODSEQ is applied. */
  position = 0;
  /** The mailbox was deleted (or is no longer the user's): sessions must end. */
  gone = false;

  private readonly messages = new Map<number, ViewMessage>();
  /** The UIDs in ascending order, rebuilt lazily after a change. */
  private sorted: number[] | null = [];
  /** UIDs expunged since the load: an old EXISTS replayed after its EXPUNGE must not bring it back. */
  private readonly expunged = new Set<number>();
  /** Changes after `logFrom`, ascending: what sessions behind the view are told. */
  private log: ViewChange[] = [];
  private logFrom = 0;
  private readonly listeners = new Set<ViewListener>();
  private catchingUp: Promise<void> | null = null;
  /** The highest MODSEQ announced so far: the journal reaches at least that far. */
  private announced = 0;
  private readAgain = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** A reader's own \Seen (a view of another user's shared mailbox); null in the owner's view. */
  private seen: UidRanges | null = null;

  private constructor(
    private readonly ctx: StoreContext,
    readonly user: ObjectId,
    readonly mailbox: ObjectId,
    private readonly changeLogLimit: number,
    private readonly sortRecordSink: SortRecordSink | null,
    /**
     * Whose view this is when not the owner's: a reader of a shared mailbox sees the shared flags
     * with their own \Seen (store private-seen.ts), and their own \Seen changes, and steps over
     * the other readers'.
     */
    readonly reader: ObjectId | null,
  ) {}

  /**
   * Loads a view; null when the mailbox does not exist or is not the user's. With a
   * `sortRecordSink`, a load that reads the search documents hands it their sort records too.
   */
  static async load(
    ctx: StoreContext,
    user: ObjectId,
    mailbox: ObjectId,
    changeLogLimit = CHANGE_LOG_LIMIT,
    sortRecordSink: SortRecordSink | null = null,
    reader: ObjectId | null = null,
  ): Promise<MailboxView | null> {
    const owned = reader === null || reader.equals(user);
    const view = new MailboxView(ctx, user, mailbox, changeLogLimit, sortRecordSink, owned ? null : reader);
    return (await view.reload()) ? view : null;
  }

  get id(): string {
    return this.mailbox.toHexString();
  }

  get count(): number {
    return this.messages.size;
  }

  /** UIDs ascending (do not change the array). */
  uids(): readonly number[] {
    if (!this.sorted) this.sorted = [...this.messages.keys()].sort((a, b) => a - b);
    return this.sorted;
  }

  get(uid: number): ViewMessage | undefined {
    return this.messages.get(uid);
  }

  /** Of these UIDs, the messages whose MODSEQ is above `modseq` (CONDSTORE UNCHANGEDSINCE fails for them). */
  changedAfter(uids: readonly number[], modseq: number): number[] {
    return uids.filter((uid) => (this.messages.get(uid)?.modseq ?? 0) > modseq);
  }

  /** Messages without `\Seen`. */
  unseen(): number {
    let count = 0;
    for (const message of this.messages.values()) if (!message.flags.includes('\\Seen')) count++;
    return count;
  }

  /**
   * For SELECT, in one pass: the keywords in use (flags without a backslash, first spelling
   * seen) and the UID of the lowest message without `\Seen` (null when all are seen).
   */
  flagSummary(): { keywords: string[]; firstUnseenUid: number | null } {
    const keywords = new Map<string, string>();
    let firstUnseenUid: number | null = null;
    for (const message of this.messages.values()) {
      let seen = false;
      for (const flag of message.flags) {
        if (flag === '\\Seen') seen = true;
        else if (!flag.startsWith('\\') && !keywords.has(flag.toLowerCase()))
          keywords.set(flag.toLowerCase(), flag);
      }
      if (!seen && (firstUnseenUid === null || message.uid < firstUnseenUid)) firstUnseenUid = message.uid;
    }
    return { keywords: [...keywords.values()], firstUnseenUid };
  }

  /** Messages with `\\Deleted` (STATUS DELETED). */
  deletedCount(): number {
    let count = 0;
    for (const message of this.messages.values()) if (message.flags.includes('\\Deleted')) count++;
    return count;
  }

  /** Sum of message sizes. */
  totalSize(): number {
    let total = 0;
    for (const message of this.messages.values()) total += message.size;
    return total;
  }

  /** Every message in ascending UID order. */
  *all(): IterableIterator<ViewMessage> {
    for (const uid of this.uids()) yield this.messages.get(uid)!;
  }

  addListener(listener: ViewListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The changes after `modseq`, ascending; null when the view no longer remembers that far back
   * (the caller reads the journal, or resynchronises).
   */
  changesSince(modseq: number): readonly ViewChange[] | null {
    if (modseq < this.logFrom) return null;
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.log[middle]!.modseq <= modseq) low = middle + 1;
      else high = middle;
    }
    return this.log.slice(low);
  }

  /**
   * Reads the journal from the view's position and applies it, then tells the listeners. Calls
   * while a read runs are folded into one more read after it (the change they announce may have
   * come after that read began).
   */
  catchUp(announced = 0): Promise<void> {
    this.announced = Math.max(this.announced, announced);
    if (this.catchingUp) {
      this.readAgain = true;
      return this.catchingUp;
    }
    this.catchingUp = (async () => {
      try {
        do {
          this.readAgain = false;
          await this.readJournal();
        } while (this.readAgain && !this.gone);
      } catch (error) {
        // the store did not answer: read again a little later, or this view would stay behind
        // until the next change of the mailbox is announced (found by the soak's store cuts)
        this.retrySoon(FAILED_READ_RETRY_MS);
        throw error;
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  /** Ensures every change up to `modseq` (e.g. the mailbox's highest, just read) is applied. */
  async reach(modseq: number): Promise<void> {
    if (this.position >= modseq || this.gone) return;
    await this.catchUp(modseq);
  }

  /**
   * Applies flag changes this process just wrote (a STORE's result), so its own next FETCH shows
   * them without waiting for the journal. A change right after the position moves the position
   * too; one further ahead waits for the journal read that fills the gap (and is applied again
   * then, harmlessly: flags are only ever replaced by a change with an equal or higher MODSEQ).
   */
  applyOwnFlagChanges(changes: readonly { uid: number; flags: readonly string[]; modseq: number }[]): void {
    const ordered = [...changes].sort((a, b) => a.modseq - b.modseq);
    let moved = false;
    for (const change of ordered) {
      if (change.modseq <= this.position) continue;
      const entry = { kind: 'FLAGS' as const, uid: change.uid, flags: change.flags, modseq: change.modseq };
      this.applyFlags(entry);
      if (change.modseq === this.position + 1) {
        this.remember(entry);
        this.position = change.modseq;
        moved = true;
      }
    }
    if (moved) this.tell();
  }

  /**
   * Shows a message this process just stored (an APPEND's result) without reading it back, when
   * nothing else happened in between (its MODSEQ follows the position). Otherwise the journal
   * read that the announcement brings shows it. True when applied.
   */
  applyOwnArrival(message: ViewMessage): boolean {
    if (message.modseq !== this.position + 1) return false;
    if (!this.messages.has(message.uid) && !this.expunged.has(message.uid))
      this.add({ ...message, flags: [...message.flags] });
    this.uidNext = Math.max(this.uidNext, message.uid + 1);
    this.remember({ kind: 'EXISTS', uid: message.uid, modseq: message.modseq });
    this.position = message.modseq;
    this.tell();
    return true;
  }

  /** Stops timers; the view is not used again. */
  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.listeners.clear();
  }

  private async reload(): Promise<boolean> {
    const loaded = await loadMailboxView(this.ctx, this.user, this.mailbox, {
      sortRecords: this.sortRecordSink !== null,
    });
    if (!loaded) return false;
    if (loaded.sortRecords) this.sortRecordSink?.(this.mailbox, loaded.sortRecords);
    // read after the messages: a \Seen change after the load is in it, and its journal entry, read
    // next, applies the same again
    if (this.reader) this.seen = await readPrivateSeen(this.ctx.db, this.mailbox, this.reader);
    this.messages.clear();
    this.expunged.clear();
    for (const record of loaded.messages) this.messages.set(record.uid, this.asReader(record));
    this.sorted = null;
    this.uidValidity = loaded.uidValidity;
    this.uidNext = loaded.uidNext;
    this.position = loaded.position;
    // what came before the load is not remembered: a session behind it resynchronises
    this.log = [];
    this.logFrom = loaded.position;
    return true;
  }

  private async readJournal(): Promise<void> {
    for (;;) {
      const read = await readChanges(this.ctx.db, this.mailbox, this.position, {
        limit: JOURNAL_PAGE,
        until: this.announced,
      });
      if (!read) {
        // the journal expired past our position: start again from the store
        if (!(await this.reload())) this.gone = true;
        this.tell();
        return;
      }
      await this.apply(read.entries.filter((entry) => entry.user.equals(this.user)));
      const moved = read.position > this.position;
      this.position = Math.max(this.position, read.position);
      if (moved || read.entries.length) this.tell();
      if (read.waiting) this.retrySoon();
      if (read.entries.length < JOURNAL_PAGE || !moved) return;
    }
  }

  private async apply(entries: readonly JournalEntry[]): Promise<void> {
    const newUids = entries
      .filter((entry) => entry.kind === 'EXISTS' && entry.uid !== null)
      .map((entry) => entry.uid!)
      .filter((uid) => !this.messages.has(uid) && !this.expunged.has(uid));
    const arrived = new Map(
      (await readViewMessages(this.ctx.db, this.mailbox, newUids)).map((record) => [record.uid, record]),
    );
    for (const entry of entries) {
      if (entry.kind === 'MAILBOX_DELETED') this.gone = true;
      if (entry.uid === null) continue;
      const uid = entry.uid;
      if (entry.kind === 'EXISTS') {
        this.uidNext = Math.max(this.uidNext, uid + 1);
        const record = arrived.get(uid);
        if (record && !this.expunged.has(uid) && !this.messages.has(uid)) this.add(this.asReader(record));
        this.remember({ kind: 'EXISTS', uid, modseq: entry.modseq });
      } else if (entry.kind === 'EXPUNGE') {
        if (this.messages.delete(uid)) this.sorted = null;
        if (this.expunged.size >= TOMBSTONE_LIMIT) this.expunged.clear();
        this.expunged.add(uid);
        this.remember({ kind: 'EXPUNGE', uid, modseq: entry.modseq });
      } else if (entry.kind === 'FLAGS' && entry.flags) {
        // a FLAGS entry without flags only fills a MODSEQ a writer gave up (store/journal.ts)
        const flags = this.flagsOf(entry);
        if (!flags) continue;
        const change = { kind: 'FLAGS' as const, uid, flags, modseq: entry.modseq };
        this.applyFlags(change);
        this.remember(change);
      }
    }
  }

  /**
   * The flags a FLAGS entry gives this view's reader; null for another reader's own \Seen change,
   * which changes nothing here.
   */
  private flagsOf(entry: JournalEntry): readonly string[] | null {
    if (entry.reader) {
      if (!this.reader || !entry.reader.equals(this.reader)) return null;
      // the entry's flags are this reader's: they carry their \Seen
      if (entry.flags!.includes('\\Seen')) this.seen!.add(entry.uid!);
      else this.seen!.delete(entry.uid!);
      return entry.flags;
    }
    return this.seen ? readerFlags(entry.flags!, this.seen.has(entry.uid!)) : entry.flags;
  }

  /** A message as this view's reader sees it. */
  private asReader<T extends { uid: number; flags: readonly string[] }>(record: T): T {
    return this.seen ? { ...record, flags: readerFlags(record.flags, this.seen.has(record.uid)) } : record;
  }

  /** Adds a message; a UID above every other (the usual arrival) keeps the sorted list as it is. */
  private add(message: ViewMessage): void {
    this.messages.set(message.uid, message);
    const sorted = this.sorted;
    if (sorted && (sorted.length === 0 || sorted[sorted.length - 1]! < message.uid)) sorted.push(message.uid);
    else this.sorted = null;
  }

  private applyFlags(change: { uid: number; flags: readonly string[]; modseq: number }): void {
    const message = this.messages.get(change.uid);
    if (!message || message.modseq > change.modseq) return;
    message.flags = change.flags;
    message.modseq = change.modseq;
  }

  private remember(change: ViewChange): void {
    if (change.modseq <= this.logFrom) return;
    const last = this.log[this.log.length - 1];
    if (last && last.modseq >= change.modseq && this.log.some((each) => each.modseq === change.modseq))
      return;
    this.log.push(change);
    if (this.log.length > this.changeLogLimit) {
      const dropped = this.log.splice(0, this.log.length - this.changeLogLimit);
      this.logFrom = dropped[dropped.length - 1]!.modseq;
    }
  }

  private retrySoon(delayMs = HOLE_RETRY_MS): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.catchUp().catch(() => {});
    }, delayMs);
    this.retryTimer.unref();
  }

  private tell(): void {
    for (const listener of [...this.listeners]) listener(this.position);
  }
}
