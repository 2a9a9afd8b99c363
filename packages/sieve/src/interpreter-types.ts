/**
 * The interpreter's public contract: what a caller hands in (the message, the envelope, the
 * user's addresses) and what it gets back (the final action list). The interpreter does no I/O;
 * the delivery code carries out the actions.
 */
import type { SourcePosition } from './errors.js';

export interface SieveEnvelope {
  /** MAIL FROM without brackets, '' for the null sender */
  from: string;
  /** this recipient's RCPT TO */
  to: string;
}

export interface SieveHeaderField {
  /** as written */
  name: string;
  /** raw value, unfolded (CRLF+WSP -> WSP), encoded-words NOT yet decoded */
  value: string;
}

export interface SieveBodyPart {
  /** lower-case type/subtype */
  contentType: string;
  /** decoded text of this leaf part */
  text: string;
}

export interface SieveMessage {
  headers: SieveHeaderField[];
  size: number;
  envelope: SieveEnvelope;
  /** only needed when scriptNeeds(...).body */
  body?: { raw: string; parts: SieveBodyPart[] };
}

export type SieveAction =
  | { type: 'keep'; flags: string[] }
  | { type: 'fileinto'; mailbox: string; flags: string[]; create: boolean }
  | { type: 'redirect'; address: string }
  | { type: 'discard' }
  | { type: 'reject'; reason: string; extended: boolean }
  | {
      type: 'vacation';
      to: string;
      subject: string;
      from: string | null;
      reason: string;
      mime: boolean;
      handle: string;
      seconds: number;
    };

export interface SieveOutcome {
  /** final action list; the implicit keep, when it survived, is a keep action in it */
  actions: SieveAction[];
  implicitKeep: boolean;
  /** Why a vacation command ran but no reply is allowed (RFC 5230 4.5, 4.6; RFC 3834), for logs. */
  vacationSkipped?: string;
}

export interface SieveRunOptions {
  /** the recipient's own addresses (vacation: reply only when one of them is in To/Cc/Bcc/Resent-*) */
  userAddresses: string[];
  /** mailbox paths that exist, for mailboxexists */
  existingMailboxes?: ReadonlySet<string>;
  /** default 5 */
  maxRedirects?: number;
  /** default 64 */
  maxActions?: number;
}

/**
 * A script that parsed and validated but failed while running (too many redirects, reject next
 * to keep, …). RFC 5228 2.10.6: the implicit keep then applies, which is the caller's job.
 */
export class SieveRuntimeError extends Error {
  readonly line: number;
  readonly column: number;
  readonly reason: string;
  /** Which of the scripts given to runSieve failed (0-based); set by runSieve. */
  scriptIndex: number | undefined;

  constructor(reason: string, position: SourcePosition) {
    super(`line ${position.line}, column ${position.column}: ${reason}`);
    this.name = 'SieveRuntimeError';
    this.reason = reason;
    this.line = position.line;
    this.column = position.column;
  }
}
