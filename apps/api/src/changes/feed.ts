/**
 * The API's side of the process's change feed (packages/mail-service): the bus subscription per
 * user and the sharing of reads are the feed's, shared with anything else in the process that
 * follows changes; this adds what `mailboxChanges` reads (journal pages as API changes, the
 * account log, the mailbox list) on top, each read once for every subscriber of the user.
 */
import { ObjectId, type Db } from 'mongodb';
import type { Logger } from 'pino';
import type { ChangeBus } from '@wildduck/change-bus';
import {
  changeHub as processChangeHub,
  type ChangeHub as ProcessChangeHub,
  type FeedSubscriber as ProcessFeedSubscriber,
  type UserFeed as ProcessUserFeed,
} from '@wildduck/mail-service';
import {
  listFollowedMailboxes,
  readAccountChanges,
  readMailboxChanges,
  type AccountEntry,
  type FollowedMailbox,
  type MailboxRead,
} from './journal-reads.js';

/** What a subscriber of a feed is told. */
export interface FeedSubscriber extends ProcessFeedSubscriber {
  /** Set up and following (changes from here on reach its client). */
  readonly ready: boolean;
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

/** The API's feeds of every user with at least one `mailboxChanges` subscriber in this process. */
export class ChangeHub {
  readonly db: Db;
  readonly bus: ChangeBus;
  readonly logger: Logger;
  private readonly process: ProcessChangeHub;
  private readonly feeds = new Map<string, UserFeed>();
  /** Subscriptions set up since the start (tests wait on it; a metric). */
  started = 0;

  constructor(services: ChangeHubServices) {
    this.db = services.db;
    this.bus = services.bus;
    this.logger = services.logger;
    this.process = processChangeHub(services.bus);
  }

  /** Adds a subscriber to the user's feed (opening it, with its bus subscription, if needed). */
  join(user: ObjectId, subscriber: FeedSubscriber): UserFeed {
    const key = user.toHexString();
    const shared = this.process.join(user, subscriber);
    let feed = this.feeds.get(key);
    if (!feed || feed.shared !== shared) {
      feed = new UserFeed(this, shared);
      this.feeds.set(key, feed);
    }
    feed.subscribers.add(subscriber);
    return feed;
  }

  /** Removes a subscriber; the feed closes with its last one. */
  leave(feed: UserFeed, subscriber: FeedSubscriber): void {
    feed.subscribers.delete(subscriber);
    this.process.leave(feed.shared, subscriber);
    if (feed.subscribers.size) return;
    feed.close();
    const key = feed.user.toHexString();
    if (this.feeds.get(key) === feed) this.feeds.delete(key);
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

/** What `mailboxChanges` reads of one user, on the process's feed of that user. */
export class UserFeed {
  readonly subscribers = new Set<FeedSubscriber>();
  /** The last known path of each mailbox (a deleted mailbox's is named in MAILBOX_DELETED). */
  readonly paths = new Map<string, string>();
  private readonly retries = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly hub: ChangeHub,
    readonly shared: ProcessUserFeed,
  ) {}

  get user(): ObjectId {
    return this.shared.user;
  }

  /** The journal of a mailbox after `after` (see readMailboxChanges). */
  readMailbox(mailbox: string, after: number): Promise<MailboxRead | null> {
    return this.shared.shared(`api:m:${mailbox}:${after}`, () =>
      readMailboxChanges(this.hub.db, this.user, new ObjectId(mailbox), after),
    );
  }

  /** The account log from time `from` (ms). */
  readAccount(from: number): Promise<{ entries: AccountEntry[]; more: boolean }> {
    return this.shared.shared(`api:a:${from}`, () =>
      readAccountChanges(this.hub.db, this.user, from, this.paths),
    );
  }

  /** The user's mailboxes now. */
  listMailboxes(): Promise<FollowedMailbox[]> {
    return this.shared.shared('api:l', async () => {
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
      this.shared.onEvent({ type: 'mailbox', user: this.user.toHexString(), mailbox, modseq: 0 });
    }, HOLE_RETRY_MS);
    timer.unref();
    this.retries.set(mailbox, timer);
  }

  close(): void {
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
  }

  get logger(): Logger {
    return this.hub.logger;
  }

  get db(): Db {
    return this.hub.db;
  }
}
