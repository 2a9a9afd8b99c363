/**
 * The change feed of this process: one bus subscription per user, whoever listens (IMAP sessions
 * through their mailbox views, GraphQL subscriptions), and reads shared between those listeners:
 * when a delivery announces "mailbox M changed", fifty listeners of the user cost one read.
 */
import type { ObjectId } from 'mongodb';
import type { ChangeBus, ChangeEvent } from '@wildduck/change-bus';

/** What a listener of a user's feed is told. */
export interface FeedSubscriber {
  /** An event of the user arrived on the bus ("look now"). */
  notify(event: ChangeEvent): void;
  /** The bus reconnected: anything may have been missed, look at everything. */
  resync(): void;
}

const hubs = new WeakMap<ChangeBus, ChangeHub>();

/** The hub of a process's change bus (one per bus). */
export function changeHub(bus: ChangeBus): ChangeHub {
  let hub = hubs.get(bus);
  if (!hub) {
    hub = new ChangeHub(bus);
    hubs.set(bus, hub);
  }
  return hub;
}

/** The feeds of every user with at least one listener in this process. */
export class ChangeHub {
  private readonly feeds = new Map<string, UserFeed>();
  private stopReconnects: (() => void) | undefined;

  constructor(readonly bus: ChangeBus) {}

  /** Adds a subscriber to the user's feed (opening it, with its bus subscription, if needed). */
  join(user: ObjectId, subscriber: FeedSubscriber): UserFeed {
    const key = user.toHexString();
    let feed = this.feeds.get(key);
    if (!feed) {
      feed = new UserFeed(this.bus, user);
      this.feeds.set(key, feed);
    }
    feed.subscribers.add(subscriber);
    // after Redis was away, every subscriber looks again at everything it follows
    this.stopReconnects ??= this.bus.onReconnect(() => {
      for (const each of this.feeds.values()) each.onReconnect();
    });
    return feed;
  }

  /** Removes a subscriber; the feed closes with its last one. */
  leave(feed: UserFeed, subscriber: FeedSubscriber): void {
    feed.subscribers.delete(subscriber);
    if (feed.subscribers.size) return;
    feed.close();
    const key = feed.user.toHexString();
    if (this.feeds.get(key) === feed) this.feeds.delete(key);
    if (!this.feeds.size) {
      this.stopReconnects?.();
      this.stopReconnects = undefined;
    }
  }

  /** Users with a feed, and their subscribers (tests, metrics). */
  stats(): { users: number; subscribers: number } {
    let subscribers = 0;
    for (const feed of this.feeds.values()) subscribers += feed.subscribers.size;
    return { users: this.feeds.size, subscribers };
  }
}

/** The changes of one user in this process. */
export class UserFeed {
  readonly subscribers = new Set<FeedSubscriber>();
  /**
   * Reads started since the last event, by what they read. A read started before an event may miss
   * what the event announced, so every event forgets them; until then, equal reads are shared.
   */
  private reads = new Map<string, Promise<unknown>>();
  private readonly stopEvents: () => void;

  constructor(
    bus: ChangeBus,
    readonly user: ObjectId,
  ) {
    this.stopEvents = bus.subscribe(user.toHexString(), (event) => this.onEvent(event));
  }

  /** Tells every subscriber; reads after this see what the event announced. */
  onEvent(event: ChangeEvent): void {
    this.reads = new Map();
    for (const subscriber of [...this.subscribers]) subscriber.notify(event);
  }

  onReconnect(): void {
    this.reads = new Map();
    for (const subscriber of [...this.subscribers]) subscriber.resync();
  }

  /** Runs `load` once for every caller asking for `key` until the next event. */
  shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    const reads = this.reads;
    const started = reads.get(key) as Promise<T> | undefined;
    if (started) return started;
    const promise = load();
    reads.set(key, promise);
    // a failed read is not shared: the next caller tries again
    promise.catch(() => {
      if (reads.get(key) === promise) reads.delete(key);
    });
    return promise;
  }

  close(): void {
    this.stopEvents();
    this.reads = new Map();
  }
}
