// Public surface of @wildduck/tcp-listener: the lifecycle of a listener that serves one protocol
// session per connection.
export {
  SessionListener,
  clientAddress,
  type ConnectionLimits,
  type ListenerSession,
} from './session-listener.js';
