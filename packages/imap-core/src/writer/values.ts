/**
 * The typed values a response is built from. Plain JavaScript values cover the common cases:
 * `null` is NIL, a number is a number, a string or Buffer is an IMAP string (the encoder picks
 * quoted or literal), an array is a parenthesised list. Wrappers say what plain values cannot:
 * an atom written as is, a mailbox name, a literal with a streamed body.
 */
import type { Readable } from 'node:stream';

/** An atom or pre-formatted token written verbatim (e.g. `FLAGS`, `\Seen`, `BODY[1]<0>`). */
export interface AtomValue {
  readonly kind: 'atom';
  readonly text: string;
}

/** A mailbox name: modified UTF-7 unless UTF8=ACCEPT is enabled, then UTF-8. */
export interface MailboxValue {
  readonly kind: 'mailbox';
  readonly name: string;
}

/** A body always written as a literal (message data), from a Buffer or a stream of known length. */
export interface LiteralValue {
  readonly kind: 'literal';
  readonly body: Buffer | Readable;
  /** Byte length of the body; a stream must yield exactly this many bytes. */
  readonly length: number;
  /** Write as literal8 `~{n}` (BINARY[] data that may contain NUL, RFC 3516). */
  readonly binary: boolean;
}

/**
 * Values written back to back with no space between them, inside an enclosing list: the addresses
 * of an ENVELOPE address list (RFC 3501 env-to = "(" 1*address ")") are such a run.
 */
export interface AdjacentValue {
  readonly kind: 'adjacent';
  readonly items: readonly ImapValue[];
}

/** Any value that can appear in a response. */
export type ImapValue =
  | null
  | number
  | bigint
  | string
  | Buffer
  | AtomValue
  | MailboxValue
  | LiteralValue
  | AdjacentValue
  | readonly ImapValue[];

/** An atom written verbatim; the caller vouches it is a valid token. */
export function atom(text: string): AtomValue {
  return { kind: 'atom', text };
}

/** Values written with no space between them (see AdjacentValue). */
export function adjacent(items: readonly ImapValue[]): AdjacentValue {
  return { kind: 'adjacent', items };
}

/** A mailbox name, encoded for the session's UTF8=ACCEPT state. */
export function mailbox(name: string): MailboxValue {
  return { kind: 'mailbox', name };
}

/** Message data always sent as a literal; `length` must be the stream's exact byte count. */
export function literal(
  body: Buffer | Readable,
  length = Buffer.isBuffer(body) ? body.length : -1,
  binary = false,
): LiteralValue {
  if (!Number.isSafeInteger(length) || length < 0)
    throw new RangeError('a streamed literal needs its exact length');
  return { kind: 'literal', body, length, binary };
}
