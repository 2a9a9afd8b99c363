import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ClaimLoop } from '@wildduck/coordination';
import { attemptWebhook, describe, retryDelay, type PostOutcome } from './post.js';
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

/** One delivery in the outbox: an event for one receiver, with the body every attempt sends. */
export interface OutboxDelivery {
  /** The idempotency id: body `id` and `x-wildduck-delivery`, the same on every attempt. */
  id: string;
  type: string;
  url: string;
  body: string;
}

/** A delivery this worker has claimed (no other worker sends it until `leaseUntil`). */
export interface ClaimedOutboxDelivery extends OutboxDelivery {
  /** Attempts including this one. */
  attempts: number;
  /** Which claim of the delivery this is; outcomes are recorded against it. */
  claim: number;
  leaseUntil: Date;
}

/**
 * Where the outbox lives. `@wildduck/store`'s `webhookOutboxStore(db)` is one (the store and this
 * package do not import each other: the apps join them). `claim` must be atomic: a delivery is
 * claimed by one worker at a time, and a claim whose lease ran out may be claimed again.
 */
export interface WebhookOutboxStore {
  enqueue(deliveries: readonly OutboxDelivery[]): Promise<void>;
  /** Claims due deliveries to `urls` (the receivers this worker can sign for). */
  claim(options: {
    worker: string;
    limit: number;
    leaseMs: number;
    urls: readonly string[];
  }): Promise<ClaimedOutboxDelivery[]>;
  /** Delivered: the delivery leaves the outbox. */
  complete(delivery: ClaimedOutboxDelivery): Promise<void>;
  /** Due again at `nextAttemptAt`, with the error of this attempt. */
  retryLater(delivery: ClaimedOutboxDelivery, nextAttemptAt: Date, error: string): Promise<boolean>;
  /** Given up: kept as failed with its last error, for administrators. */
  fail(delivery: ClaimedOutboxDelivery, error: string): Promise<boolean>;
  /** Deletes failed deliveries past their retention (run now and then by a worker). */
  sweep?(): Promise<number>;
}

/** What one attempt came to, for metrics: delivered, to be retried, or given up. */
export type WebhookOutcome = 'delivered' | 'retry' | 'failed';

export interface WebhookOutboxOptions {
  targets: WebhookTarget[];
  store: WebhookOutboxStore;
  /** Where failures (and, with `info`, deliveries) are reported; warnings go to the console by default. */
  logger?: WebhookLogger;
  retry?: {
    /** Tries in all, the first included (default 12: about half an hour with the default delays). */
    attempts?: number;
    /** Delay before the first retry; doubled for each one after it (default 1000). */
    initialDelayMs?: number;
    /** Upper bound of any delay, Retry-After included (default 900000: 15 minutes). */
    maxDelayMs?: number;
  };
  /** Time allowed for one POST, answer included (default 10000). */
  timeoutMs?: number;
  /** Requests this worker has in flight at once, over all targets (default 8). */
  concurrency?: number;
  /** How often the worker looks for due deliveries when nothing wakes it (default 1000). */
  pollIntervalMs?: number;
  /** How long a claim keeps other workers off a delivery (default `timeoutMs` + 30 s). */
  leaseMs?: number;
  /** How often failed deliveries past their retention are swept (default hourly). */
  sweepIntervalMs?: number;
  /** This worker's name in the outbox (`claimedBy`; default host:pid:random). */
  worker?: string;
  /** Called after each attempt (metrics). */
  onOutcome?: (outcome: WebhookOutcome, delivery: { type: string }) => void;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

interface Target {
  target: WebhookTarget;
  /** The URL without credentials or query string, for logs and the admin console. */
  logUrl: string;
}

/**
 * Webhooks from a durable outbox. `enqueue` writes one delivery per event and wanted target to the
 * store (call it with the journal write of the event: once it resolves, the deliveries survive a
 * restart), and wakes this process's worker. The worker (`start`) claims due deliveries, POSTs
 * them signed (`post.ts`), and records the outcome: delivered (removed), retried
 * with exponential backoff and jitter (Retry-After honoured) until `retry.attempts` tries, or
 * failed with its last error (an answer outside 2xx other than 5xx and 429 is not retried).
 *
 * Every instance may run a worker: a claim gives one worker a delivery for `leaseMs`, and a
 * worker that dies mid-delivery leaves it to be claimed again when the lease runs out. So a
 * delivery arrives at least once; the receiver drops repeats by its id.
 */
export class WebhookOutbox {
  private readonly targets = new Map<string, Target>();
  private readonly store: WebhookOutboxStore;
  private readonly logger: WebhookLogger;
  private readonly attempts: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly sweepIntervalMs: number;
  private readonly onOutcome: WebhookOutboxOptions['onOutcome'];
  private readonly fetch: typeof fetch;
  /** This worker's name in the outbox. */
  readonly worker: string;
  /** Claims due deliveries and keeps the requests in flight, by delivery id and claim. */
  private readonly loop: ClaimLoop<ClaimedOutboxDelivery>;
  private closed = false;
  private closing?: Promise<void>;

  constructor(options: WebhookOutboxOptions) {
    for (const target of options.targets) {
      const logUrl = checkTarget(target);
      // one delivery per receiver URL: a URL listed twice would otherwise get every event twice
      if (!this.targets.has(target.url)) this.targets.set(target.url, { target, logUrl });
    }
    this.store = options.store;
    this.logger = options.logger ?? consoleLogger;
    this.attempts = positive('retry.attempts', options.retry?.attempts ?? 12, true);
    this.initialDelayMs = positive('retry.initialDelayMs', options.retry?.initialDelayMs ?? 1000);
    this.maxDelayMs = positive('retry.maxDelayMs', options.retry?.maxDelayMs ?? 900_000);
    this.timeoutMs = positive('timeoutMs', options.timeoutMs ?? 10_000);
    this.concurrency = positive('concurrency', options.concurrency ?? 8, true);
    this.pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? 1000);
    this.leaseMs = positive('leaseMs', options.leaseMs ?? this.timeoutMs + 30_000);
    this.sweepIntervalMs = positive('sweepIntervalMs', options.sweepIntervalMs ?? 3_600_000);
    this.onOutcome = options.onOutcome;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.worker = options.worker ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.loop = new ClaimLoop({
      concurrency: this.concurrency,
      pollIntervalMs: this.pollIntervalMs,
      claim: (limit) =>
        this.store.claim({
          worker: this.worker,
          limit,
          leaseMs: this.leaseMs,
          urls: [...this.targets.keys()],
        }),
      // a request that outlived its lease may meet its next claim
      key: (delivery) => `${delivery.id}:${delivery.claim}`,
      handle: (delivery, controller) => this.send(delivery, controller),
      onClaimError: (error) => this.warn({ err: error }, 'could not read the webhook outbox; will try again'),
      onHandleError: (error, delivery) =>
        this.warn({ err: error, delivery: delivery.id }, 'webhook outbox internal error'),
      sweep: { intervalMs: this.sweepIntervalMs, atStart: true, run: () => this.sweep() },
    });
  }

  /** Deliveries this worker is sending right now. */
  get inFlight(): number {
    return this.loop.inFlight;
  }

  /**
   * The deliveries of `event`: one per target that wants it, each with a new id. An event with an
   * invalid type, or that JSON cannot serialise, gives none (logged).
   */
  deliveriesFor(event: WebhookEvent): OutboxDelivery[] {
    try {
      const type = event?.type;
      if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
        this.warn({ type: String(type) }, 'webhook event dropped: invalid type');
        return [];
      }
      const created = new Date().toISOString();
      const deliveries: OutboxDelivery[] = [];
      for (const { target } of this.targets.values()) {
        if (!targetWants(target, type)) continue;
        const id = randomUUID();
        deliveries.push({ id, type, url: target.url, body: webhookBody(id, created, event) });
      }
      return deliveries;
    } catch (error) {
      // e.g. a field JSON cannot serialise (BigInt, a cycle)
      this.warn({ err: error, type: safeType(event) }, 'webhook event dropped: cannot serialise');
      return [];
    }
  }

  /**
   * Writes the deliveries of `events` to the outbox and wakes this process's worker. Resolves once
   * they are stored (then they survive a restart); rejects when the store refused them.
   */
  async enqueue(events: readonly WebhookEvent[]): Promise<OutboxDelivery[]> {
    const deliveries = events.flatMap((event) => this.deliveriesFor(event));
    if (!deliveries.length) return [];
    await this.store.enqueue(deliveries);
    this.wake();
    return deliveries;
  }

  /** Starts the worker: it claims and sends due deliveries until `close`. Idempotent. */
  start(): this {
    this.loop.start((error: unknown) => {
      this.warn({ err: error }, 'webhook outbox worker stopped by an internal error');
    });
    return this;
  }

  /** Looks for due deliveries now instead of at the next poll (after a local enqueue). */
  wake(): void {
    this.loop.wake();
  }

  /**
   * Stops claiming, gives the requests in flight up to `drainMs` to finish, then aborts the rest
   * and puts them back in the outbox, due at once (another instance, or this one after a restart,
   * sends them). Idempotent.
   */
  close(drainMs = 5000): Promise<void> {
    this.closing ??= this.shutdown(drainMs);
    return this.closing;
  }

  private async shutdown(drainMs: number): Promise<void> {
    this.closed = true;
    // a claim in progress finishes first (its deliveries are then sent or put back); a store that
    // does not answer is not waited for beyond the drain time
    await Promise.race([this.loop.stop(), sleep(drainMs)]);
    if (this.loop.inFlight) await Promise.race([this.loop.settled(), sleep(drainMs)]);
    const left = this.loop.abortAll(new Error('webhook outbox closed'));
    // an aborted fetch settles at once, and its delivery is put back; a fetch that ignores its signal is not waited for long
    if (left) await Promise.race([this.loop.settled(), sleep(2000)]);
  }

  private async send(delivery: ClaimedOutboxDelivery, controller: AbortController): Promise<void> {
    const known = this.targets.get(delivery.url);
    const log = {
      delivery: delivery.id,
      type: delivery.type,
      url: known?.logUrl,
      attempt: delivery.attempts,
    };
    if (!known) {
      // only if a store ignored `urls`: leave it to a worker that can sign for it
      const error = 'this worker has no webhook target with this URL';
      await this.record(delivery, 'retry', error, () =>
        this.store.retryLater(delivery, new Date(Date.now() + this.pollIntervalMs), error),
      );
      this.warn({ ...log, url: redact(delivery.url), error }, 'webhook delivery left to another worker');
      return;
    }
    const outcome: PostOutcome = await attemptWebhook(
      this.fetch,
      known.target,
      delivery,
      this.timeoutMs,
      controller,
    );
    if (outcome.ok) {
      await this.record(delivery, 'delivered', '', () => this.store.complete(delivery));
      this.info({ ...log, status: outcome.status }, 'webhook delivered');
      return;
    }
    if (this.closed && controller.signal.aborted) {
      // ours, not the receiver's: due again at once for whoever runs next
      const error = `${outcome.reason} (worker stopped)`;
      await this.record(delivery, 'retry', error, () => this.store.retryLater(delivery, new Date(), error));
      return;
    }
    if (!outcome.retry || delivery.attempts >= this.attempts) {
      const why = !outcome.retry ? 'not retried' : 'attempts used up';
      await this.record(delivery, 'failed', outcome.reason, () => this.store.fail(delivery, outcome.reason));
      this.warn({ ...log, error: outcome.reason }, `webhook delivery failed (${why})`);
      return;
    }
    const delay = retryDelay(delivery.attempts, this.initialDelayMs, this.maxDelayMs, outcome.retryAfterMs);
    const next = new Date(Date.now() + delay);
    await this.record(delivery, 'retry', outcome.reason, () =>
      this.store.retryLater(delivery, next, outcome.reason),
    );
    this.warn(
      { ...log, error: outcome.reason, retryInMs: Math.round(delay) },
      'webhook delivery failed, will retry',
    );
  }

  /** Records an outcome in the store; if the store fails, the lease runs out and the delivery is tried again. */
  private async record(
    delivery: ClaimedOutboxDelivery,
    outcome: WebhookOutcome,
    error: string,
    write: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await write();
    } catch (storeError) {
      this.warn(
        { err: storeError, delivery: delivery.id, outcome, error },
        `could not record a webhook outcome in the outbox: ${describe(storeError)}`,
      );
    }
    try {
      this.onOutcome?.(outcome, delivery);
    } catch {
      // metrics must not break delivery
    }
  }

  private async sweep(): Promise<void> {
    try {
      const swept = (await this.store.sweep?.()) ?? 0;
      if (swept) this.info({ swept }, 'failed webhook deliveries past their retention deleted');
    } catch (error) {
      this.warn({ err: error }, 'could not sweep the webhook outbox');
    }
  }

  /** Logs without ever throwing: a failing logger must not break delivery. */
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
}

/** A URL without credentials or query, for a log line or an admin page. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    if (parsed.search) parsed.search = '?…';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
