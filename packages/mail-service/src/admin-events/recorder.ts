/**
 * The recorder of the administrators' event feed, one per process. Transports hand it events
 * (`record` returns at once, and never throws); it keeps them in memory and writes them with one
 * insert every FLUSH_MS (and at close), adds the deliveries to the shared per-minute counters of
 * the charts, then says "look now" on the change bus, so the subscribers on every API instance
 * read them from the store. So a delivery or a sign-in waits for nothing of this, and a store that
 * cannot write loses the events of that moment (logged), never a reply.
 */
import type { Db } from 'mongodb';
import type { ChangeBus } from '@wildduck/change-bus';
import type { PeriodCounters } from '@wildduck/coordination';
import {
  adminEventDocument,
  insertAdminEvents,
  type AdminEventDocument,
  type NewAdminEvent,
} from '@wildduck/store';

/**
 * The change bus "user" whose channel carries the feed's wake-ups: one per database, so
 * deployments (and test runs) sharing a Redis do not wake each other.
 */
export function adminFeedChannel(db: Db): string {
  return `_admin-feed:${db.databaseName}`;
}
/** The kind of the bus event that says new admin events are stored. */
export const ADMIN_FEED_KIND = 'admin-events';

/** How long events wait in memory before they are written together. */
export const FLUSH_MS = 200;
/** Events kept while the store cannot write; older ones are dropped beyond this. */
const MAX_BUFFERED = 10_000;

/** Where transports hand their events. */
export interface AdminEventSink {
  record(event: NewAdminEvent): void;
}

/** Where a failed write is told (a pino logger fits). */
export interface RecorderLogger {
  warn(details: object, message: string): void;
}

export interface AdminEventRecorderOptions {
  db: Db;
  bus: ChangeBus;
  /** The deliveries per minute, hour and day of the charts. */
  counters?: PeriodCounters;
  logger?: RecorderLogger;
  flushMs?: number;
}

export class AdminEventRecorder implements AdminEventSink {
  private buffer: AdminEventDocument[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: AdminEventRecorderOptions) {}

  record(event: NewAdminEvent): void {
    if (this.closed) return;
    try {
      this.buffer.push(adminEventDocument(event));
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'an admin event could not be recorded');
      return;
    }
    if (this.buffer.length > MAX_BUFFERED) this.buffer.splice(0, this.buffer.length - MAX_BUFFERED);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.options.flushMs ?? FLUSH_MS);
    // a process ending while events wait is not held open by them (close writes them)
    this.timer.unref?.();
  }

  /** The same recorder, naming the protocol of every event it is given (unless the event names one). */
  withProtocol(protocol: string): AdminEventSink {
    return { record: (event) => this.record({ protocol, ...event }) };
  }

  /** Writes what is buffered now (one at a time: a slow store delays the next batch, not a reply). */
  flush(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    if (!batch.length) return this.writing;
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private async write(batch: AdminEventDocument[]): Promise<void> {
    const { db, bus, counters, logger } = this.options;
    try {
      await insertAdminEvents(db, batch);
    } catch (error) {
      logger?.warn({ err: error, events: batch.length }, 'writing admin events failed; they are lost');
      return;
    }
    const deliveries = new Map<number, number>();
    for (const event of batch)
      if (event.type === 'DELIVERY') deliveries.set(event.minute, (deliveries.get(event.minute) ?? 0) + 1);
    try {
      await Promise.all([
        ...[...deliveries].map(([minute, count]) => counters?.add(minute * 60_000, count)),
        bus.publish({ type: 'account', user: adminFeedChannel(db), kind: ADMIN_FEED_KIND }),
      ]);
    } catch (error) {
      // subscribers still find the events at their next look; the chart misses these deliveries
      logger?.warn({ err: error }, 'announcing admin events failed');
    }
  }

  /** Writes what is left and takes no more events. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }
}
