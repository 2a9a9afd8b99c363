import { MemoryChangeBus } from './memory-bus.js';
import { RedisChangeBus } from './redis-bus.js';
import type { ChangeBus } from './types.js';

/** The bus the contract asks for: Redis when a URL is given, else the in-process bus (one node only). */
export function createChangeBus(redisUrl: string | undefined, prefix?: string): ChangeBus {
  return redisUrl ? new RedisChangeBus(redisUrl, prefix) : new MemoryChangeBus();
}
