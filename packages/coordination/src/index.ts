export {
  createRateLimiter,
  RedisRateLimiter,
  MemoryRateLimiter,
  type RateLimiter,
  type RateLimit,
} from './rate-limit.js';
export {
  LockWaitTimeout,
  RedisLockManager,
  type NamedLocks,
  type RedisLockOptions,
  type SharedFallbackLocks,
} from './redis-locks.js';
export { ClaimLoop, type ClaimLoopOptions } from './claim-loop.js';
export {
  createPeriodCounters,
  periodOf,
  MemoryPeriodCounters,
  RedisPeriodCounters,
  type CounterScale,
  type PeriodCounters,
} from './period-counters.js';
export {
  createExpiringRecords,
  MemoryExpiringRecords,
  RedisExpiringRecords,
  type ExpiringRecords,
} from './expiring-records.js';
