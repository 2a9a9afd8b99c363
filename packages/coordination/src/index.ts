export {
  createRateLimiter,
  RedisRateLimiter,
  MemoryRateLimiter,
  type RateLimiter,
  type RateLimit,
} from './rate-limit.js';
export { RedisLockManager, type NamedLocks, type RedisLockOptions } from './redis-locks.js';
