export type {
  ChangeBus,
  ChangeEvent,
  ChangeListener,
  MailboxChangeKind,
  ReconnectListener,
} from './types.js';
export { MemoryChangeBus } from './memory-bus.js';
export { RedisChangeBus, userChannel } from './redis-bus.js';
export { createChangeBus } from './create.js';
