// The NOTIFY state of one session (RFC 5465): the client's event groups, the backend's event
// stream while they are set, and the unsolicited responses it turns into. They are written when
// no command is in progress (or during IDLE); while a command runs they wait, so an unsolicited
// LIST or STATUS never mixes with a command's own, and go out once the command is done.
//
// The selected mailbox's changes are the session's usual change report (EXISTS, EXPUNGE or
// VANISHED, FETCH FLAGS), only sent at once: the report advances the mailbox's applied modseq, so
// the next command's report does not repeat them. Without a SELECTED filter they wait for the end
// of the next command, as without NOTIFY, so the client's sequence numbers never fall behind.
import type { MailboxEvent, MailboxEventListener } from '../backend.js';
import type { CommandSession } from '../command-handler.js';
import type { NotifyEvent, NotifyEventGroup } from '../parser/notify-command.js';
import type { SelectedMailbox } from '../selected-mailbox.js';
import type { ImapValue } from '../writer/index.js';
import {
  DEFAULT_OTHER_PREFIXES,
  notifyingGroup,
  wantsMessageEvents,
  type FilterContext,
  type SupportedEvent,
} from './mailbox-filter.js';
import { fetchNewMessages } from './new-message-fetch.js';
import { listValues, statusValues, type StatusReason } from './notify-responses.js';

/** Events of one mailbox within this many milliseconds become one STATUS. */
export const COALESCE_MS = 15;

/** The session as NOTIFY needs it. */
export interface NotifyHost extends CommandSession {
  /** True while a command runs and IDLE is not waiting: unsolicited responses must wait. */
  readonly busy: boolean;
  /** True during IDLE. */
  readonly idling: boolean;
  /** Writes what is gathered (during IDLE the writer is corked by the running command). */
  flushOutput(): Promise<void>;
  logBug(error: unknown, message: string): void;
}

/** Something to tell the client: a mailbox's STATUS (coalesced) or a LIST line. */
type PendingItem =
  { kind: 'status'; path: string; reason: StatusReason } | { kind: 'list'; values: ImapValue[] };

/** The NOTIFY state of a session. */
export class SessionNotifications {
  private groups: readonly NotifyEventGroup[] | null = null;
  private stopWatching: (() => void) | null = null;
  private subscribed = new Set<string>();
  private pending: PendingItem[] = [];
  /** The selected mailbox has news a SELECTED group asked for. */
  private selectedNews = false;
  private timer: NodeJS.Timeout | null = null;
  /** Serialises flushes: each waits for the one before. */
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly host: NotifyHost) {}

  /** True between NOTIFY SET and NOTIFY NONE (or logout). */
  get active(): boolean {
    return this.groups !== null;
  }

  /**
   * NOTIFY SET: replaces the groups, starts the backend's event stream, and with `sendStatus`
   * writes STATUS for every mailbox a group asks message events of (not the selected one: 3.1).
   */
  async set(groups: readonly NotifyEventGroup[], sendStatus: boolean): Promise<void> {
    const { backend, user } = this.host;
    if (!user || !backend.watchMailboxes) return;
    this.stop();
    this.groups = groups;
    const needsMailboxes = sendStatus || groups.some((group) => group.filter.kind === 'SUBSCRIBED');
    const entries = needsMailboxes ? await backend.listMailboxes(user) : [];
    this.subscribed = new Set(entries.filter((entry) => entry.subscribed).map((entry) => entry.path));
    const listener: MailboxEventListener = (event) => this.onEvent(event);
    this.stopWatching = backend.watchMailboxes(user, listener);
    if (!sendStatus) return;
    const context = this.context();
    const condstore = this.host.isEnabled('CONDSTORE');
    for (const entry of entries) {
      if (entry.nonExistent || entry.path === context.selectedPath) continue;
      if (!wantsMessageEvents(groups, entry.path, context)) continue;
      const status = await backend.status(user, entry.path);
      if ('ok' in status) continue;
      await this.host.untagged(...statusValues(entry.path, status, 'messages', condstore));
    }
  }

  /** NOTIFY NONE, logout, connection end: stops the events and forgets what was pending. */
  stop(): void {
    this.stopWatching?.();
    this.stopWatching = null;
    this.groups = null;
    this.pending = [];
    this.selectedNews = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Called when the session stops running commands: what waited goes out now. */
  commandsDone(): void {
    if (this.pending.length || this.selectedNews) this.schedule(0);
  }

  /**
   * After the session reported changes of the selected mailbox: FETCH the attributes MessageNew
   * asked for of the messages the report announced.
   */
  async afterReport(selected: SelectedMailbox, previousLastUid: number): Promise<void> {
    const fetch = this.selectedGroup()?.events.find((event) => event.name === 'MessageNew')?.fetch ?? [];
    if (fetch.length) await fetchNewMessages(this.host, selected, previousLastUid, fetch);
  }

  private onEvent(event: MailboxEvent): void {
    const groups = this.groups;
    if (!groups) return;
    if (event.kind === 'SubscriptionChange') {
      // matched against the subscriptions before and after, so SUBSCRIBED hears of an unsubscribe
      const matched = this.matches(event.path, 'SubscriptionChange');
      if (event.subscribed) this.subscribed.add(event.path);
      else this.subscribed.delete(event.path);
      if (matched || this.matches(event.path, 'SubscriptionChange')) this.enqueueList(listValues(event));
      return;
    }
    if (event.kind === 'MailboxName') {
      const matched =
        this.matches(event.path, 'MailboxName') ||
        (event.oldPath !== undefined && this.matches(event.oldPath, 'MailboxName'));
      this.followName(event);
      if (matched) this.enqueueList(listValues(event));
      return;
    }
    const selected = this.host.selected;
    if (selected && event.mailboxId === selected.id) {
      if (this.selectedGroup()?.events.some((candidate) => candidate.name === event.kind)) {
        this.selectedNews = true;
        this.schedule(0);
      }
      return;
    }
    if (!this.matches(event.path, event.kind)) return;
    this.enqueueStatus(event.path, event.kind === 'FlagChange' ? 'flags' : 'messages');
  }

  /** Keeps the subscriptions known for SUBSCRIBED in step with renames and deletions. */
  private followName(event: Extract<MailboxEvent, { kind: 'MailboxName' }>): void {
    if (event.oldPath === undefined || event.deleted || !this.subscribed.has(event.oldPath)) return;
    this.subscribed.delete(event.oldPath);
    this.subscribed.add(event.path);
  }

  private matches(path: string, event: SupportedEvent): boolean {
    return this.groups !== null && notifyingGroup(this.groups, path, event, this.context()) !== null;
  }

  private selectedGroup(): NotifyEventGroup | undefined {
    return this.groups?.find(
      (group) => group.filter.kind === 'SELECTED' || group.filter.kind === 'SELECTED-DELAYED',
    );
  }

  private context(): FilterContext {
    const { backend, user, selected } = this.host;
    const namespaces = user && backend.namespaces ? backend.namespaces(user) : null;
    const otherPrefixes = namespaces
      ? [...namespaces.otherUsers, ...namespaces.shared].map((namespace) => namespace.prefix).filter(Boolean)
      : [...DEFAULT_OTHER_PREFIXES];
    return { selectedPath: selected?.path ?? null, subscribed: this.subscribed, otherPrefixes };
  }

  /** One STATUS per mailbox while it waits; a message event widens a flags-only one. */
  private enqueueStatus(path: string, reason: StatusReason): void {
    const waiting = this.pending.find((item) => item.kind === 'status' && item.path === path);
    if (waiting?.kind === 'status') {
      if (reason === 'messages') waiting.reason = 'messages';
    } else this.pending.push({ kind: 'status', path, reason });
    this.schedule(COALESCE_MS);
  }

  private enqueueList(values: ImapValue[]): void {
    this.pending.push({ kind: 'list', values });
    this.schedule(COALESCE_MS);
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushing = this.flushing
        .then(() => this.flush())
        .catch((error: unknown) => this.host.logBug(error, 'NOTIFY report failed'));
    }, delayMs);
  }

  /** Writes what is pending, unless a command runs (then `commandsDone` brings it back). */
  private async flush(): Promise<void> {
    const host = this.host;
    const user = host.user;
    if (!this.active || !user || host.disconnected || host.busy) return;
    if (this.selectedNews) {
      this.selectedNews = false;
      // SELECTED: expunges at once (RFC 5465 5.3); SELECTED-DELAYED: they wait for a command
      // that may carry them, or for IDLE
      const immediate = this.selectedGroup()?.filter.kind === 'SELECTED';
      await host.reportChanges(immediate || host.idling);
    }
    const items = this.pending;
    this.pending = [];
    const condstore = host.isEnabled('CONDSTORE');
    for (const [index, item] of items.entries()) {
      const values = await this.responseOf(item, user, condstore);
      // a command began meanwhile: the rest waits for its end rather than join its output
      if (host.busy) {
        this.pending.unshift(...items.slice(index));
        break;
      }
      if (values) await host.untagged(...values);
    }
    if (items.length && !host.busy) await host.flushOutput();
  }

  /** The LIST line, or the STATUS as the store has it now (none for a mailbox gone or selected). */
  private async responseOf(
    item: PendingItem,
    user: NonNullable<NotifyHost['user']>,
    condstore: boolean,
  ): Promise<ImapValue[] | null> {
    if (item.kind === 'list') return item.values;
    // a mailbox selected since is reported by the change report, never by STATUS (5.2)
    if (item.path === this.host.selected?.path) return null;
    const status = await this.host.backend.status(user, item.path);
    return 'ok' in status ? null : statusValues(item.path, status, item.reason, condstore);
  }
}

/** Events of `groups` the server does not report (RFC 5465 5: answered NO [BADEVENT]). */
export function unsupportedEvents(groups: readonly NotifyEventGroup[]): NotifyEvent[] {
  return groups.flatMap((group) => group.events.filter((event) => !SUPPORTED_EVENTS.includes(event.name)));
}

/** The events this server reports, as the BADEVENT code lists them. */
export const SUPPORTED_EVENTS: readonly string[] = [
  'MessageNew',
  'MessageExpunge',
  'FlagChange',
  'MailboxName',
  'SubscriptionChange',
];
