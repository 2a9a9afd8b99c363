/**
 * One bus subscription per API process for the administrators' feed: the recorders of every
 * process (mail servers, API instances) say "look now" on one channel after each write, and the
 * hub wakes every `adminEvents` subscriber of this process, each of which reads from its cursor.
 */
import type { Db } from 'mongodb';
import type { ChangeBus } from '@wildduck/change-bus';
import { adminFeedChannel } from '@wildduck/mail-service';

/** Told to look in the store. */
export interface AdminFeedWaker {
  wake(): void;
}

/** A look now and then, in case a wake-up was lost on the way (Redis restarted). */
const SAFETY_LOOK_MS = 30_000;

const hubs = new WeakMap<ChangeBus, AdminFeedHub>();

/** The hub of the process's change bus (one per bus). */
export function adminFeedHub(bus: ChangeBus, db: Db): AdminFeedHub {
  let hub = hubs.get(bus);
  if (!hub) {
    hub = new AdminFeedHub(bus, adminFeedChannel(db));
    hubs.set(bus, hub);
  }
  return hub;
}

export class AdminFeedHub {
  private readonly subscribers = new Set<AdminFeedWaker>();
  private stop: (() => void) | null = null;
  /** Subscriptions set up since the start (tests wait on it). */
  started = 0;

  constructor(
    private readonly bus: ChangeBus,
    private readonly channel: string,
  ) {}

  join(subscriber: AdminFeedWaker): void {
    this.subscribers.add(subscriber);
    if (this.stop) return;
    const wakeAll = () => {
      for (const each of this.subscribers) each.wake();
    };
    const unsubscribe = this.bus.subscribe(this.channel, wakeAll);
    const unreconnect = this.bus.onReconnect(wakeAll);
    const timer = setInterval(wakeAll, SAFETY_LOOK_MS);
    timer.unref();
    this.stop = () => {
      unsubscribe();
      unreconnect();
      clearInterval(timer);
    };
  }

  leave(subscriber: AdminFeedWaker): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size || !this.stop) return;
    this.stop();
    this.stop = null;
  }

  get size(): number {
    return this.subscribers.size;
  }
}
