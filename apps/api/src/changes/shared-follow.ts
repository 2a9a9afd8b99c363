/**
 * The mailboxes others share with a viewer, for the viewer's account-wide change subscription: a
 * mailbox's events go out on its OWNER's feed, so the viewer's own feed never carries them. This
 * follows the feeds of the owners of the shared mailboxes the viewer may read (`r`), and passes on
 * only the events of those mailboxes: the owner's other mailboxes and account stay unseen. What is
 * shared is read again when the access lists may have changed (ACL_CHANGED on the viewer's feed,
 * told by the subscription, or on an owner's; anything on the `acl:groups` channel), as the IMAP
 * server's MailboxWatch does.
 */
import { ObjectId } from 'mongodb';
import type { ChangeEvent } from '@wildduck/change-bus';
import { ACL_CHANGED, GROUP_ACL_CHANNEL } from '@wildduck/mail-service';
import type { ChangeHub, FeedSubscriber, UserFeed } from './feed.js';

/** Where the shared mailboxes come from (the API's MailboxAccess, as the viewer reaches it). */
export interface SharedMailboxSource {
  /** The mailboxes shared with the viewer that they may read (`r`), now. */
  list(): Promise<{ id: string; owner: ObjectId }[]>;
  /** Whether the viewer may still read this one (asked before each read of its journal). */
  allowed(mailbox: string): Promise<boolean>;
}

export interface SharedFollowHandlers {
  /** A message event of a followed shared mailbox. */
  onMailboxEvent(event: ChangeEvent & { type: 'mailbox' }): void;
  /** What is shared may have changed: read it again (refresh). */
  onSharingChanged(): void;
  /** An owner's feed lost events (a bus reconnect): look at every followed mailbox again. */
  onResync(): void;
}

interface Joined {
  feed: UserFeed;
  subscriber: FeedSubscriber;
}

export class SharedFollow {
  /** Followed shared mailboxes: mailbox id → owner id (hex). */
  private readonly mailboxes = new Map<string, string>();
  private readonly owners = new Map<string, Joined>();
  private readonly stopGroupEvents: () => void;
  private closed = false;

  constructor(
    private readonly hub: ChangeHub,
    readonly source: SharedMailboxSource,
    private readonly handlers: SharedFollowHandlers,
  ) {
    this.stopGroupEvents = hub.bus.subscribe(GROUP_ACL_CHANNEL, () => handlers.onSharingChanged());
  }

  /** The owner's feed of a followed shared mailbox; undefined for any other. */
  feedOf(mailbox: string): UserFeed | undefined {
    const owner = this.mailboxes.get(mailbox);
    return owner === undefined ? undefined : this.owners.get(owner)?.feed;
  }

  /** Stops following one mailbox until the next refresh finds it shared still. */
  forget(mailbox: string): void {
    this.mailboxes.delete(mailbox);
  }

  /** Reads what is shared again and follows the owners' feeds of that; what came and what went. */
  async refresh(): Promise<{ added: string[]; removed: string[] }> {
    const now = new Map<string, string>();
    for (const shared of await this.source.list()) now.set(shared.id, shared.owner.toHexString());
    if (this.closed) return { added: [], removed: [] };
    const added = [...now.keys()].filter((id) => !this.mailboxes.has(id));
    const removed = [...this.mailboxes.keys()].filter((id) => !now.has(id));
    this.mailboxes.clear();
    for (const [id, owner] of now) this.mailboxes.set(id, owner);
    this.followOwners(new Set(now.values()));
    return { added, removed };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const joined of this.owners.values()) this.hub.leave(joined.feed, joined.subscriber);
    this.owners.clear();
    this.mailboxes.clear();
    this.stopGroupEvents();
  }

  private onOwnerEvent(event: ChangeEvent): void {
    if (event.type === 'mailbox') {
      // only the mailboxes shared with the viewer: never the owner's others
      if (this.mailboxes.has(event.mailbox)) this.handlers.onMailboxEvent(event);
      return;
    }
    // the owner changed an access list, or renamed or deleted a mailbox that may be a shared one
    if (
      event.kind === ACL_CHANGED ||
      event.kind === 'MAILBOX_RENAMED' ||
      event.kind === 'MAILBOX_DELETED' ||
      (event.mailbox !== undefined && this.mailboxes.has(event.mailbox))
    )
      this.handlers.onSharingChanged();
  }

  private followOwners(owners: ReadonlySet<string>): void {
    for (const owner of owners) {
      if (this.owners.has(owner)) continue;
      const subscriber: FeedSubscriber = {
        // set up as soon as joined: the subscription positions its mailboxes when it refreshes
        ready: true,
        notify: (event) => this.onOwnerEvent(event),
        resync: () => this.handlers.onResync(),
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
