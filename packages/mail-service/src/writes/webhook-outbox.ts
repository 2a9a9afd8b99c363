import type { Logger } from 'pino';
import { webhookOutboxStore, type StoreContext } from '@wildduck/store';
import { WebhookOutbox, type WebhookOutcome } from '@wildduck/webhooks';

/** What a process needs to post webhooks from the store's outbox. */
export interface WebhookOutboxSetup {
  ctx: StoreContext;
  /** Receivers (WEBHOOK_URLS); none: no outbox, events go to the change bus only. */
  urls: readonly string[];
  /** HMAC key of every receiver (WEBHOOK_SECRET). */
  secret: string | undefined;
  logger: Logger;
  /** Counts each attempt's outcome (metrics). */
  onOutcome?: (outcome: WebhookOutcome) => void;
}

/**
 * The webhook outbox of this process, its worker started: the junk reporter enqueues into it,
 * and the worker sends what is due, whichever instance enqueued it (every mail server and API
 * instance runs one; claims keep them off each other's deliveries). `close()` it at shutdown.
 */
export function openWebhookOutbox(setup: WebhookOutboxSetup): WebhookOutbox | undefined {
  if (!setup.urls.length) return undefined;
  const secret = setup.secret;
  if (!secret) throw new TypeError('WEBHOOK_SECRET must be set when WEBHOOK_URLS is');
  return new WebhookOutbox({
    targets: setup.urls.map((url) => ({ url, secret })),
    store: webhookOutboxStore(setup.ctx.db),
    logger: setup.logger.child({ component: 'webhooks' }),
    ...(setup.onOutcome ? { onOutcome: setup.onOutcome } : {}),
  }).start();
}
