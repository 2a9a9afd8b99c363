/** Public surface of the IMAP response writer. */
export {
  MAX_QUOTED_LENGTH,
  OutputBuilder,
  encodeString,
  encodeValue,
  encodeValues,
  type EncodeOptions,
  type OutputPiece,
} from './encode.js';
export { fetchResponseName, formatDateTime, formatSection } from './fetch-format.js';
export * from './response-codes.js';
export { ResponseWriter, type ResponseWriterOptions } from './response-writer.js';
export { encodeResponse, type ImapResponse, type ResponseCode, type StatusCondition } from './responses.js';
export { formatSequenceRanges, formatSequenceSet } from './sequence-set-format.js';
export {
  adjacent,
  atom,
  literal,
  mailbox,
  type AdjacentValue,
  type AtomValue,
  type ImapValue,
  type LiteralValue,
  type MailboxValue,
} from './values.js';
