// Maps typed backend failures to tagged NO responses with RFC 5530 response codes.
import type { AclFailure, MailboxFailureCode, TransferFailureCode } from './backend.js';
import { no, type TaggedResult } from './command-handler.js';

const MAILBOX_FAILURES: Readonly<Record<MailboxFailureCode, string>> = {
  NONEXISTENT: 'No such mailbox',
  ALREADYEXISTS: 'Mailbox already exists',
  CANNOT: 'Operation not permitted on this mailbox',
  USEATTR: 'That special-use attribute cannot be set on this mailbox',
  LIMIT: 'Too many mailboxes; delete some first',
  NOPERM: 'You lack the right to do this on this mailbox',
};

const TRANSFER_FAILURES: Readonly<Record<TransferFailureCode, string>> = {
  TRYCREATE: 'Destination mailbox does not exist; create it first',
  NONEXISTENT: 'Destination mailbox does not exist',
  OVERQUOTA: 'Quota exceeded; delete messages to make room',
  TOOBIG: 'Message too large',
  NOPERM: 'You lack the right to do this on this mailbox',
};

const ACL_FAILURES: Readonly<Record<AclFailure['code'], string>> = {
  NONEXISTENT: 'No such mailbox',
  NOPERM: 'You lack the administer right on this mailbox',
  CANNOT: 'That access list change cannot be made',
};

/** `NO [CODE] reason` for a failed mailbox operation. */
export function mailboxFailure(code: MailboxFailureCode): TaggedResult {
  return no(MAILBOX_FAILURES[code], code);
}

/** `NO [CODE] reason` for a failed COPY, MOVE or APPEND. */
export function transferFailure(code: TransferFailureCode): TaggedResult {
  return no(TRANSFER_FAILURES[code], code);
}

/** `NO [CODE] reason` for a failed ACL command (RFC 4314), the store's text when it gave one. */
export function aclFailure(failure: AclFailure): TaggedResult {
  return no(failure.text ?? ACL_FAILURES[failure.code], failure.code);
}

/** `NO [NOPERM] reason`: the user lacks a right (RFC 4314) for a command on the selected mailbox. */
export function noPermission(): TaggedResult {
  return no(MAILBOX_FAILURES.NOPERM, 'NOPERM');
}
