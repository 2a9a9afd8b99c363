/**
 * One `adminEvents` subscriber: reads the event log from its own cursor whenever the hub wakes it
 * (another process stored events), and hands the events to graphql-ws as an async iterator. The
 * bus only says "look now"; every event comes from the store, so a lost wake-up delays an event
 * until the next one, never loses it.
 */
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { ChangeBus } from '@wildduck/change-bus';
import { readAdminEventsSince, type AdminEventType } from '@wildduck/store';
import { ADMIN_OVERLAP_MS, freshAdminState, readUpTo, takeEvent, type AdminCursorState } from './cursor.js';
import { eventView, type AdminEventView } from './events.js';
import { adminFeedHub, type AdminFeedHub, type AdminFeedWaker } from './hub.js';
import { SubscriberQueue } from '../graphql/subscriber-queue.js';

/** Events queued for a client that reads slowly before the subscriber stops reading the store. */
const HIGH_WATER = 500;

export interface AdminFeedOptions {
  db: Db;
  bus: ChangeBus;
  logger: Logger;
  /** Resume after this cursor; none: from now. */
  since?: AdminCursorState;
  /** Only these types (the cursor still moves past the others). */
  types?: ReadonlySet<AdminEventType>;
}

/** The feed stopped for a reason of the server's own (logged): subscribe again with the last cursor. */
export class AdminFeedFailure extends Error {
  override name = 'AdminFeedFailure';
  constructor() {
    super('The admin event feed failed; subscribe again with the last cursor to resume');
  }
}

export class AdminFeedSubscription implements AsyncIterableIterator<AdminEventView>, AdminFeedWaker {
  private readonly hub: AdminFeedHub;
  private readonly state: AdminCursorState;
  private dirty = true;
  private running = false;
  private readonly queue: SubscriberQueue<AdminEventView>;

  constructor(private readonly options: AdminFeedOptions) {
    this.state = options.since ?? freshAdminState();
    this.hub = adminFeedHub(options.bus, options.db);
    this.queue = new SubscriberQueue<AdminEventView>({
      highWater: HIGH_WATER,
      // the client caught up: read what came meanwhile
      onRoom: () => this.dirty && this.kick(),
      onEnd: () => this.hub.leave(this),
    });
    this.hub.join(this);
    this.hub.started++;
    // with since: what came after it first; without: nothing older than now
    if (options.since) this.kick();
  }

  wake(): void {
    if (this.queue.ended) return;
    this.dirty = true;
    this.kick();
  }

  private kick(): void {
    if (this.running || this.queue.ended || this.queue.full) return;
    this.running = true;
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      while (this.dirty && !this.queue.ended && !this.queue.full) {
        this.dirty = false;
        await this.read();
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.running = false;
    }
  }

  private async read(): Promise<void> {
    const readStart = Date.now();
    const events = await readAdminEventsSince(this.options.db, this.state.time - ADMIN_OVERLAP_MS, readStart);
    if (this.queue.ended) return;
    for (const event of events) {
      if (!takeEvent(this.state, event)) continue;
      if (this.options.types && !this.options.types.has(event.type)) continue;
      this.queue.push(eventView(event, this.state));
    }
    readUpTo(this.state, readStart);
  }

  next(): Promise<IteratorResult<AdminEventView>> {
    return this.queue.next();
  }

  return(): Promise<IteratorResult<AdminEventView>> {
    return this.queue.return();
  }

  throw(): Promise<IteratorResult<AdminEventView>> {
    return this.queue.throw();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private fail(error: unknown): void {
    if (this.queue.ended) return;
    this.options.logger.error({ err: error }, 'adminEvents failed');
    this.queue.fail(new AdminFeedFailure());
  }
}
