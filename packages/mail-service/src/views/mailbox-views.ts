/**
 * The mailbox views of this process: one per mailbox that some session has open, shared by all of
 * them, kept current by the user's feed (a bus event for the mailbox makes it read the journal
 * once), and dropped a while after the last session let go, so memory follows what is in use.
 */
import type { ObjectId } from 'mongodb';
import type { ChangeEvent } from '@wildduck/change-bus';
import type { StoreContext } from '@wildduck/store';
import type { ChangeHub, FeedSubscriber, UserFeed } from '../feed/change-hub.js';
import { CHANGE_LOG_LIMIT, MailboxView, type SortRecordSink } from './mailbox-view.js';

/** A view held by a caller until it calls `release`. */
export interface HeldView {
  readonly view: MailboxView;
  release(): void;
}

/** How long a view no session holds is kept (clients often switch back and forth between folders). */
export const VIEW_LINGER_MS = 60_000;

interface Slot {
  readonly key: string;
  readonly mailboxId: string;
  view: MailboxView | null;
  loading: Promise<MailboxView | null> | null;
  holders: number;
  dropTimer: NodeJS.Timeout | null;
  feed: UserFeed;
  subscriber: FeedSubscriber;
}

/** Tuning of the views (defaults suit a server; tests shorten them). */
export interface MailboxViewsOptions {
  /** How long a view no session holds is kept, in ms. */
  lingerMs?: number;
  /** How many recent changes each view remembers for sessions behind it. */
  changeLogLimit?: number;
}

export class MailboxViews {
  private readonly slots = new Map<string, Slot>();
  /** The slots of each mailbox: the owner's and those of readers of a shared mailbox. */
  private readonly slotsByMailbox = new Map<string, Set<Slot>>();
  private readonly lingerMs: number;
  private readonly changeLogLimit: number;
  private sortRecordSink: SortRecordSink | null = null;

  constructor(
    private readonly ctx: StoreContext,
    private readonly hub: ChangeHub,
    options: MailboxViewsOptions = {},
  ) {
    this.lingerMs = options.lingerMs ?? VIEW_LINGER_MS;
    this.changeLogLimit = options.changeLogLimit ?? CHANGE_LOG_LIMIT;
  }

  /**
   * The view of a mailbox of `user` (its owner), loaded if no session has it open; null when the
   * mailbox does not exist or belongs to someone else. A `reader` other than the owner (whose
   * access the caller has checked) gets a view of their own, with their own \Seen. The caller
   * must `release` it.
   */
  async hold(user: ObjectId, mailbox: ObjectId, reader: ObjectId = user): Promise<HeldView | null> {
    const slot = this.slotFor(user, mailbox, reader);
    slot.holders++;
    if (slot.dropTimer) clearTimeout(slot.dropTimer);
    slot.dropTimer = null;
    let view: MailboxView | null;
    try {
      view = slot.view ?? (await (slot.loading ??= this.load(slot, user, mailbox, reader)));
    } catch (error) {
      this.let(slot);
      throw error;
    }
    if (!view) {
      this.let(slot);
      return null;
    }
    let released = false;
    return {
      view,
      release: () => {
        if (released) return;
        released = true;
        this.let(slot);
      },
    };
  }

  /**
   * From now on, views loaded from the search documents hand their messages' sort records to
   * `sink` (see SortRecordSink): the IMAP server's SORT cache, which lives in the app, not here.
   */
  handSortRecordsTo(sink: SortRecordSink): void {
    this.sortRecordSink = sink;
  }

  /**
   * The loaded view of a mailbox as this user sees it (their own, or another's shared with them),
   * if some session holds it (no store access).
   */
  peek(user: string, mailbox: string): MailboxView | undefined {
    const view = this.slots.get(`${user}:${mailbox}`)?.view;
    return view && !view.gone ? view : undefined;
  }

  /** Every loaded view of a mailbox: its owner's and its readers' (a write here must show in all). */
  viewsOf(mailbox: string): MailboxView[] {
    const views: MailboxView[] = [];
    for (const slot of this.slotsByMailbox.get(mailbox) ?? [])
      if (slot.view && !slot.view.gone) views.push(slot.view);
    return views;
  }

  /** Views loaded and messages held in them (metrics, the bench). */
  stats(): { views: number; messages: number } {
    let views = 0;
    let messages = 0;
    for (const slot of this.slots.values()) {
      if (!slot.view) continue;
      views++;
      messages += slot.view.count;
    }
    return { views, messages };
  }

  private slotFor(user: ObjectId, mailbox: ObjectId, reader: ObjectId): Slot {
    const key = `${reader.toHexString()}:${mailbox.toHexString()}`;
    let slot = this.slots.get(key);
    if (slot) return slot;
    const mailboxId = mailbox.toHexString();
    const subscriber: FeedSubscriber = {
      notify: (event) => this.onEvent(slot!, mailboxId, event),
      resync: () => void slot!.view?.catchUp().catch(() => {}),
    };
    slot = {
      key,
      mailboxId,
      view: null,
      loading: null,
      holders: 0,
      dropTimer: null,
      feed: this.hub.join(user, subscriber),
      subscriber,
    };
    this.slots.set(key, slot);
    let ofMailbox = this.slotsByMailbox.get(mailboxId);
    if (!ofMailbox) this.slotsByMailbox.set(mailboxId, (ofMailbox = new Set()));
    ofMailbox.add(slot);
    return slot;
  }

  private async load(
    slot: Slot,
    user: ObjectId,
    mailbox: ObjectId,
    reader: ObjectId,
  ): Promise<MailboxView | null> {
    try {
      const view = await MailboxView.load(
        this.ctx,
        user,
        mailbox,
        this.changeLogLimit,
        this.sortRecordSink,
        reader,
      );
      slot.view = view;
      // an event that came while loading may be newer than what was read
      if (view) void view.catchUp().catch(() => {});
      return view;
    } finally {
      slot.loading = null;
    }
  }

  private onEvent(slot: Slot, mailboxId: string, event: ChangeEvent): void {
    const view = slot.view;
    if (!view) return;
    if (event.type === 'account') {
      if (event.kind === 'MAILBOX_DELETED' && event.mailbox === mailboxId)
        void view.catchUp().catch(() => {});
      return;
    }
    if (event.mailbox !== mailboxId) return;
    // an event this view has already read past (e.g. the echo of this process's own write) needs no read
    if (event.modseq > 0 && event.modseq <= view.position) return;
    void view.catchUp(event.modseq).catch(() => {});
  }

  private let(slot: Slot): void {
    slot.holders--;
    if (slot.holders > 0 || slot.dropTimer) return;
    const drop = () => {
      if (slot.holders > 0) return;
      slot.view?.close();
      this.hub.leave(slot.feed, slot.subscriber);
      if (this.slots.get(slot.key) === slot) this.slots.delete(slot.key);
      const ofMailbox = this.slotsByMailbox.get(slot.mailboxId);
      ofMailbox?.delete(slot);
      if (ofMailbox && !ofMailbox.size) this.slotsByMailbox.delete(slot.mailboxId);
    };
    if (this.lingerMs <= 0 || !slot.view || slot.view.gone) return drop();
    slot.dropTimer = setTimeout(() => {
      slot.dropTimer = null;
      drop();
    }, this.lingerMs);
    slot.dropTimer.unref();
  }
}
