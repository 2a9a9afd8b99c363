import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** One receiver of webhooks. */
export interface WebhookTarget {
  /** http(s) URL the events are POSTed to. */
  url: string;
  /** Shared secret the `x-wildduck-signature` HMAC is keyed with. */
  secret: string;
  /** Event types this target wants (e.g. `['SPAM', 'NOT_SPAM']`); unset, or containing `'*'`, means all. */
  events?: string[];
}

/** pino-compatible: a pino logger (or child) fits. */
export interface WebhookLogger {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

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

/** The event handed to `dispatch`: a `type` and any JSON-serialisable fields. */
export interface WebhookEvent {
  type: string;
  [key: string]: unknown;
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

type Outcome =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; reason: string; status?: number; retryAfterMs?: number };

const EVENT_TYPE = /^[\x21-\x7e]{1,200}$/;

const consoleLogger: WebhookLogger = {
  warn: (obj, msg) => console.warn(`[webhooks] ${msg}`, obj),
};

/**
 * Posts events to HTTP receivers, signed with each receiver's secret, in the background.
 *
 * `dispatch` never blocks and never throws: it queues one delivery per matching target and
 * returns. Deliveries that fail with a network error, a timeout, a 5xx or a 429 are retried with
 * exponential backoff and jitter (honouring Retry-After) until `retry.attempts` tries are used up;
 * any other answer outside 2xx (3xx included: redirects are not followed) is logged and given up.
 * A delivery keeps its id across retries, so receivers can deduplicate on it; order between
 * deliveries is not guaranteed (use `created`). Nothing is persisted: what is queued when the
 * process ends is lost, so webhooks are best effort, not a journal.
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
        const wanted = lane.target.events;
        if (wanted && !wanted.includes(type) && !wanted.includes('*')) continue;
        const id = randomUUID();
        // `id` and `created` belong to the delivery: an event field of the same name is overwritten
        const body = JSON.stringify(Object.assign({ id, type, created }, event, { id, created }));
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
    const timer = setTimeout(() => controller.abort(new Error('timeout')), this.timeoutMs);
    timer.unref();
    let outcome: Outcome;
    try {
      outcome = await this.post(delivery, controller.signal);
    } catch (error) {
      const reason = controller.signal.aborted ? String((controller.signal.reason as Error)?.message) : '';
      outcome = {
        ok: false,
        retry: !this.closed,
        reason: reason === 'timeout' ? `timed out after ${this.timeoutMs} ms` : describe(error),
      };
    } finally {
      clearTimeout(timer);
      delivery.controller = undefined;
      lane.inFlight--;
      this.inFlight.delete(delivery);
    }
    this.settle(delivery, outcome);
    if (this.closed && this.pending === 0) this.idle?.();
    else this.pump(lane);
  }

  private async post(delivery: Delivery, signal: AbortSignal): Promise<Outcome> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await this.fetch(delivery.lane.target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'wildduck-webhooks',
        'x-wildduck-event': delivery.type,
        'x-wildduck-delivery': delivery.id,
        'x-wildduck-timestamp': timestamp,
        'x-wildduck-signature': signWebhook(delivery.lane.target.secret, timestamp, delivery.body),
      },
      body: delivery.body,
      redirect: 'manual',
      signal,
    });
    const { status } = response;
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => {});
      return { ok: true, status };
    }
    const snippet = await readSnippet(response);
    const reason = `HTTP ${status}${snippet ? `: ${snippet}` : ''}`;
    if (status === 429 || status >= 500) {
      return { ok: false, retry: true, reason, status, retryAfterMs: retryAfter(response.headers) };
    }
    return { ok: false, retry: false, reason, status };
  }

  private settle(delivery: Delivery, outcome: Outcome): void {
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
    const base = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (delivery.attempt - 1));
    const jittered = base / 2 + (Math.random() * base) / 2;
    const delay = Math.min(this.maxDelayMs, Math.max(jittered, outcome.retryAfterMs ?? 0));
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

/** The `x-wildduck-signature` value: `sha256=` and the hex HMAC-SHA256 of `<timestamp>.<raw body>`. */
export function signWebhook(
  secret: string,
  timestamp: string | number,
  rawBody: string | Uint8Array,
): string {
  return `sha256=${hmac(secret, String(timestamp), rawBody).toString('hex')}`;
}

/**
 * For receivers: true when `signatureHeader` (`x-wildduck-signature`) is the HMAC of
 * `<timestamp>.<rawBody>` under `secret`, compared in constant time, and `timestamp`
 * (`x-wildduck-timestamp`, unix seconds) is within `toleranceSeconds` of now (replay protection).
 * `rawBody` must be the bytes as received, before any JSON parsing.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | undefined | null,
  rawBody: string | Uint8Array,
  signatureHeader: string | undefined | null,
  toleranceSeconds = 300,
): boolean {
  if (typeof secret !== 'string' || !secret || timestamp == null || typeof signatureHeader !== 'string') {
    return false;
  }
  const stamp = String(timestamp).trim();
  if (!/^\d{1,12}$/.test(stamp)) return false;
  if (Math.abs(Date.now() / 1000 - Number(stamp)) > toleranceSeconds) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signatureHeader.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = hmac(secret, stamp, rawBody);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function hmac(secret: string, timestamp: string, rawBody: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** Throws on a target that can never work; answers the URL as it may appear in logs. */
function checkTarget(target: WebhookTarget): string {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new TypeError(`webhook target URL is not a valid URL: ${JSON.stringify(target.url)}`);
  }
  url.username = '';
  url.password = '';
  if (url.search) url.search = '?…';
  const logUrl = url.toString();
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`webhook target URL must be http or https: ${logUrl}`);
  }
  if (typeof target.secret !== 'string' || !target.secret) {
    throw new TypeError(`webhook target ${logUrl} has no secret`);
  }
  if (target.events !== undefined && !Array.isArray(target.events)) {
    throw new TypeError(`webhook target ${logUrl}: events must be an array of event types`);
  }
  return logUrl;
}

function positive(name: string, value: number, integer = false): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`webhook ${name} must be a positive ${integer ? 'integer' : 'number'}, not ${value}`);
  }
  return value;
}

/** Retry-After in milliseconds (delta seconds or an HTTP date), if the answer has one. */
function retryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The start of an error answer's body, for the log. */
async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  try {
    const { value } = await reader.read();
    return value ? Buffer.from(value).toString('utf8', 0, 200).replace(/\s+/g, ' ').trim() : '';
  } catch {
    return '';
  } finally {
    await reader.cancel().catch(() => {});
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

function safeType(event: unknown): string {
  try {
    return String((event as { type?: unknown })?.type);
  } catch {
    return '?';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
