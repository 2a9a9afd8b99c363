export {
  WebhookDispatcher,
  verifyWebhookSignature,
  signWebhook,
  type WebhookTarget,
  type WebhookEvent,
  type WebhookLogger,
  type WebhookDispatcherOptions,
} from './webhooks.js';
