import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The mail protocols a mail server listens for; one label value each. */
export type MailProtocol = 'imap' | 'imaps' | 'lmtp' | 'smtp' | 'submission';

/**
 * Why a delivery was refused, from the enhanced status code of the reply (RFC 3463): a small, fixed
 * set so the label stays cheap.
 */
export type DeliveryFailureReason =
  | 'unknown_user'
  | 'disabled_user'
  | 'over_quota'
  | 'too_big'
  | 'invalid_message'
  | 'store_unavailable'
  | 'relay'
  | 'policy'
  | 'shutdown'
  | 'other';

/** Seconds: from a quick NOOP to a large FETCH or APPEND; IDLE and slow uploads land in +Inf. */
const COMMAND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * A registry of its own (never prom-client's global one, so tests and several servers in one
 * process do not collide), with the default process metrics (CPU, memory, event loop lag, GC,
 * handles) and `service` as a label on every series.
 */
export function createRegistry(service: string, options: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

/** What the mail server counts. */
export interface MailMetrics {
  /** Open connections, by protocol. */
  connections: Gauge<'protocol'>;
  /** Commands handled, by protocol and command name (IMAP: `UID FETCH` etc.; SMTP: MAIL, RCPT, DATA, AUTH). */
  commands: Counter<'protocol' | 'command'>;
  /** Time from a command's arrival to its reply, by protocol and command name. */
  commandDuration: Histogram<'protocol' | 'command'>;
  /** Messages accepted after DATA (LMTP: one per recipient answered 2xx). */
  deliveries: Counter<'protocol'>;
  /** Recipients or messages refused (at RCPT or after DATA), by reason. */
  deliveryFailures: Counter<'protocol' | 'reason'>;
}

/** Registers the mail server's metrics on `registry`. */
export function mailMetrics(registry: Registry): MailMetrics {
  const registers = [registry];
  return {
    connections: new Gauge({
      name: 'wildduck_connections',
      help: 'Open client connections, by protocol',
      labelNames: ['protocol'],
      registers,
    }),
    commands: new Counter({
      name: 'wildduck_commands_total',
      help: 'Commands handled, by protocol and command',
      labelNames: ['protocol', 'command'],
      registers,
    }),
    commandDuration: new Histogram({
      name: 'wildduck_command_duration_seconds',
      help: 'Time from a command to its reply, by protocol and command',
      labelNames: ['protocol', 'command'],
      buckets: COMMAND_BUCKETS,
      registers,
    }),
    deliveries: new Counter({
      name: 'wildduck_deliveries_total',
      help: 'Messages accepted for delivery (LMTP: per recipient), by protocol',
      labelNames: ['protocol'],
      registers,
    }),
    deliveryFailures: new Counter({
      name: 'wildduck_delivery_failures_total',
      help: 'Deliveries refused at RCPT or after DATA, by protocol and reason',
      labelNames: ['protocol', 'reason'],
      registers,
    }),
  };
}

/** Anything with ChangeBus's `onReconnect` (kept structural: this package does not depend on events). */
export interface ReconnectSource {
  onReconnect(listener: () => void): () => void;
}

/** Counts the change bus's reconnects to Redis; returns the function that stops counting. */
export function countBusReconnects(registry: Registry, bus: ReconnectSource): () => void {
  const reconnects = new Counter({
    name: 'wildduck_bus_reconnects_total',
    help: 'Times the change bus reconnected to Redis (subscribers then catch up from the journal)',
    registers: [registry],
  });
  return bus.onReconnect(() => reconnects.inc());
}

/** Pending and failed deliveries in the webhook outbox (kept structural: this package does not depend on the store). */
export interface WebhookOutboxCounts {
  pending: number;
  failed: number;
}

/** What the webhook outbox reports to /metrics. */
export interface WebhookMetrics {
  /** Counts one delivery attempt by its outcome: `delivered`, `retry` or `failed`. */
  outcome(outcome: string): void;
}

/**
 * Registers `wildduck_webhook_outbox_pending` and `wildduck_webhook_outbox_failed` (read from the
 * store at each scrape, so every instance reports the whole outbox) and
 * `wildduck_webhook_deliveries_total` by outcome (this instance's attempts).
 */
export function webhookMetrics(
  registry: Registry,
  counts: () => Promise<WebhookOutboxCounts>,
): WebhookMetrics {
  let last: WebhookOutboxCounts | undefined;
  let reading: Promise<WebhookOutboxCounts | undefined> | undefined;
  // one store read serves both gauges of a scrape; a failed read keeps the last figures
  const read = () =>
    (reading ??= counts()
      .then((value) => (last = value))
      .catch(() => last)
      .finally(() => {
        reading = undefined;
      }));
  new Gauge({
    name: 'wildduck_webhook_outbox_pending',
    help: 'Webhook deliveries waiting in the outbox (due, between retries or in flight), all instances',
    registers: [registry],
    async collect() {
      const value = await read();
      if (value) this.set(value.pending);
    },
  });
  new Gauge({
    name: 'wildduck_webhook_outbox_failed',
    help: 'Webhook deliveries that gave up and are kept for inspection (admin console), all instances',
    registers: [registry],
    async collect() {
      const value = await read();
      if (value) this.set(value.failed);
    },
  });
  const deliveries = new Counter({
    name: 'wildduck_webhook_deliveries_total',
    help: 'Webhook delivery attempts of this instance, by outcome (delivered, retry, failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const outcomes = new Set(['delivered', 'retry', 'failed']);
  for (const outcome of outcomes) deliveries.inc({ outcome }, 0);
  return {
    outcome(outcome) {
      deliveries.inc({ outcome: outcomes.has(outcome) ? outcome : 'other' });
    },
  };
}

/** Counts HTTP requests (the API) by method and status, with their time. */
export interface HttpMetrics {
  observe(method: string, status: number, seconds: number): void;
}

/** Seconds: API calls from a health probe to a large download. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Registers `wildduck_http_requests_total` and `wildduck_http_request_duration_seconds` on `registry`. */
export function httpMetrics(registry: Registry): HttpMetrics {
  const requests = new Counter({
    name: 'wildduck_http_requests_total',
    help: 'HTTP requests answered, by method and status',
    labelNames: ['method', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'wildduck_http_request_duration_seconds',
    help: 'Time from an HTTP request to the end of its response, by method',
    labelNames: ['method'],
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
  return {
    observe(method, status, seconds) {
      // a client may send any method name: keep the label set small
      const label = methods.has(method) ? method : 'OTHER';
      requests.inc({ method: label, status: String(status) });
      duration.observe({ method: label }, seconds);
    },
  };
}

/** Reply code and text -> the reason label. */
export function failureReason(code: number, text: string): DeliveryFailureReason {
  if (code === 421) return 'shutdown';
  const enhanced = /^\s*([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(text);
  if (!enhanced) return code === 552 ? 'too_big' : code === 451 ? 'store_unavailable' : 'other';
  const [, , subject, detail] = enhanced;
  const key = `${subject}.${detail}`;
  if (key === '1.1') return 'unknown_user';
  if (key === '2.1') return 'disabled_user';
  if (key === '2.2') return 'over_quota';
  if (key === '3.4') return 'too_big';
  if (subject === '6') return 'invalid_message';
  if (key === '3.0') return 'store_unavailable';
  if (subject === '4') return 'relay';
  if (subject === '7') return 'policy';
  return 'other';
}
