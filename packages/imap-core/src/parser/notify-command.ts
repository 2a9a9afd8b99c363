/**
 * Grammar of NOTIFY (RFC 5465 section 8): `NOTIFY NONE` or `NOTIFY SET [STATUS] event-group...`,
 * with the rules of sections 5 and 6 a server must answer with BAD: MessageNew and MessageExpunge
 * only together, FlagChange and AnnotationChange only with both, only message events for the
 * selected mailbox, no filter twice. Event names outside the RFC's list are still valid syntax
 * (event-ext); the handler answers them with NO [BADEVENT].
 */
import { Byte } from './characters.js';
import type { FrameCursor } from './cursor.js';
import { readFetchAttributes } from './fetch-attributes.js';
import { fail } from './frame.js';
import { readMailbox } from './names.js';
import type { CommandBase, FetchItem } from './types.js';

/** The events RFC 5465 defines, in its spelling. */
export const NOTIFY_EVENT_NAMES = [
  'MessageNew',
  'MessageExpunge',
  'FlagChange',
  'AnnotationChange',
  'MailboxName',
  'SubscriptionChange',
  'MailboxMetadataChange',
  'ServerMetadataChange',
] as const;

/** Events about messages (RFC 5465 message-event): the only ones SELECTED may carry. */
export const MESSAGE_EVENT_NAMES: ReadonlySet<string> = new Set([
  'MessageNew',
  'MessageExpunge',
  'FlagChange',
  'AnnotationChange',
]);

/** One event of an event group; `name` in the RFC's spelling, or upper-cased when unknown. */
export interface NotifyEvent {
  readonly name: string;
  /** MessageNew's fetch attributes (SELECTED and SELECTED-DELAYED only); empty when none. */
  readonly fetch: readonly FetchItem[];
}

/** Which mailboxes an event group covers (RFC 5465 section 6). */
export type NotifyFilter =
  | { readonly kind: 'SELECTED' | 'SELECTED-DELAYED' | 'PERSONAL' | 'INBOXES' | 'SUBSCRIBED' }
  | { readonly kind: 'SUBTREE' | 'MAILBOXES'; readonly mailboxes: readonly string[] };

/** `(filter events)`; `events` empty for NONE (no events for those mailboxes). */
export interface NotifyEventGroup {
  readonly filter: NotifyFilter;
  readonly events: readonly NotifyEvent[];
}

/** NOTIFY NONE (`set` null) or NOTIFY SET [STATUS] groups. */
export interface NotifyCommand extends CommandBase {
  name: 'NOTIFY';
  set: { readonly status: boolean; readonly groups: readonly NotifyEventGroup[] } | null;
}

const PLAIN_FILTERS = new Set(['SELECTED', 'SELECTED-DELAYED', 'PERSONAL', 'INBOXES', 'SUBSCRIBED']);
const CANONICAL_EVENTS = new Map<string, string>(
  NOTIFY_EVENT_NAMES.map((name) => [name.toUpperCase(), name]),
);

/** NOTIFY SP ("NONE" / "SET" [SP "STATUS"] 1*(SP event-group)). */
export function readNotify(cursor: FrameCursor, base: CommandBase, utf8: boolean): NotifyCommand {
  cursor.expectSpace();
  const verb = cursor.readKeyword('NONE or SET');
  if (verb === 'NONE') return { ...base, name: 'NOTIFY', set: null };
  if (verb !== 'SET') fail(`expected NONE or SET after NOTIFY, not ${verb.slice(0, 40)}`);
  cursor.expectSpace();
  const status = cursor.tryKeyword('STATUS');
  if (status) cursor.expectSpace();
  const groups: NotifyEventGroup[] = [readEventGroup(cursor, utf8)];
  while (cursor.tryByte(Byte.Space)) groups.push(readEventGroup(cursor, utf8));
  checkFiltersOnce(groups);
  return { ...base, name: 'NOTIFY', set: { status, groups } };
}

/** `"(" filter-mailboxes SP events ")"`. */
function readEventGroup(cursor: FrameCursor, utf8: boolean): NotifyEventGroup {
  cursor.openList('a NOTIFY event group');
  const filter = readFilter(cursor, utf8);
  cursor.expectSpace();
  const selected = filter.kind === 'SELECTED' || filter.kind === 'SELECTED-DELAYED';
  const events = cursor.tryKeyword('NONE')
    ? []
    : cursor.readList(() => readEvent(cursor, selected), false, 'a NOTIFY event list');
  cursor.closeList();
  checkEvents(events, selected);
  return { filter, events };
}

function readFilter(cursor: FrameCursor, utf8: boolean): NotifyFilter {
  const kind = cursor.readKeyword('a NOTIFY mailbox filter');
  if (PLAIN_FILTERS.has(kind)) return { kind: kind as 'SELECTED' };
  if (kind !== 'SUBTREE' && kind !== 'MAILBOXES') fail(`unknown NOTIFY mailbox filter ${kind.slice(0, 40)}`);
  cursor.expectSpace();
  // one-or-more-mailbox: a mailbox, or a parenthesised list of them
  const mailboxes =
    cursor.peek() === Byte.OpenParen
      ? cursor.readList(() => readMailbox(cursor, utf8), false, 'a mailbox list')
      : [readMailbox(cursor, utf8)];
  return { kind, mailboxes: [...new Set(mailboxes)] };
}

/** An event name, and for MessageNew of the selected mailbox its optional fetch attributes. */
function readEvent(cursor: FrameCursor, selected: boolean): NotifyEvent {
  const raw = cursor.readKeyword('a NOTIFY event');
  const name = CANONICAL_EVENTS.get(raw) ?? raw;
  if (name === 'MessageNew' && cursor.peek() === Byte.Space && cursor.peek(1) === Byte.OpenParen) {
    // RFC 5465 5.2: the attributes are FETCHed for new messages of the selected mailbox, the only
    // one whose messages the client can name; Dovecot refuses them elsewhere too
    if (!selected) fail('MessageNew fetch attributes are only allowed for SELECTED or SELECTED-DELAYED');
    cursor.expectSpace();
    return { name, fetch: readFetchAttributes(cursor).items };
  }
  return { name, fetch: [] };
}

/** RFC 5465 section 5: the combinations a server must refuse with BAD. */
function checkEvents(events: readonly NotifyEvent[], selected: boolean): void {
  const names = new Set(events.map((event) => event.name));
  if (names.size !== events.length) fail('a NOTIFY event is given twice in one event group');
  if (names.has('MessageNew') !== names.has('MessageExpunge'))
    fail('MessageNew and MessageExpunge must be given together (RFC 5465 5)');
  if ((names.has('FlagChange') || names.has('AnnotationChange')) && !names.has('MessageNew'))
    fail('FlagChange and AnnotationChange need MessageNew and MessageExpunge (RFC 5465 5)');
  if (selected) {
    const other = events.find((event) => !MESSAGE_EVENT_NAMES.has(event.name));
    if (other) fail(`SELECTED takes only message events, not ${other.name.slice(0, 40)} (RFC 5465 6)`);
  }
}

/**
 * A filter may be given once (SELECTED and SELECTED-DELAYED count as one); a mailbox named by
 * two SUBTREE (or two MAILBOXES) groups would be given two sets of events.
 */
function checkFiltersOnce(groups: readonly NotifyEventGroup[]): void {
  const seen = new Set<string>();
  for (const { filter } of groups) {
    const keys =
      'mailboxes' in filter
        ? filter.mailboxes.map((mailbox) => `${filter.kind} ${mailbox}`)
        : [filter.kind === 'SELECTED-DELAYED' ? 'SELECTED' : filter.kind];
    for (const key of keys) {
      if (seen.has(key)) fail(`NOTIFY filter ${key.slice(0, 60)} is given twice`);
      seen.add(key);
    }
  }
}
