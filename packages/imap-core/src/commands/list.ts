// LIST (RFC 3501 6.3.8) with LIST-EXTENDED (RFC 5258): selection options SUBSCRIBED, REMOTE,
// RECURSIVEMATCH, SPECIAL-USE (RFC 6154); return options SUBSCRIBED, CHILDREN, SPECIAL-USE and
// STATUS (RFC 5819). \HasChildren/\HasNoChildren and special-use attributes are always sent.
// LIST (SUBSCRIBED) lists subscribed names, also those whose mailbox was deleted (\NonExistent).
import {
  AUTHENTICATED_STATES,
  bad,
  ok,
  type CommandHandler,
  type CommandSession,
} from '../command-handler.js';
import { MAILBOX_DELIMITER, type MailboxListEntry } from '../backend.js';
import { compileListPattern } from '../list-pattern.js';
import type { ListCommand } from '../parser/types.js';
import { atom, mailbox as mailboxName, type ImapValue } from '../writer/index.js';
import { statusResponse, unsupportedStatusItem } from '../status-items.js';
import { sortPathsForListing, subscriptionCandidates } from '../subscription-listing.js';

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
    const entries = await session.backend.listMailboxes(user);
    const existing = sortForListing(entries.filter((entry) => !entry.nonExistent));
    const matchers = command.patterns.map((pattern) => compileListPattern(command.reference, pattern));
    const matches = (path: string) => matchers.some((matcher) => matcher(path));
    const rows: ListRow[] = [];
    if (selection.subscribed) {
      // RFC 5258 3.1: the subscribed names, with \Subscribed; RECURSIVEMATCH adds the parents of
      // subscribed names the patterns leave out, with CHILDINFO ("SUBSCRIBED")
      for (const candidate of subscriptionCandidates(entries, matches, selection.recursiveMatch)) {
        const mailbox = candidate.mailbox;
        if (selection.specialUse && !mailbox?.specialUse) continue;
        rows.push({
          path: candidate.path,
          mailbox,
          subscribed: candidate.subscribed,
          childInfo: candidate.subscribedBelowUnmatched ? 'SUBSCRIBED' : null,
        });
      }
    } else {
      for (const mailbox of existing) {
        if (!matches(mailbox.path)) continue;
        const childInfo =
          selection.recursiveMatch && hasSpecialUseBelowUnmatched(existing, mailbox.path, matches);
        if (selection.specialUse && !mailbox.specialUse && !childInfo) continue;
        rows.push({
          path: mailbox.path,
          mailbox,
          subscribed: mailbox.subscribed,
          childInfo: childInfo ? 'SPECIAL-USE' : null,
        });
      }
    }
    const showSubscribed = selection.subscribed || returnOptions.subscribed;
    for (const row of rows) {
      await session.untagged(...listValues(row, existing, showSubscribed));
      if (returnOptions.status && row.mailbox && !row.mailbox.noSelect) {
        const status = await statusResponse(session, user, row.path, returnOptions.status);
        // a mailbox gone or unreadable meanwhile (RFC 4314 `r`) just has no STATUS line
        if (Array.isArray(status)) await session.untagged(...status);
      }
    }
    return ok('LIST completed');
  },
};

/** One `* LIST` line to send. */
interface ListRow {
  readonly path: string;
  /** The mailbox; null for a subscribed name without one (\NonExistent). */
  readonly mailbox: MailboxListEntry | null;
  readonly subscribed: boolean;
  /** CHILDINFO extended data (RFC 5258 3.5), for RECURSIVEMATCH. */
  readonly childInfo: 'SUBSCRIBED' | 'SPECIAL-USE' | null;
}

/** `LIST (attributes) "/" name [("CHILDINFO" (...))]`. */
function listValues(
  row: ListRow,
  existing: readonly MailboxListEntry[],
  showSubscribed: boolean,
): Parameters<CommandSession['untagged']> {
  const children = hasChildren(existing, row.path);
  const attributes: string[] = [];
  if (row.mailbox?.noSelect) attributes.push('\\Noselect', children ? '\\HasChildren' : '\\HasNoChildren');
  else if (row.mailbox) attributes.push(children ? '\\HasChildren' : '\\HasNoChildren');
  // a name without a mailbox (RFC 5258 3.4: \NonExistent implies \Noselect)
  else attributes.push(...(children ? ['\\HasChildren'] : []), '\\NonExistent');
  if (showSubscribed && row.subscribed) attributes.push('\\Subscribed');
  if (row.mailbox?.specialUse) attributes.push(row.mailbox.specialUse);
  const values: ImapValue[] = [atom('LIST'), attributes.map(atom), MAILBOX_DELIMITER, mailboxName(row.path)];
  if (row.childInfo) values.push(['CHILDINFO', [row.childInfo]]);
  return values;
}

function hasChildren(mailboxes: readonly MailboxListEntry[], path: string): boolean {
  const prefix = path + MAILBOX_DELIMITER;
  return mailboxes.some((mailbox) => mailbox.path.startsWith(prefix));
}

/** RECURSIVEMATCH with SPECIAL-USE: a mailbox with a special use below `path` that the patterns leave out. */
function hasSpecialUseBelowUnmatched(
  mailboxes: readonly MailboxListEntry[],
  path: string,
  matches: (path: string) => boolean,
): boolean {
  const prefix = path + MAILBOX_DELIMITER;
  return mailboxes.some(
    (mailbox) => mailbox.specialUse && mailbox.path.startsWith(prefix) && !matches(mailbox.path),
  );
}

/** INBOX first, then by path, so parents come right before their children. */
export function sortForListing(mailboxes: readonly MailboxListEntry[]): MailboxListEntry[] {
  const byPath = new Map(mailboxes.map((mailbox) => [mailbox.path, mailbox]));
  return sortPathsForListing([...byPath.keys()]).map((path) => byPath.get(path)!);
}
