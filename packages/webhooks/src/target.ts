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

/** The event handed to `WebhookOutbox.enqueue`: a `type` and any JSON-serialisable fields. */
export interface WebhookEvent {
  type: string;
  [key: string]: unknown;
}

/** Event types: printable ASCII, no spaces (they go into a header). */
export const EVENT_TYPE = /^[\x21-\x7e]{1,200}$/;

export const consoleLogger: WebhookLogger = {
  warn: (obj, msg) => console.warn(`[webhooks] ${msg}`, obj),
};

/** Whether `target` wants events of `type`. */
export function targetWants(target: WebhookTarget, type: string): boolean {
  const wanted = target.events;
  return !wanted || wanted.includes(type) || wanted.includes('*');
}

/** Throws on a target that can never work; answers the URL as it may appear in logs. */
export function checkTarget(target: WebhookTarget): string {
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

export function positive(name: string, value: number, integer = false): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`webhook ${name} must be a positive ${integer ? 'integer' : 'number'}, not ${value}`);
  }
  return value;
}

export function safeType(event: unknown): string {
  try {
    return String((event as { type?: unknown })?.type);
  } catch {
    return '?';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * The JSON text POSTed for an event: `{ id, type, created, ...event }`. `id` and `created` belong to
 * the delivery: an event field of the same name is overwritten.
 */
export function webhookBody(id: string, created: string, event: WebhookEvent): string {
  return JSON.stringify(Object.assign({ id, type: event.type, created }, event, { id, created }));
}
