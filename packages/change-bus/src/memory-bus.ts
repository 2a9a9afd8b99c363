import { EventEmitter } from 'node:events';
import type { ChangeBus, ChangeEvent, ChangeListener, ReconnectListener } from './types.js';

/** The in-process bus: for a single node without Redis, and for tests. */
export class MemoryChangeBus implements ChangeBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // one listener per IMAP session: thousands are normal here
    this.emitter.setMaxListeners(0);
  }

  async publish(event: ChangeEvent): Promise<void> {
    // deliver after the publisher's own work, as a network bus would
    queueMicrotask(() => this.emitter.emit(`user:${event.user}`, event));
  }

  subscribe(user: string, listener: ChangeListener): () => void {
    const channel = `user:${user}`;
    this.emitter.on(channel, listener);
    return () => this.emitter.off(channel, listener);
  }

  onReconnect(_listener: ReconnectListener): () => void {
    // an in-process bus never disconnects
    return () => {};
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
