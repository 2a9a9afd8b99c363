// How folders are ordered and drawn: INBOX first, then the special-use folders in the usual
// order, then the user's own folders by path.
import type { Mailbox, SpecialUse } from '@/client/api-types';
import type { IconName } from '@/components/icons';

const SPECIAL_ORDER: SpecialUse[] = ['Inbox', 'Drafts', 'Sent', 'Archive', 'Junk', 'Trash'];

const SPECIAL_ICONS: Record<SpecialUse, IconName> = {
  Inbox: 'inbox',
  Drafts: 'drafts',
  Sent: 'sent',
  Junk: 'junk',
  Trash: 'trash',
  Archive: 'archive',
};

/** The mailbox's special use; INBOX counts as Inbox even when the API leaves it unmarked. */
export function specialUseOf(mailbox: Mailbox): SpecialUse | null {
  if (mailbox.specialUse) return mailbox.specialUse;
  return mailbox.path.toUpperCase() === 'INBOX' ? 'Inbox' : null;
}

export function sortMailboxes(mailboxes: Mailbox[]): Mailbox[] {
  const rank = (mailbox: Mailbox) => {
    const special = specialUseOf(mailbox);
    return special ? SPECIAL_ORDER.indexOf(special) : SPECIAL_ORDER.length;
  };
  return [...mailboxes].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
}

export function mailboxIcon(mailbox: Mailbox): IconName {
  const special = specialUseOf(mailbox);
  return special ? SPECIAL_ICONS[special] : 'folder';
}

/** The name people know the folder by ("Inbox" rather than "INBOX"). */
export function mailboxLabel(mailbox: Mailbox): string {
  return specialUseOf(mailbox) === 'Inbox' ? 'Inbox' : mailbox.name;
}

export function findSpecial(mailboxes: Mailbox[], use: SpecialUse): Mailbox | undefined {
  return mailboxes.find((mailbox) => specialUseOf(mailbox) === use);
}
