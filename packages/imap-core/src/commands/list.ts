// LIST (RFC 3501 6.3.8) with LIST-EXTENDED (RFC 5258): selection options SUBSCRIBED, REMOTE,
// RECURSIVEMATCH, SPECIAL-USE (RFC 6154); return options SUBSCRIBED, CHILDREN, SPECIAL-USE and
// STATUS (RFC 5819). \HasChildren/\HasNoChildren and special-use attributes are always sent.
import { AUTHENTICATED_STATES, bad, ok, type CommandHandler } from '../command-handler.js';
import { MAILBOX_DELIMITER, type MailboxListEntry } from '../backend.js';
import { compileListPattern } from '../list-pattern.js';
import type { ListCommand } from '../parser/types.js';
import { atom, mailbox as mailboxName, type ImapValue } from '../writer/index.js';
import { statusResponse, unsupportedStatusItem } from '../status-items.js';

/** Lists the user's mailboxes matching the patterns. */
export const listMailboxes: CommandHandler<ListCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    const { selection, returnOptions } = command;
    if (returnOptions.status && unsupportedStatusItem(returnOptions.status)) {
      return bad(`STATUS item ${unsupportedStatusItem(returnOptions.status)} is not supported`);
    }
    if (selection.recursiveMatch && !selection.subscribed && !selection.specialUse) {
      return bad('RECURSIVEMATCH needs another selection option');
    }
    if (!command.extended && command.patterns.length === 1 && command.patterns[0] === '') {
      // RFC 3501: an empty pattern asks for the delimiter and the root.
      await session.untagged(atom('LIST'), [atom('\\Noselect')], MAILBOX_DELIMITER, '');
      return ok('LIST completed');
    }
    const mailboxes = sortForListing(await session.backend.listMailboxes(user));
    const matchers = command.patterns.map((pattern) => compileListPattern(command.reference, pattern));
    const matches = (path: string) => matchers.some((matcher) => matcher(path));
    const showSubscribed = selection.subscribed || returnOptions.subscribed;
    for (const mailbox of mailboxes) {
      if (!matches(mailbox.path)) continue;
      const childInfo = selection.recursiveMatch && hasSubscribedDescendant(mailboxes, mailbox.path);
      const selected =
        (!selection.subscribed || mailbox.subscribed || childInfo) &&
        (!selection.specialUse || mailbox.specialUse);
      if (!selected) continue;
      const attributes = [hasChildren(mailboxes, mailbox.path) ? '\\HasChildren' : '\\HasNoChildren'];
      if (showSubscribed && mailbox.subscribed) attributes.push('\\Subscribed');
      if (mailbox.specialUse) attributes.push(mailbox.specialUse);
      const values: ImapValue[] = [
        atom('LIST'),
        attributes.map(atom),
        MAILBOX_DELIMITER,
        mailboxName(mailbox.path),
      ];
      if (childInfo) values.push(['CHILDINFO', ['SUBSCRIBED']]);
      await session.untagged(...values);
      if (returnOptions.status) {
        const status = await statusResponse(session, user, mailbox.path, returnOptions.status);
        if (status) await session.untagged(...status);
      }
    }
    return ok('LIST completed');
  },
};

function hasChildren(mailboxes: readonly MailboxListEntry[], path: string): boolean {
  const prefix = path + MAILBOX_DELIMITER;
  return mailboxes.some((mailbox) => mailbox.path.startsWith(prefix));
}

function hasSubscribedDescendant(mailboxes: readonly MailboxListEntry[], path: string): boolean {
  const prefix = path + MAILBOX_DELIMITER;
  return mailboxes.some((mailbox) => mailbox.subscribed && mailbox.path.startsWith(prefix));
}

/** INBOX first, then by path, so parents come right before their children. */
export function sortForListing(mailboxes: readonly MailboxListEntry[]): MailboxListEntry[] {
  const key = (path: string) => (path === 'INBOX' || path.startsWith('INBOX/') ? '\0' + path : path);
  return [...mailboxes].sort((a, b) => (key(a.path) < key(b.path) ? -1 : key(a.path) > key(b.path) ? 1 : 0));
}
