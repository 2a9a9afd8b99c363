/** Public surface of the IMAP command parser. */
export { CommandParser } from './command-parser.js';
export {
  DEFAULT_PARSER_LIMITS,
  resolveParserLimits,
  type ParserLimits,
  type ParserOptions,
} from './limits.js';
export { decodeSaslResponse } from './session-commands.js';
export type * from './types.js';
