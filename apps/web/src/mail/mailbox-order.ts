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

/**
 * The names along the folder's path, from the top ("Projects", "2024"), INBOX called Inbox; just
 * the mailboxLabel for a top-level folder. The path is split at "/", the API's delimiter
 * (PATH_DELIMITER in folder-operations.ts, which imports this module).
 */
export function mailboxPathNames(mailbox: Mailbox): string[] {
  const parts = mailbox.path.split('/');
  if (parts.length === 1) return [mailboxLabel(mailbox)];
  return parts.map((part, at) => (at === 0 && part.toUpperCase() === 'INBOX' ? 'Inbox' : part));
}

/** The folder's label with its parents' names before it ("Projects / 2024"), for a flat list. */
export function mailboxPathLabel(mailbox: Mailbox): string {
  return mailboxPathNames(mailbox).join(PATH_LABEL_SEPARATOR);
}

export const PATH_LABEL_SEPARATOR = ' / ';

export function findSpecial(mailboxes: Mailbox[], use: SpecialUse): Mailbox | undefined {
  return mailboxes.find((mailbox) => specialUseOf(mailbox) === use);
}
