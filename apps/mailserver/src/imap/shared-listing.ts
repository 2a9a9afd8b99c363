/**
 * LIST entries for other users' mailboxes shared with the user: each one they may look up (`l`)
 * by its shared name, and the levels above it that are no mailbox (`Other Users`, the owner's
 * address, a parent the user may not see) as \Noselect, so `LIST "" %` can walk down to them.
 */
import type { MailboxListEntry } from '@wildduck/imap-core';
import type { AccessibleMailbox } from '@wildduck/mail-service';

export function sharedListEntries(
  shared: readonly AccessibleMailbox[],
  subscribedNames: ReadonlySet<string>,
): MailboxListEntry[] {
  const entries: MailboxListEntry[] = [];
  const names = new Set<string>();
  for (const mailbox of shared) {
    if (!mailbox.rights.includes('l')) continue;
    names.add(mailbox.name);
    entries.push({ path: mailbox.name, subscribed: subscribedNames.has(mailbox.name) });
  }
  const levels = new Set<string>();
  for (const name of names) {
    const segments = name.split('/');
    for (let depth = 1; depth < segments.length; depth++) {
      const level = segments.slice(0, depth).join('/');
      if (!names.has(level)) levels.add(level);
    }
  }
  for (const level of levels) entries.push({ path: level, subscribed: false, noSelect: true });
  return entries;
}
