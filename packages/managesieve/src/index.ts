// Public surface of @wildduck/managesieve: the server, the backend interface a store implements,
// and the parser and response encoding for anyone who needs the grammar alone.
export { ManageSieveServer } from './server.js';
export { ManageSieveSession, MANAGESIEVE_COMMANDS, type SessionSetup } from './session.js';
export {
  resolveOptions,
  type ManageSieveLogger,
  type ManageSieveServerOptions,
  type ResolvedManageSieveOptions,
} from './options.js';
export * from './backend.js';
export {
  ManageSieveParser,
  DEFAULT_PARSER_LIMITS,
  type ParseEvent,
  type ParserLimits,
  type Token,
} from './parser.js';
export { encodeString, statusLine, type ResponseCode } from './responses.js';
