export {
  WebhookDispatcher,
  type WebhookTarget,
  type WebhookEvent,
  type WebhookLogger,
  type WebhookDispatcherOptions,
} from './webhooks.js';
export {
  WebhookOutbox,
  type WebhookOutboxOptions,
  type WebhookOutboxStore,
  type WebhookOutcome,
  type OutboxDelivery,
  type ClaimedOutboxDelivery,
} from './outbox.js';
export { verifyWebhookSignature, signWebhook } from './signature.js';
export { redact as redactWebhookUrl } from './outbox.js';
