// Public surface of @wildduck/imap-core: the server, the storage interface a store implements,
// and the parser and writer for anyone who needs the IMAP grammar alone.
export { ImapServer } from './server.js';
export { ImapSession, type SessionSetup } from './session.js';
export {
  resolveOptions,
  type ImapLogger,
  type ImapObserver,
  type ImapServerOptions,
  type ResolvedImapOptions,
} from './options.js';
export { listCapabilities, ENABLEABLE, type CapabilityContext } from './capabilities.js';
export * from './backend.js';
// RFC 4314 rights as text, for stores that keep access lists
export { STANDARD_RIGHTS, canonicalRights } from './acl-rights.js';
export type {
  CommandHandler,
  CommandSession,
  EnabledExtension,
  SessionState,
  TaggedResult,
} from './command-handler.js';
export * from './parser/index.js';
export * from './writer/index.js';
export {
  parseProxyHeader,
  startsWithProxySignature,
  formatIPv6,
  type ProxiedClient,
  type ProxyHeaderResult,
} from './proxy-protocol.js';
export {
  acceptProxyProtocol,
  actAsClient,
  trustedPeers,
  type ProxyProtocolOptions,
} from './proxy-listener.js';
export { encodeModifiedUtf7, decodeModifiedUtf7 } from './utf7.js';
