// Maps typed backend failures to tagged NO responses with RFC 5530 response codes.
import type { MailboxFailureCode, TransferFailureCode } from './backend.js';
import { no, type TaggedResult } from './command-handler.js';

const MAILBOX_FAILURES: Readonly<Record<MailboxFailureCode, string>> = {
  NONEXISTENT: 'No such mailbox',
  ALREADYEXISTS: 'Mailbox already exists',
  CANNOT: 'Operation not permitted on this mailbox',
  USEATTR: 'That special-use attribute cannot be set on this mailbox',
  LIMIT: 'Too many mailboxes; delete some first',
};

const TRANSFER_FAILURES: Readonly<Record<TransferFailureCode, string>> = {
  TRYCREATE: 'Destination mailbox does not exist; create it first',
  NONEXISTENT: 'Destination mailbox does not exist',
  OVERQUOTA: 'Quota exceeded; delete messages to make room',
  TOOBIG: 'Message too large',
};

/** `NO [CODE] reason` for a failed mailbox operation. */
export function mailboxFailure(code: MailboxFailureCode): TaggedResult {
  return no(MAILBOX_FAILURES[code], code);
}

/** `NO [CODE] reason` for a failed COPY, MOVE or APPEND. */
export function transferFailure(code: TransferFailureCode): TaggedResult {
  return no(TRANSFER_FAILURES[code], code);
}
