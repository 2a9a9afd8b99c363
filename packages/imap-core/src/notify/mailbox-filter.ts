// Which NOTIFY event group, if any, reports an event of a mailbox (RFC 5465 section 6). Pure:
// the session hands in what it knows (the selected mailbox, the subscriptions, the namespaces).
import { MAILBOX_DELIMITER } from '../backend.js';
import type { NotifyEventGroup, NotifyFilter } from '../parser/notify-command.js';

/** The events this server reports. */
export type SupportedEvent =
  'MessageNew' | 'MessageExpunge' | 'FlagChange' | 'MailboxName' | 'SubscriptionChange';

/** Prefixes of the other users' and shared namespaces when the backend names none. */
export const DEFAULT_OTHER_PREFIXES = ['Other Users/', 'Shared Folders/'] as const;

/** What matching needs to know besides the path. */
export interface FilterContext {
  /** Path of the selected mailbox, or null when none is selected. */
  readonly selectedPath: string | null;
  /** Paths the user is subscribed to. */
  readonly subscribed: ReadonlySet<string>;
  /** Prefixes of namespaces that are not the user's own (`Other Users/`, ...). */
  readonly otherPrefixes: readonly string[];
}

const MESSAGE_EVENTS: ReadonlySet<string> = new Set(['MessageNew', 'MessageExpunge', 'FlagChange']);

/** True when `filter` covers the mailbox at `path` (SELECTED filters: when it is the selected one). */
export function filterMatches(filter: NotifyFilter, path: string, context: FilterContext): boolean {
  switch (filter.kind) {
    case 'SELECTED':
    case 'SELECTED-DELAYED':
      return path === context.selectedPath;
    case 'PERSONAL':
      return !context.otherPrefixes.some((prefix) => path.startsWith(prefix));
    case 'INBOXES':
      // RFC 5465 6 lets the server decide which mailboxes receive mail; ours delivers to INBOX only
      // (Sieve filing aside), so INBOXES is the user's INBOX
      return path === 'INBOX';
    case 'SUBSCRIBED':
      return context.subscribed.has(path);
    case 'SUBTREE':
      return filter.mailboxes.some((name) => path === name || path.startsWith(name + MAILBOX_DELIMITER));
    case 'MAILBOXES':
      return filter.mailboxes.includes(path);
  }
}

/**
 * The event group that reports `event` of the mailbox at `path`, or null when none does. Groups
 * are tried in the client's order; a matching group with NONE ends the search (its mailboxes get
 * nothing), one without the event lets a later group decide. Message events of the selected
 * mailbox belong to the SELECTED group alone: the others would send STATUS, which RFC 5465 5.2
 * forbids for the selected mailbox. SELECTED groups carry only message events.
 */
export function notifyingGroup(
  groups: readonly NotifyEventGroup[],
  path: string,
  event: SupportedEvent,
  context: FilterContext,
): NotifyEventGroup | null {
  const messageEvent = MESSAGE_EVENTS.has(event);
  const ofSelected = messageEvent && path === context.selectedPath;
  for (const group of groups) {
    const selectedFilter = group.filter.kind === 'SELECTED' || group.filter.kind === 'SELECTED-DELAYED';
    if (selectedFilter !== ofSelected) continue;
    if (!filterMatches(group.filter, path, context)) continue;
    if (group.events.length === 0) return null;
    if (group.events.some((candidate) => candidate.name === event)) return group;
  }
  return null;
}

/** True when some group asks for message events of the mailbox at `path` (for NOTIFY SET STATUS). */
export function wantsMessageEvents(
  groups: readonly NotifyEventGroup[],
  path: string,
  context: FilterContext,
): boolean {
  return ['MessageNew', 'MessageExpunge', 'FlagChange'].some(
    (event) => notifyingGroup(groups, path, event as SupportedEvent, context) !== null,
  );
}
