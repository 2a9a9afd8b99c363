export type { ChangeBus, ChangeEvent, ChangeListener, ReconnectListener } from './types.js';
export { MemoryChangeBus } from './memory-bus.js';
export { RedisChangeBus, userChannel } from './redis-bus.js';
export { createChangeBus } from './create.js';
export {
  createRateLimiter,
  RedisRateLimiter,
  MemoryRateLimiter,
  type RateLimiter,
  type RateLimit,
} from './rate-limit.js';
export { RedisLockManager, type NamedLocks, type RedisLockOptions } from './redis-locks.js';
export {
  WebhookDispatcher,
  verifyWebhookSignature,
  signWebhook,
  type WebhookTarget,
  type WebhookEvent,
  type WebhookLogger,
  type WebhookDispatcherOptions,
} from './webhooks.js';
