/**
 * Builders for the response codes the core sends (RFC 3501 7.1, RFC 4315 UIDPLUS, RFC 7162,
 * RFC 5530, RFC 7889, RFC 9208), so handlers never assemble bracket text by hand.
 */
import type { ResponseCode } from './responses.js';
import { formatSequenceSet } from './sequence-set-format.js';
import { atom } from './values.js';

/** A response code without arguments, e.g. `[TOOBIG]`, `[OVERQUOTA]`, `[READ-WRITE]`, `[NONEXISTENT]`. */
export function simpleCode(name: string): ResponseCode {
  return { name };
}

/** `[UIDNEXT n]`. */
export function uidNextCode(uidNext: number): ResponseCode {
  return { name: 'UIDNEXT', args: [uidNext] };
}

/** `[UIDVALIDITY n]`. */
export function uidValidityCode(uidValidity: number): ResponseCode {
  return { name: 'UIDVALIDITY', args: [uidValidity] };
}

/** `[UNSEEN n]`: the sequence number of the first unseen message. */
export function unseenCode(sequenceNumber: number): ResponseCode {
  return { name: 'UNSEEN', args: [sequenceNumber] };
}

/** `[HIGHESTMODSEQ n]` (RFC 7162). */
export function highestModSeqCode(modSeq: number): ResponseCode {
  return { name: 'HIGHESTMODSEQ', args: [modSeq] };
}

/** `[NOMODSEQ]` (RFC 7162) for mailboxes without mod-sequences. */
export function noModSeqCode(): ResponseCode {
  return { name: 'NOMODSEQ' };
}

/** `[MODIFIED set]` (RFC 7162): messages a STORE UNCHANGEDSINCE left alone. */
export function modifiedCode(numbers: Iterable<number>): ResponseCode {
  return { name: 'MODIFIED', args: [atom(formatSequenceSet(numbers, { sort: true }))] };
}

/** `[CAPABILITY IMAP4rev1 ...]`. */
export function capabilityCode(capabilities: readonly string[]): ResponseCode {
  return { name: 'CAPABILITY', args: capabilities.map(atom) };
}

/** `[PERMANENTFLAGS (\Seen ... \*)]`. */
export function permanentFlagsCode(flags: readonly string[]): ResponseCode {
  return { name: 'PERMANENTFLAGS', args: [flags.map(atom)] };
}

/** `[APPENDUID uidvalidity uid-set]` (RFC 4315; a set for MULTIAPPEND). */
export function appendUidCode(uidValidity: number, uids: readonly number[]): ResponseCode {
  return { name: 'APPENDUID', args: [uidValidity, atom(formatSequenceSet(uids))] };
}

/** `[COPYUID uidvalidity source-uids destination-uids]` (RFC 4315), both sets in corresponding order. */
export function copyUidCode(
  uidValidity: number,
  sourceUids: readonly number[],
  destinationUids: readonly number[],
): ResponseCode {
  if (sourceUids.length !== destinationUids.length)
    throw new RangeError('COPYUID sets must have the same length');
  return {
    name: 'COPYUID',
    args: [uidValidity, atom(formatSequenceSet(sourceUids)), atom(formatSequenceSet(destinationUids))],
  };
}

/** `[APPENDLIMIT n]` (RFC 7889). */
export function appendLimitCode(limit: number): ResponseCode {
  return { name: 'APPENDLIMIT', args: [limit] };
}

/** `[BADCHARSET (UTF-8 US-ASCII)]`. */
export function badCharsetCode(supported: readonly string[]): ResponseCode {
  return { name: 'BADCHARSET', args: [supported.map(atom)] };
}

/** `[MAILBOXID (id)]` (RFC 8474): the mailbox's object id, after CREATE and in SELECT/EXAMINE. */
export function mailboxIdCode(mailboxId: string): ResponseCode {
  return { name: 'MAILBOXID', args: [[atom(mailboxId)]] };
}
