// The untagged responses NOTIFY sends for mailboxes other than the selected one: STATUS for
// message events (RFC 5465 5.2-5.4) and LIST for name and subscription changes (5.6, 5.7).
import { MAILBOX_DELIMITER, type MailboxEvent, type MailboxStatus } from '../backend.js';
import { atom, mailbox, type ImapValue } from '../writer/index.js';

/** What changed in a mailbox since its last STATUS: messages came or went, or only flags. */
export type StatusReason = 'messages' | 'flags';

/**
 * `STATUS name (items)` for a mailbox whose messages (or flags only) changed. New and expunged
 * messages need MESSAGES and UIDNEXT (5.2, 5.3); flag changes UIDVALIDITY with HIGHESTMODSEQ under
 * CONDSTORE (5.4). UNSEEN comes always, since any of them changes the unread count a client shows
 * (Dovecot and mox send it too); HIGHESTMODSEQ whenever CONDSTORE is on.
 */
export function statusValues(
  path: string,
  status: MailboxStatus,
  reason: StatusReason,
  condstore: boolean,
): ImapValue[] {
  const items: ImapValue[] = [];
  if (reason === 'messages') items.push(atom('MESSAGES'), status.messages, atom('UIDNEXT'), status.uidNext);
  items.push(atom('UIDVALIDITY'), status.uidValidity, atom('UNSEEN'), status.unseen);
  if (condstore) items.push(atom('HIGHESTMODSEQ'), status.highestModseq);
  return [atom('STATUS'), mailbox(path), items];
}

/**
 * `LIST (attributes) "/" name [("OLDNAME" (old))]` for a created, renamed or deleted mailbox
 * (RFC 5465 5.6 with RFC 5258's \NonExistent and OLDNAME), or for a subscription change (5.7).
 */
export function listValues(
  event: Extract<MailboxEvent, { kind: 'MailboxName' | 'SubscriptionChange' }>,
): ImapValue[] {
  const attributes: string[] = [];
  if (event.kind === 'SubscriptionChange') {
    if (event.subscribed) attributes.push('\\Subscribed');
  } else if (event.deleted) attributes.push('\\NonExistent');
  const values: ImapValue[] = [atom('LIST'), attributes.map(atom), MAILBOX_DELIMITER, mailbox(event.path)];
  if (event.kind === 'MailboxName' && event.oldPath !== undefined && !event.deleted)
    values.push(['OLDNAME', [mailbox(event.oldPath)]]);
  return values;
}
