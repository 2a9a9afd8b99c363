import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { ChangeBus, ChangeEvent, ChangeListener, ReconnectListener } from './types.js';

/** Redis channel of a user's changes. */
export function userChannel(user: string, prefix = 'wd'): string {
  return `${prefix}:changes:${user}`;
}

/**
 * The change bus over Redis publish/subscribe. One subscriber connection per process carries every
 * user this process listens to (channels are subscribed while at least one listener wants them).
 * ioredis reconnects with backoff and re-subscribes; after every reconnect the reconnect listeners
 * run, so sessions re-read the journal for whatever was published while Redis was away.
 */
export class RedisChangeBus implements ChangeBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly local = new EventEmitter();
  private readonly reconnects = new EventEmitter();
  private readonly counts = new Map<string, number>();
  private connectedOnce = false;

  constructor(
    url: string,
    private readonly prefix = 'wd',
  ) {
    const retryStrategy = (attempt: number) => Math.min(50 * 2 ** attempt, 2000);
    this.publisher = new Redis(url, { retryStrategy, maxRetriesPerRequest: 2, lazyConnect: false });
    this.subscriber = new Redis(url, { retryStrategy, maxRetriesPerRequest: null });
    this.local.setMaxListeners(0);
    this.reconnects.setMaxListeners(0);
    for (const client of [this.publisher, this.subscriber]) client.on('error', () => {});
    this.subscriber.on('ready', () => {
      if (this.connectedOnce) this.reconnects.emit('reconnect');
      this.connectedOnce = true;
    });
    this.subscriber.on('message', (channel: string, message: string) => {
      let event: ChangeEvent;
      try {
        event = JSON.parse(message) as ChangeEvent;
      } catch {
        return;
      }
      this.local.emit(channel, event);
    });
  }

  async publish(event: ChangeEvent): Promise<void> {
    await this.publisher.publish(userChannel(event.user, this.prefix), JSON.stringify(event));
  }

  subscribe(user: string, listener: ChangeListener): () => void {
    const channel = userChannel(user, this.prefix);
    this.local.on(channel, listener);
    const count = (this.counts.get(channel) ?? 0) + 1;
    this.counts.set(channel, count);
    if (count === 1) void this.subscriber.subscribe(channel).catch(() => {});
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.local.off(channel, listener);
      const left = (this.counts.get(channel) ?? 1) - 1;
      if (left > 0) this.counts.set(channel, left);
      else {
        this.counts.delete(channel);
        void this.subscriber.unsubscribe(channel).catch(() => {});
      }
    };
  }

  onReconnect(listener: ReconnectListener): () => void {
    this.reconnects.on('reconnect', listener);
    return () => this.reconnects.off('reconnect', listener);
  }

  async close(): Promise<void> {
    this.local.removeAllListeners();
    this.reconnects.removeAllListeners();
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
