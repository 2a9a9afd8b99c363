/**
 * What NOTIFY (RFC 5465) hears of one user: changes of their own mailboxes and account from their
 * feed, and changes of others' mailboxes shared with them from those owners' feeds, all on the bus,
 * so a change made through any instance is heard. Events say which mailbox by the name the user
 * knows it by; the IMAP core decides what to send.
 */
import { ObjectId } from 'mongodb';
import type { ChangeEvent } from '@wildduck/change-bus';
import type { MailboxEvent, MailboxEventListener } from '@wildduck/imap-core';
import {
  ACL_CHANGED,
  GROUP_ACL_CHANNEL,
  type AccessibleMailbox,
  type ChangeHub,
  type FeedSubscriber,
  type MailboxAccess,
  type MailboxLists,
  type UserFeed,
} from '@wildduck/mail-service';

interface Joined {
  feed: UserFeed;
  subscriber: FeedSubscriber;
}

export class MailboxWatch {
  private readonly own: Joined;
  private readonly owners = new Map<string, Joined>();
  /** The shared mailboxes the user may look up, by mailbox id, as last read. */
  private shared = new Map<string, AccessibleMailbox>();
  private readonly stopGroupEvents: () => void;
  private refreshing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly hub: ChangeHub,
    private readonly lists: MailboxLists,
    private readonly access: MailboxAccess,
    private readonly user: ObjectId,
    private readonly listener: MailboxEventListener,
  ) {
    const subscriber: FeedSubscriber = {
      notify: (event) => void this.onOwnEvent(event).catch(() => {}),
      resync: () => this.refreshSoon(),
    };
    this.own = { feed: hub.join(user, subscriber), subscriber };
    this.stopGroupEvents = hub.bus.subscribe(GROUP_ACL_CHANNEL, () => this.refreshSoon());
    this.refreshing = this.refresh(false).catch(() => {});
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hub.leave(this.own.feed, this.own.subscriber);
    for (const joined of this.owners.values()) this.hub.leave(joined.feed, joined.subscriber);
    this.owners.clear();
    this.stopGroupEvents();
  }

  private emit(event: MailboxEvent): void {
    if (!this.closed) this.listener(event);
  }

  private async onOwnEvent(event: ChangeEvent): Promise<void> {
    if (event.type === 'mailbox') {
      const box = (await this.lists.list(this.user)).find(
        (each) => each._id!.toHexString() === event.mailbox,
      );
      if (box) this.emitMessageEvents(event, box._id!.toHexString(), box.path);
      return;
    }
    switch (event.kind) {
      case 'MAILBOX_CREATED':
        if (event.path) this.emit({ kind: 'MailboxName', path: event.path });
        break;
      case 'MAILBOX_RENAMED':
        if (event.path && event.oldPath)
          this.emit({ kind: 'MailboxName', path: event.path, oldPath: event.oldPath });
        break;
      case 'MAILBOX_DELETED':
        if (event.path) this.emit({ kind: 'MailboxName', path: event.path, deleted: true });
        break;
      case 'SUBSCRIBED':
      case 'UNSUBSCRIBED':
        if (event.path)
          this.emit({
            kind: 'SubscriptionChange',
            path: event.path,
            subscribed: event.kind === 'SUBSCRIBED',
          });
        break;
      case ACL_CHANGED:
        this.refreshSoon();
        break;
    }
  }

  private onOwnerEvent(event: ChangeEvent): void {
    if (event.type === 'mailbox') {
      const shared = this.shared.get(event.mailbox);
      if (shared) this.emitMessageEvents(event, event.mailbox, shared.name);
      return;
    }
    // a shared mailbox renamed or deleted by its owner, or its access list changed
    if (event.mailbox && (this.shared.has(event.mailbox) || event.kind === ACL_CHANGED)) this.refreshSoon();
    else if (event.kind === 'MAILBOX_RENAMED' || event.kind === 'MAILBOX_DELETED') this.refreshSoon();
  }

  private emitMessageEvents(event: ChangeEvent & { type: 'mailbox' }, mailboxId: string, path: string): void {
    // an event that does not say what changed may be either
    const kinds: MailboxEvent['kind'][] =
      event.change === 'new'
        ? ['MessageNew']
        : event.change === 'expunge'
          ? ['MessageExpunge']
          : event.change === 'flags'
            ? ['FlagChange']
            : ['MessageNew', 'MessageExpunge'];
    for (const kind of kinds) this.emit({ kind, mailboxId, path } as MailboxEvent);
  }

  /** After the caches that the same event makes forget (MailboxAccess, MailboxLists) have forgotten. */
  private refreshSoon(): void {
    setTimeout(() => {
      this.refreshing = this.refreshing.then(() => this.refresh(true)).catch(() => {});
    }, 0);
  }

  /** Reads what is shared with the user again; with `tell`, mailboxes that came, went or moved are MailboxName events. */
  private async refresh(tell: boolean): Promise<void> {
    if (this.closed) return;
    const now = new Map<string, AccessibleMailbox>();
    for (const mailbox of await this.access.sharedWith(this.user))
      if (mailbox.rights.includes('l')) now.set(mailbox.mailbox._id!.toHexString(), mailbox);
    if (tell) {
      for (const [id, mailbox] of now) {
        const before = this.shared.get(id);
        if (!before) this.emit({ kind: 'MailboxName', path: mailbox.name });
        else if (before.name !== mailbox.name)
          this.emit({ kind: 'MailboxName', path: mailbox.name, oldPath: before.name });
      }
      for (const [id, mailbox] of this.shared)
        if (!now.has(id)) this.emit({ kind: 'MailboxName', path: mailbox.name, deleted: true });
    }
    this.shared = now;
    this.followOwners(new Set([...now.values()].map((mailbox) => mailbox.owner.toHexString())));
  }

  private followOwners(owners: ReadonlySet<string>): void {
    if (this.closed) return;
    for (const owner of owners) {
      if (this.owners.has(owner)) continue;
      const subscriber: FeedSubscriber = {
        notify: (event) => this.onOwnerEvent(event),
        resync: () => this.refreshSoon(),
      };
      this.owners.set(owner, { feed: this.hub.join(new ObjectId(owner), subscriber), subscriber });
    }
    for (const [owner, joined] of this.owners)
      if (!owners.has(owner)) {
        this.hub.leave(joined.feed, joined.subscriber);
        this.owners.delete(owner);
      }
  }
}
