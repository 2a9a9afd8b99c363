export type { WebhookTarget, WebhookEvent, WebhookLogger } from './target.js';
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
