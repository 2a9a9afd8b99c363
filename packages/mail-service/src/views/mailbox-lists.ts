/**
 * Each user's mailbox list, kept in this process while the user is active, so LIST and LSUB cost
 * no store round trip. A list is forgotten on any account event of the user (a mailbox created,
 * renamed, deleted or (un)subscribed through any instance), after a bus reconnect, and when it has
 * not been asked for a while (then the user's feed is let go too).
 */
import type { Db, ObjectId } from 'mongodb';
import { keptSubscriptions, listMailboxes, type MailboxDocument } from '@wildduck/store';
import type { ChangeHub, FeedSubscriber, UserFeed } from '../feed/change-hub.js';

/** How long an unused list is kept. */
export const MAILBOX_LIST_IDLE_MS = 60_000;

interface Entry {
  list: Promise<MailboxDocument[]> | null;
  /** Subscriptions kept after their mailbox was deleted (LIST (SUBSCRIBED), LSUB). */
  kept: Promise<string[]> | null;
  /** Bumped by every invalidation: a load begun before one is handed out but not kept. */
  generation: number;
  feed: UserFeed;
  subscriber: FeedSubscriber;
  timer: NodeJS.Timeout | null;
}

export class MailboxLists {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: Db,
    private readonly hub: ChangeHub,
    private readonly idleMs = MAILBOX_LIST_IDLE_MS,
  ) {}

  /** The user's mailboxes, ordered by path. */
  async list(user: ObjectId): Promise<MailboxDocument[]> {
    return this.load(user, 'list', () => listMailboxes(this.db, user));
  }

  /** Names the user keeps subscribed although their mailbox was deleted (store subscriptions.ts). */
  async keptSubscriptions(user: ObjectId): Promise<string[]> {
    return this.load(user, 'kept', () => keptSubscriptions(this.db, user));
  }

  /** One of the entry's cached loads: shared while current, forgotten on any invalidation. */
  private async load<K extends 'list' | 'kept'>(
    user: ObjectId,
    key: K,
    read: () => NonNullable<Entry[K]>,
  ): Promise<Awaited<NonNullable<Entry[K]>>> {
    const entry = this.entryFor(user);
    const cached = entry[key];
    if (cached) return (await cached) as Awaited<NonNullable<Entry[K]>>;
    const generation = entry.generation;
    const loading = read();
    entry[key] = loading;
    loading.catch(() => {
      if (entry[key] === loading) entry[key] = null as Entry[K];
    });
    const value = await loading;
    if (entry.generation !== generation && entry[key] === loading) entry[key] = null as Entry[K];
    return value as Awaited<NonNullable<Entry[K]>>;
  }

  /** Forgets the user's list (this process changed it; other instances hear of it on the bus). */
  invalidate(user: string): void {
    const entry = this.entries.get(user);
    if (!entry) return;
    entry.generation++;
    entry.list = null;
    entry.kept = null;
  }

  private entryFor(user: ObjectId): Entry {
    const key = user.toHexString();
    let entry = this.entries.get(key);
    if (!entry) {
      const subscriber: FeedSubscriber = {
        notify: (event) => {
          if (event.type === 'account') this.invalidate(key);
        },
        resync: () => this.invalidate(key),
      };
      entry = {
        list: null,
        kept: null,
        generation: 0,
        feed: this.hub.join(user, subscriber),
        subscriber,
        timer: null,
      };
      this.entries.set(key, entry);
    }
    if (entry.timer) clearTimeout(entry.timer);
    const current = entry;
    entry.timer = setTimeout(() => {
      this.entries.delete(key);
      this.hub.leave(current.feed, current.subscriber);
    }, this.idleMs);
    entry.timer.unref();
    return entry;
  }
}
