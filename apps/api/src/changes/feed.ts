/**
 * One bus subscription per user, shared by every `mailboxChanges` subscriber of that user in this
 * process, and journal reads shared between those subscribers: when a delivery announces
 * "mailbox M changed", fifty subscribers of the user at the same position cost one journal read.
 */
import { ObjectId, type Db } from 'mongodb';
import type { Logger } from 'pino';
import type { ChangeBus, ChangeEvent } from '@wildduck/events';
import {
  listFollowedMailboxes,
  readAccountChanges,
  readMailboxChanges,
  type AccountEntry,
  type FollowedMailbox,
  type MailboxRead,
} from './journal-reads.js';

/** What a subscriber of a feed is told. */
export interface FeedSubscriber {
  /** Set up and following (changes from here on reach its client). */
  readonly ready: boolean;
  /** An event of the user arrived on the bus ("look now"). */
  notify(event: ChangeEvent): void;
  /** The bus reconnected: anything may have been missed, look at everything. */
  resync(): void;
}

/** What the hub needs of the API's services. */
export interface ChangeHubServices {
  db: Db;
  bus: ChangeBus;
  logger: Logger;
}

/** How soon a read stopped by a young hole in the journal is tried again. */
export const HOLE_RETRY_MS = 250;

const hubs = new WeakMap<ChangeBus, ChangeHub>();

/** The hub of the process's change bus (one per bus). */
export function changeHub(services: ChangeHubServices): ChangeHub {
  let hub = hubs.get(services.bus);
  if (!hub) {
    hub = new ChangeHub(services);
    hubs.set(services.bus, hub);
  }
  return hub;
}

/** The feeds of every user with at least one subscriber in this process. */
export class ChangeHub {
  readonly db: Db;
  readonly bus: ChangeBus;
  readonly logger: Logger;
  private readonly feeds = new Map<string, UserFeed>();
  /** Subscriptions set up since the start (tests wait on it; a metric). */
  started = 0;
  private stopReconnects: (() => void) | undefined;

  constructor(services: ChangeHubServices) {
    this.db = services.db;
    this.bus = services.bus;
    this.logger = services.logger;
  }

  /** Adds a subscriber to the user's feed (opening it, with its bus subscription, if needed). */
  join(user: ObjectId, subscriber: FeedSubscriber): UserFeed {
    const key = user.toHexString();
    let feed = this.feeds.get(key);
    if (!feed) {
      feed = new UserFeed(this, user);
      this.feeds.set(key, feed);
    }
    feed.subscribers.add(subscriber);
    // after Redis was away, every subscriber re-reads the journal of every mailbox it follows
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

  /** Users with a feed, subscribers (all, and set up), subscriptions ever set up (tests, metrics). */
  stats(): { users: number; subscribers: number; ready: number; started: number } {
    let subscribers = 0;
    let ready = 0;
    for (const feed of this.feeds.values()) {
      subscribers += feed.subscribers.size;
      for (const subscriber of feed.subscribers) if (subscriber.ready) ready++;
    }
    return { users: this.feeds.size, subscribers, ready, started: this.started };
  }
}

/** The changes of one user in this process. */
export class UserFeed {
  readonly subscribers = new Set<FeedSubscriber>();
  /** The last known path of each mailbox (a deleted mailbox's is named in MAILBOX_DELETED). */
  readonly paths = new Map<string, string>();
  /**
   * Reads started since the last event, by what they read. A read started before an event may miss
   * what the event announced, so every event forgets them; until then, equal reads are shared.
   */
  private reads = new Map<string, Promise<unknown>>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private readonly stopEvents: () => void;

  constructor(
    private readonly hub: ChangeHub,
    readonly user: ObjectId,
  ) {
    this.stopEvents = hub.bus.subscribe(user.toHexString(), (event) => this.onEvent(event));
  }

  /** Tells every subscriber; reads after this see what the event announced. */
  onEvent(event: ChangeEvent): void {
    this.reads = new Map();
    for (const subscriber of this.subscribers) subscriber.notify(event);
  }

  onReconnect(): void {
    this.reads = new Map();
    for (const subscriber of this.subscribers) subscriber.resync();
  }

  /** The journal of a mailbox after `after` (see readMailboxChanges). */
  readMailbox(mailbox: string, after: number): Promise<MailboxRead | null> {
    return this.shared(`m:${mailbox}:${after}`, () =>
      readMailboxChanges(this.hub.db, this.user, new ObjectId(mailbox), after),
    );
  }

  /** The account log from time `from` (ms). */
  readAccount(from: number): Promise<{ entries: AccountEntry[]; more: boolean }> {
    return this.shared(`a:${from}`, () => readAccountChanges(this.hub.db, this.user, from, this.paths));
  }

  /** The user's mailboxes now. */
  listMailboxes(): Promise<FollowedMailbox[]> {
    return this.shared('l', async () => {
      const mailboxes = await listFollowedMailboxes(this.hub.db, this.user);
      for (const mailbox of mailboxes) this.paths.set(mailbox.id, mailbox.path);
      return mailboxes;
    });
  }

  /** Announces the mailbox again shortly (a read waits at a young hole in its journal). */
  retryLater(mailbox: string): void {
    if (this.retries.has(mailbox)) return;
    const timer = setTimeout(() => {
      this.retries.delete(mailbox);
      this.onEvent({ type: 'mailbox', user: this.user.toHexString(), mailbox, modseq: 0 });
    }, HOLE_RETRY_MS);
    timer.unref();
    this.retries.set(mailbox, timer);
  }

  close(): void {
    this.stopEvents();
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    this.reads = new Map();
  }

  get logger(): Logger {
    return this.hub.logger;
  }

  get db(): Db {
    return this.hub.db;
  }

  private shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    const reads = this.reads;
    const started = reads.get(key) as Promise<T> | undefined;
    if (started) return started;
    const promise = load();
    reads.set(key, promise);
    // a failed read is not shared: the next subscriber tries again
    promise.catch(() => {
      if (reads.get(key) === promise) reads.delete(key);
    });
    return promise;
  }
}
