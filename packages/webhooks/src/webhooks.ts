import { randomUUID } from 'node:crypto';
import { attemptWebhook, retryDelay, type PostOutcome } from './post.js';
import {
  EVENT_TYPE,
  checkTarget,
  consoleLogger,
  positive,
  safeType,
  sleep,
  targetWants,
  webhookBody,
  type WebhookEvent,
  type WebhookLogger,
  type WebhookTarget,
} from './target.js';

export type { WebhookEvent, WebhookLogger, WebhookTarget } from './target.js';

export interface WebhookDispatcherOptions {
  targets: WebhookTarget[];
  /** Where failures (and, with `info`, deliveries) are reported; warnings go to the console by default. */
  logger?: WebhookLogger;
  retry?: {
    /** Tries in all, the first included (default 6). */
    attempts?: number;
    /** Delay before the first retry; doubled for each one after it (default 1000). */
    initialDelayMs?: number;
    /** Upper bound of any delay, Retry-After included (default 60000). */
    maxDelayMs?: number;
  };
  /** Time allowed for one POST, answer included (default 10000). */
  timeoutMs?: number;
  /** Requests in flight at once per target (default 4). */
  concurrency?: number;
  /** Deliveries waiting (queued or between retries) over all targets; beyond it the oldest is dropped (default 10000). */
  maxQueued?: number;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

interface Lane {
  target: WebhookTarget;
  /** The URL without credentials or query string, for logs. */
  logUrl: string;
  ready: Set<Delivery>;
  backoff: Set<Delivery>;
  inFlight: number;
}

interface Delivery {
  id: string;
  type: string;
  body: string;
  lane: Lane;
  /** Attempts made so far. */
  attempt: number;
  /** When it last entered a queue (ready or backoff): the age used to drop the oldest. */
  seq: number;
  timer?: NodeJS.Timeout;
  controller?: AbortController;
  done?: Promise<void>;
}

/**
 * Posts events to HTTP receivers, signed with each receiver's secret, in the background.
 *
 * `dispatch` never blocks and never throws: it queues one delivery per matching target and
 * returns. Deliveries that fail with a network error, a timeout, a 5xx or a 429 are retried with
 * exponential backoff and jitter (honouring Retry-After) until `retry.attempts` tries are used up;
 * any other answer outside 2xx (3xx included: redirects are not followed) is logged and given up.
 * A delivery keeps its id across retries, so receivers can deduplicate on it; order between
 * deliveries is not guaranteed (use `created`). Nothing is persisted: what is queued when the
 * process ends is lost, so this is best effort, for a process without a store. The mail server and
 * the API use `WebhookOutbox` (outbox.ts) instead: the same requests, from a durable outbox.
 */
export class WebhookDispatcher {
  private readonly lanes: Lane[];
  private readonly logger: WebhookLogger;
  private readonly attempts: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private readonly fetch: typeof fetch;
  private readonly inFlight = new Set<Delivery>();
  private queued = 0;
  private seq = 0;
  private closed = false;
  private closing?: Promise<void>;
  private idle?: () => void;
  private pumpScheduled = false;

  constructor(options: WebhookDispatcherOptions) {
    this.lanes = options.targets.map((target) => ({
      target,
      logUrl: checkTarget(target),
      ready: new Set(),
      backoff: new Set(),
      inFlight: 0,
    }));
    this.logger = options.logger ?? consoleLogger;
    this.attempts = positive('retry.attempts', options.retry?.attempts ?? 6, true);
    this.initialDelayMs = positive('retry.initialDelayMs', options.retry?.initialDelayMs ?? 1000);
    this.maxDelayMs = positive('retry.maxDelayMs', options.retry?.maxDelayMs ?? 60_000);
    this.timeoutMs = positive('timeoutMs', options.timeoutMs ?? 10_000);
    this.concurrency = positive('concurrency', options.concurrency ?? 4, true);
    this.maxQueued = positive('maxQueued', options.maxQueued ?? 10_000, true);
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** Logs without ever throwing: a failing logger must not break delivery or `dispatch`. */
  private warn(obj: object, msg: string): void {
    try {
      this.logger.warn(obj, msg);
    } catch {
      // nothing better to do
    }
  }

  private info(obj: object, msg: string): void {
    try {
      this.logger.info?.(obj, msg);
    } catch {
      // nothing better to do
    }
  }

  /** Deliveries not finished yet: queued, waiting for a retry, or in flight. */
  get pending(): number {
    return this.queued + this.inFlight.size;
  }

  /** Queues one delivery of `event` per target that wants it; returns at once and never throws. */
  dispatch(event: WebhookEvent): void {
    try {
      const type = event?.type;
      if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
        this.warn({ type: String(type) }, 'webhook event dropped: invalid type');
        return;
      }
      if (this.closed) {
        this.warn({ type }, 'webhook event dropped: dispatcher closed');
        return;
      }
      const created = new Date().toISOString();
      for (const lane of this.lanes) {
        if (!targetWants(lane.target, type)) continue;
        const id = randomUUID();
        const body = webhookBody(id, created, event);
        this.enqueue({ id, type, body, lane, attempt: 0, seq: 0 }, 'ready');
      }
      this.schedulePump();
    } catch (error) {
      // e.g. a field JSON cannot serialise (BigInt, a cycle)
      this.warn({ err: error, type: safeType(event) }, 'webhook event dropped: cannot serialise');
    }
  }

  /**
   * Stops retrying, keeps sending what is queued for up to `drainMs`, then aborts what is still in
   * flight and drops the rest (logged). Resolves once no request or timer is left. Idempotent.
   */
  close(drainMs = 5000): Promise<void> {
    this.closing ??= this.shutdown(drainMs);
    return this.closing;
  }

  private async shutdown(drainMs: number): Promise<void> {
    this.closed = true;
    let dropped = 0;
    for (const lane of this.lanes) {
      for (const delivery of lane.backoff) {
        clearTimeout(delivery.timer);
        dropped++;
      }
      this.queued -= lane.backoff.size;
      lane.backoff.clear();
    }
    if (this.pending > 0) {
      const idle = new Promise<void>((resolve) => (this.idle = resolve));
      await Promise.race([idle, sleep(drainMs)]);
    }
    for (const lane of this.lanes) {
      dropped += lane.ready.size;
      this.queued -= lane.ready.size;
      lane.ready.clear();
    }
    const aborted = [...this.inFlight];
    for (const delivery of aborted) delivery.controller?.abort(new Error('webhook dispatcher closed'));
    // an aborted fetch settles at once; a custom fetch that ignores its signal is not waited for long
    if (aborted.length) await Promise.race([Promise.allSettled(aborted.map((d) => d.done)), sleep(1000)]);
    dropped += aborted.length;
    this.idle = undefined;
    if (dropped) this.warn({ dropped }, 'webhook dispatcher closed with undelivered deliveries');
  }

  private enqueue(delivery: Delivery, queue: 'ready' | 'backoff'): void {
    if (this.queued >= this.maxQueued) this.dropOldest();
    delivery.seq = ++this.seq;
    delivery.lane[queue].add(delivery);
    this.queued++;
  }

  private dropOldest(): void {
    let oldest: Delivery | undefined;
    for (const lane of this.lanes) {
      for (const set of [lane.ready, lane.backoff]) {
        const first = set.values().next().value;
        if (first && (!oldest || first.seq < oldest.seq)) oldest = first;
      }
    }
    if (!oldest) return;
    clearTimeout(oldest.timer);
    oldest.lane.ready.delete(oldest);
    oldest.lane.backoff.delete(oldest);
    this.queued--;
    this.warn(
      { delivery: oldest.id, type: oldest.type, url: oldest.lane.logUrl, maxQueued: this.maxQueued },
      'webhook queue full: oldest delivery dropped',
    );
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      for (const lane of this.lanes) this.pump(lane);
    });
  }

  private pump(lane: Lane): void {
    while (lane.inFlight < this.concurrency) {
      const next = lane.ready.values().next().value;
      if (!next) return;
      lane.ready.delete(next);
      this.queued--;
      next.done = this.send(next).catch((error: unknown) => {
        this.warn({ err: error, delivery: next.id }, 'webhook dispatcher internal error');
      });
    }
  }

  private async send(delivery: Delivery): Promise<void> {
    const { lane } = delivery;
    lane.inFlight++;
    this.inFlight.add(delivery);
    delivery.attempt++;
    const controller = new AbortController();
    delivery.controller = controller;
    let outcome: PostOutcome;
    try {
      outcome = await attemptWebhook(
        this.fetch,
        lane.target,
        delivery,
        this.timeoutMs,
        controller,
        () => this.closed,
      );
    } finally {
      delivery.controller = undefined;
      lane.inFlight--;
      this.inFlight.delete(delivery);
    }
    this.settle(delivery, outcome);
    if (this.closed && this.pending === 0) this.idle?.();
    else this.pump(lane);
  }

  private settle(delivery: Delivery, outcome: PostOutcome): void {
    const log = {
      delivery: delivery.id,
      type: delivery.type,
      url: delivery.lane.logUrl,
      attempt: delivery.attempt,
    };
    if (outcome.ok) {
      this.info({ ...log, status: outcome.status }, 'webhook delivered');
      return;
    }
    if (!outcome.retry || delivery.attempt >= this.attempts || this.closed) {
      const why = !outcome.retry ? 'not retried' : this.closed ? 'dispatcher closed' : 'attempts used up';
      this.warn({ ...log, error: outcome.reason }, `webhook delivery failed (${why})`);
      return;
    }
    const delay = retryDelay(delivery.attempt, this.initialDelayMs, this.maxDelayMs, outcome.retryAfterMs);
    this.warn(
      { ...log, error: outcome.reason, retryInMs: Math.round(delay) },
      'webhook delivery failed, will retry',
    );
    this.enqueue(delivery, 'backoff');
    delivery.timer = setTimeout(() => {
      delivery.timer = undefined;
      const { lane } = delivery;
      if (!lane.backoff.delete(delivery)) return;
      lane.ready.add(delivery);
      this.pump(lane);
    }, delay);
    delivery.timer.unref();
  }
}
