/**
 * One `mailboxChanges` subscriber: follows the journal of each of the user's mailboxes from its own
 * position (its cursor), woken by the user's feed, and hands the changes to graphql-ws as an async
 * iterator. The bus only says "look now"; every change comes from the journal, so nothing is lost
 * when an event is (a Redis restart, a slow subscriber): the next look finds it.
 */
import { ObjectId } from 'mongodb';
import { readChanges, readPrivateSeen, readerFlags } from '@wildduck/store';
import type { ChangeEvent } from '@wildduck/change-bus';
import { ACL_CHANGED } from '@wildduck/mail-service';
import { SubscriberQueue } from '../graphql/subscriber-queue.js';
import { invalidInput, RequestFailure } from '../failures.js';
import { ACCOUNT_OVERLAP_MS, encodeCursor, freshState, type CursorState } from './cursor.js';
import type { ChangeHub, FeedSubscriber, UserFeed } from './feed.js';
import type { FeedChange, FollowedMailbox } from './journal-reads.js';
import { SharedFollow, type SharedMailboxSource } from './shared-follow.js';

/** A change as the API sends it. */
export interface MailboxChange extends FeedChange {
  /** Resume after this change with `since`. */
  cursor: string;
}

/** What to follow. */
export interface ChangeSubscriptionOptions {
  user: ObjectId;
  /** Only this mailbox (an id of the user's, checked by the caller). */
  mailbox?: string;
  /** Resume from this cursor (already decoded and checked to be the user's). */
  since?: CursorState;
  /**
   * Who reads, when not `user`: a member following one mailbox `user` shares with them (the
   * owner's feed, with the member's own \Seen). `allowed` says whether they still may read it
   * (asked before each read of the journal: a revoked share ends the subscription).
   */
  reader?: { id: ObjectId; allowed: () => Promise<boolean> };
  /**
   * Account-wide only (no `mailbox`, no `reader`): also the mailboxes others share with `user`
   * that they may read, followed on their owners' feeds (shared-follow.ts), with `user`'s own \Seen.
   */
  shared?: SharedMailboxSource;
}

/** Changes queued for a client that reads slowly, before the subscriber stops reading the journal. */
export const HIGH_WATER = 500;

const expired = () =>
  invalidInput(
    'since is older than the change journal (kept 7 days): load the mailboxes again and subscribe without since',
    'since',
  );

/**
 * The feed stopped for a reason of the server's own (logged where it happened): the client can
 * subscribe again with its last cursor.
 */
export class ChangeFeedFailure extends Error {
  override name = 'ChangeFeedFailure';
  constructor() {
    super('The change feed failed; subscribe again with the last cursor to resume');
  }
}

/** The subscription of one client. */
export class ChangeSubscription implements AsyncIterableIterator<MailboxChange>, FeedSubscriber {
  private readonly filter: string | undefined;
  private readonly feed: UserFeed;
  /** The reader's id when not the owner (hex), and the check of their right. */
  private readonly reader: ChangeSubscriptionOptions['reader'];
  private readonly readerId: string;
  private state!: CursorState;
  /** Set up: changes from here on reach the client. */
  ready = false;
  private readonly dirty = new Set<string>();
  private accountDirty = false;
  private listDirty = false;
  /** The shared mailboxes followed, and whether what is shared must be read again. */
  private readonly sharedFollow: SharedFollow | null;
  private sharedDirty = false;
  /**
   * The positions a resumed cursor gave shared mailboxes (changesCursor names them), each used once:
   * a mailbox followed again later starts from its MODSEQ then, not from a journal long expired.
   */
  private readonly resumedPositions = new Map<string, number>();
  private running = false;
  /** What the client reads; ended once no more changes will be produced (the client left, the followed mailbox went, or a failure). */
  private readonly queue: SubscriberQueue<MailboxChange>;
  /** The producer waits on this while the client is far behind. */
  private drained: (() => void) | null = null;

  private constructor(
    private readonly hub: ChangeHub,
    options: ChangeSubscriptionOptions,
  ) {
    this.filter = options.mailbox;
    this.reader = options.reader;
    this.readerId = (options.reader?.id ?? options.user).toHexString();
    this.queue = new SubscriberQueue<MailboxChange>({
      highWater: HIGH_WATER,
      onRoom: () => this.release(),
      onEnd: () => {
        this.detach();
        this.release();
      },
    });
    // join first: an event during the setup below marks work for when it is done
    this.feed = hub.join(options.user, this);
    this.sharedFollow =
      options.shared && !options.mailbox && !options.reader
        ? new SharedFollow(hub, options.shared, {
            onMailboxEvent: (event) => this.notify(event),
            onSharingChanged: () => this.sharedSoon(),
            onResync: () => this.resync(),
          })
        : null;
  }

  /**
   * Starts a subscription: without `since`, from each mailbox's current MODSEQ; with it, every change
   * after the cursor is replayed first. Fails with an invalid-input RequestFailure (field `since`)
   * when the journal no longer reaches back to the cursor.
   */
  static async open(hub: ChangeHub, options: ChangeSubscriptionOptions): Promise<ChangeSubscription> {
    const subscription = new ChangeSubscription(hub, options);
    try {
      await subscription.start(options);
    } catch (error) {
      subscription.detach();
      throw error;
    }
    return subscription;
  }

  private async start(options: ChangeSubscriptionOptions): Promise<void> {
    const mailboxes = (await this.feed.listMailboxes()).filter(
      (mailbox) => !this.filter || mailbox.id === this.filter,
    );
    if (!options.since) {
      // the cursor is the reader's (a member's cursors name the shared mailboxes they follow)
      this.state = freshState(this.readerId, mailboxes);
    } else {
      const since = options.since;
      const positions = new Map<string, number>();
      for (const mailbox of mailboxes) {
        const position = since.positions.get(mailbox.id) ?? this.startOf(mailbox, since.base);
        positions.set(mailbox.id, position);
      }
      this.state = { ...since, positions };
      const reaches = await Promise.all(
        [...positions].map(([mailbox, after]) =>
          after === 0 ? true : readChanges(this.feed.db, new ObjectId(mailbox), after, { limit: 1 }),
        ),
      );
      if (reaches.some((read) => read === null)) throw expired();
      // replay: every mailbox's journal after its position, and the account log after the cursor
      for (const mailbox of positions.keys()) this.dirty.add(mailbox);
      this.accountDirty = true;
      for (const [mailbox, position] of since.positions)
        if (!positions.has(mailbox)) this.resumedPositions.set(mailbox, position);
    }
    // the shared mailboxes are positioned before the subscription counts as set up
    if (this.sharedFollow) await this.syncShared();
    this.ready = true;
    this.hub.started++;
    this.kick();
  }

  /** Where to follow a mailbox the cursor does not name: from 0 when it is newer than the cursor's chain. */
  private startOf(mailbox: FollowedMailbox, base: number): number {
    return mailbox.created >= base - ACCOUNT_OVERLAP_MS ? 0 : mailbox.highestModseq;
  }

  notify(event: ChangeEvent): void {
    if (this.queue.ended) return;
    if (event.type === 'mailbox') {
      if (this.filter && event.mailbox !== this.filter) return;
      const position = this.ready ? this.state.positions.get(event.mailbox) : undefined;
      if (this.ready && position === undefined) {
        // a mailbox we do not follow yet: a new one, found by listing (or a shared one, by refreshing)
        if (!this.filter) this.listDirty = true;
        if (this.sharedFollow?.feedOf(event.mailbox)) this.sharedDirty = true;
      } else if (position !== undefined && event.modseq > 0 && position >= event.modseq) {
        return;
      } else {
        this.dirty.add(event.mailbox);
      }
    } else {
      this.accountDirty = true;
      if (!this.filter) this.listDirty = true;
      // something shared with the user, or no longer
      if (event.kind === ACL_CHANGED) this.sharedSoon();
    }
    this.kick();
  }

  /**
   * Reads what is shared again soon: after the caches the same event makes forget (MailboxAccess
   * listens to the same feeds and the group channel) have forgotten.
   */
  private sharedSoon(): void {
    if (!this.sharedFollow || this.queue.ended) return;
    setTimeout(() => {
      this.sharedDirty = true;
      this.kick();
    }, 0);
  }

  resync(): void {
    if (this.queue.ended) return;
    this.accountDirty = true;
    if (this.sharedFollow) this.sharedDirty = true;
    if (!this.filter) this.listDirty = true;
    if (this.ready) for (const mailbox of this.state.positions.keys()) this.dirty.add(mailbox);
    this.kick();
  }

  private kick(): void {
    if (!this.ready || this.running || this.queue.ended) return;
    this.running = true;
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      while (!this.queue.ended) {
        if (this.listDirty) {
          this.listDirty = false;
          await this.syncList();
        } else if (this.sharedDirty) {
          this.sharedDirty = false;
          await this.syncShared();
        } else if (this.accountDirty) {
          this.accountDirty = false;
          await this.syncAccount();
        } else if (this.dirty.size) {
          const mailbox = this.dirty.values().next().value as string;
          this.dirty.delete(mailbox);
          await this.syncMailbox(mailbox);
        } else {
          break;
        }
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.running = false;
    }
  }

  /** Follows mailboxes created since we last looked. */
  private async syncList(): Promise<void> {
    const mailboxes = await this.feed.listMailboxes();
    const listed = new Set<string>();
    for (const mailbox of mailboxes) {
      listed.add(mailbox.id);
      if (this.state.positions.has(mailbox.id)) continue;
      this.state.positions.set(mailbox.id, this.startOf(mailbox, this.state.base));
      this.dirty.add(mailbox.id);
    }
    // a mailbox that is gone: its last read finds nothing, and MAILBOX_DELETED comes from the account log
    for (const mailbox of this.state.positions.keys()) if (!listed.has(mailbox)) this.dirty.add(mailbox);
  }

  /**
   * Follows the mailboxes shared with the user now: a new one from its current MODSEQ (or from a
   * resumed cursor's position), and no more one taken back.
   */
  private async syncShared(): Promise<void> {
    const follow = this.sharedFollow!;
    const { added, removed } = await follow.refresh();
    if (this.queue.ended) return;
    for (const mailbox of removed) {
      this.state?.positions.delete(mailbox);
      this.dirty.delete(mailbox);
    }
    for (const mailbox of added) {
      const resumed = this.resumedPositions.get(mailbox);
      this.resumedPositions.delete(mailbox);
      if (resumed !== undefined) {
        this.state.positions.set(mailbox, resumed);
        this.dirty.add(mailbox);
        continue;
      }
      const listed = (await follow.feedOf(mailbox)?.listMailboxes())?.find((each) => each.id === mailbox);
      if (listed) this.state.positions.set(mailbox, listed.highestModseq);
      else follow.forget(mailbox);
    }
  }

  private async syncMailbox(mailbox: string): Promise<void> {
    const after = this.state.positions.get(mailbox);
    if (after === undefined) return;
    if (this.reader && !(await this.reader.allowed())) return this.end();
    // a mailbox shared with the user (account-wide): its owner's journal, with the user's \Seen
    const sharedFeed = this.sharedFollow?.feedOf(mailbox);
    if (sharedFeed && !(await this.sharedFollow!.source.allowed(mailbox)))
      return this.unfollowShared(mailbox);
    const read = await (sharedFeed ?? this.feed).readMailbox(mailbox, after);
    if (this.queue.ended) return;
    const seen =
      this.reader || sharedFeed
        ? await readPrivateSeen(this.feed.db, new ObjectId(mailbox), new ObjectId(this.readerId))
        : null;
    if (!read && sharedFeed) return this.unfollowShared(mailbox);
    if (!read) {
      const stillThere = (await this.feed.listMailboxes()).some((each) => each.id === mailbox);
      if (stillThere) throw expired();
      this.state.positions.delete(mailbox);
      return;
    }
    for (const change of read.changes) {
      const position = this.state.positions.get(mailbox);
      if (position === undefined || change.modseq <= position) continue;
      this.state.positions.set(mailbox, change.modseq);
      // one reader's own \Seen is theirs alone; everybody else's view steps over it
      if (change.reader !== undefined && change.reader !== this.readerId) continue;
      await this.emit(
        seen && change.reader === undefined && change.flags
          ? { ...change, flags: readerFlags(change.flags, change.uid !== null && seen.has(change.uid)) }
          : change,
      );
      if (this.queue.ended) return;
    }
    const position = this.state.positions.get(mailbox);
    if (position !== undefined) this.state.positions.set(mailbox, Math.max(position, read.position));
    if (read.more) this.dirty.add(mailbox);
    else if (read.waiting) (sharedFeed ?? this.feed).retryLater(mailbox);
  }

  /** A shared mailbox taken back, gone, or past its journal: dropped, then shared again if it still is. */
  private unfollowShared(mailbox: string): void {
    this.state.positions.delete(mailbox);
    this.dirty.delete(mailbox);
    this.sharedFollow!.forget(mailbox);
    this.sharedSoon();
  }

  private async syncAccount(): Promise<void> {
    const { entries, more } = await this.feed.readAccount(this.state.accountTime - ACCOUNT_OVERLAP_MS);
    if (this.queue.ended) return;
    const state = this.state;
    for (const entry of entries) {
      // older than this chain of subscriptions: not ours to report
      if (entry.created < state.base) continue;
      const seen = state.accountSeen.has(entry.id);
      state.accountSeen.set(entry.id, entry.created);
      if (seen) continue;
      if (entry.created > state.accountTime) {
        state.accountTime = entry.created;
        for (const [id, created] of state.accountSeen)
          if (created < state.accountTime - ACCOUNT_OVERLAP_MS) state.accountSeen.delete(id);
      }
      const change = entry.change;
      if (this.filter && change.mailboxId !== this.filter) continue;
      if (change.type === 'MAILBOX_DELETED') {
        state.positions.delete(change.mailboxId);
        this.dirty.delete(change.mailboxId);
      }
      await this.emit(change);
      if (this.queue.ended) return;
      // the followed mailbox is gone: nothing more will come
      if (this.filter && change.type === 'MAILBOX_DELETED') return this.end();
    }
    if (more) this.accountDirty = true;
  }

  /** Queues a change with the cursor of the state right after it; waits while the client is far behind. */
  private async emit(change: FeedChange): Promise<void> {
    const { reader: _reader, ...shown } = change;
    this.queue.push({ ...shown, cursor: encodeCursor(this.state) });
    if (this.queue.full && !this.queue.ended) await new Promise<void>((resolve) => (this.drained = resolve));
  }

  private release(): void {
    this.drained?.();
    this.drained = null;
  }

  // --- the async iterator graphql-ws reads ---

  next(): Promise<IteratorResult<MailboxChange>> {
    return this.queue.next();
  }

  /** The client unsubscribed or went away: stop listening. */
  return(): Promise<IteratorResult<MailboxChange>> {
    return this.queue.return();
  }

  throw(): Promise<IteratorResult<MailboxChange>> {
    return this.queue.throw();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Stops producing; the client gets what is queued, then the end. */
  private end(): void {
    this.queue.end();
  }

  private fail(error: unknown): void {
    if (this.queue.ended) return;
    const failure = error instanceof RequestFailure ? error : new ChangeFeedFailure();
    if (!(error instanceof RequestFailure)) this.feed.logger.error({ err: error }, 'mailboxChanges failed');
    this.queue.fail(failure);
  }

  private detachedOnce = false;

  private detach(): void {
    if (this.detachedOnce) return;
    this.detachedOnce = true;
    this.sharedFollow?.close();
    this.hub.leave(this.feed, this);
  }
}
