/**
 * Which mailboxes a user can reach, their own and those others share with them, with the rights
 * they hold (RFC 4314), answered from memory: every IMAP command and API call on a mailbox asks, so
 * it must cost no store round trip once warm. What is kept and how it is forgotten:
 * - the access list entries naming the user, until an ACL_CHANGED event on the user's feed;
 * - the entries naming a group (`anyone`, `authenticated`), until an event on GROUP_ACL_CHANNEL;
 * - the owners' mailbox lists, through MailboxLists (forgotten on any account event of the owner,
 *   so a rename or delete by the owner shows at once);
 * - owners' addresses (an account keeps its address).
 * Every cache is also forgotten when the bus reconnects.
 */
import { ObjectId, type Db } from 'mongodb';
import {
  ACL_GROUPS,
  ALL_RIGHTS,
  readSharesOf,
  unionRights,
  type AclDocument,
  type MailboxDocument,
} from '@wildduck/store';
import type { ChangeHub, FeedSubscriber } from '../feed/change-hub.js';
import type { MailboxLists } from '../views/mailbox-lists.js';
import {
  OTHER_USERS_NAMESPACE,
  SHARED_FOLDERS_NAMESPACE,
  parseSharedName,
  sharedMailboxName,
  type SharedNamespace,
} from './shared-paths.js';

/** The bus channel of changes to group grants, which concern every user. */
export const GROUP_ACL_CHANNEL = 'acl:groups';

/** The account event kind of a changed access list. */
export const ACL_CHANGED = 'ACL_CHANGED';

/** A mailbox a user can reach, and how. */
export interface AccessibleMailbox {
  /** The mailbox as stored (its `path` is the owner's). */
  readonly mailbox: MailboxDocument;
  readonly owner: ObjectId;
  /** The owner's address; the user's own for their own mailboxes. */
  readonly ownerAddress: string;
  /** RFC 4314 rights, letters of ALL_RIGHTS; all of them for the user's own mailbox. */
  readonly rights: string;
  /** The name the user knows it by: the path for their own, a shared name for another's. */
  readonly name: string;
  /** The namespace of another user's mailbox; null for the user's own. */
  readonly shared: SharedNamespace | null;
}

interface Grants {
  entries: Promise<AclDocument[]> | null;
  generation: number;
}

/** How many owners' addresses are remembered. */
const OWNER_ADDRESSES_KEPT = 10_000;

export class MailboxAccess {
  private readonly userGrants = new Map<string, Grants>();
  private groupGrants: Grants = { entries: null, generation: 0 };
  private readonly ownerAddresses = new Map<string, string>();
  private readonly stopGroupEvents: () => void;
  private readonly stopReconnects: () => void;
  private readonly feeds = new Map<string, { stop: () => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly db: Db,
    private readonly hub: ChangeHub,
    private readonly lists: MailboxLists,
    private readonly idleMs = 60_000,
  ) {
    this.stopGroupEvents = hub.bus.subscribe(GROUP_ACL_CHANNEL, () => this.forgetGroups());
    this.stopReconnects = hub.bus.onReconnect(() => {
      this.forgetGroups();
      for (const key of [...this.userGrants.keys()]) this.forgetUser(key);
    });
  }

  close(): void {
    this.stopGroupEvents();
    this.stopReconnects();
    for (const { stop, timer } of this.feeds.values()) {
      clearTimeout(timer);
      stop();
    }
    this.feeds.clear();
  }

  /** Forgets what is kept of a user's grants (this process changed them; the bus tells the others). */
  forgetUser(user: string): void {
    const grants = this.userGrants.get(user);
    if (!grants) return;
    grants.generation++;
    grants.entries = null;
  }

  /** Forgets the group grants. */
  forgetGroups(): void {
    this.groupGrants.generation++;
    this.groupGrants.entries = null;
  }

  /** Every mailbox of other users this user can reach (any right), by the name the user knows it by. */
  async sharedWith(user: ObjectId): Promise<AccessibleMailbox[]> {
    const userId = user.toHexString();
    const [own, groups] = await Promise.all([this.grantsOf(userId), this.groupEntries()]);
    const byMailbox = new Map<string, { owner: ObjectId; rights: string[]; named: boolean }>();
    for (const entry of [...own, ...groups]) {
      if (entry.owner.equals(user)) continue;
      const key = entry.mailbox.toHexString();
      const found = byMailbox.get(key) ?? { owner: entry.owner, rights: [], named: false };
      found.rights.push(entry.rights);
      if (entry.grantee === userId) found.named = true;
      byMailbox.set(key, found);
    }
    const owners = new Map<string, ObjectId>();
    for (const { owner } of byMailbox.values()) owners.set(owner.toHexString(), owner);
    const result: AccessibleMailbox[] = [];
    await Promise.all(
      [...owners.values()].map(async (owner) => {
        const [boxes, address] = await Promise.all([this.lists.list(owner), this.ownerAddress(owner)]);
        if (!address) return;
        for (const mailbox of boxes) {
          const grant = byMailbox.get(mailbox._id!.toHexString());
          if (!grant) continue;
          const shared = grant.named ? OTHER_USERS_NAMESPACE : SHARED_FOLDERS_NAMESPACE;
          result.push({
            mailbox,
            owner,
            ownerAddress: address,
            rights: unionRights(...grant.rights),
            name: sharedMailboxName(shared, address, mailbox.path),
            shared,
          });
        }
      }),
    );
    return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * A mailbox by the name the user knows it by, with the user's rights; null when there is none the
   * user can reach (whatever the reason: a name of a mailbox the user has no right on finds nothing).
   */
  async byName(user: ObjectId, address: string, name: string): Promise<AccessibleMailbox | null> {
    if (parseSharedName(name))
      return (await this.sharedWith(user)).find((each) => each.name === name) ?? null;
    const mailbox = (await this.lists.list(user)).find((box) => box.path === name);
    return mailbox ? ownMailbox(user, address, mailbox) : null;
  }

  /** A mailbox by id, if the user owns it or it is shared with them; null otherwise. */
  async byId(user: ObjectId, address: string, id: string): Promise<AccessibleMailbox | null> {
    if (!ObjectId.isValid(id) || id.length !== 24) return null;
    const mailbox = (await this.lists.list(user)).find((box) => box._id!.toHexString() === id);
    if (mailbox) return ownMailbox(user, address, mailbox);
    return (await this.sharedWith(user)).find((each) => each.mailbox._id!.toHexString() === id) ?? null;
  }

  private async ownerAddress(owner: ObjectId): Promise<string | null> {
    const key = owner.toHexString();
    const known = this.ownerAddresses.get(key);
    if (known) return known;
    const user = await this.db
      .collection<{ address: string }>('users')
      .findOne({ _id: owner }, { projection: { address: 1 } });
    if (!user) return null;
    if (this.ownerAddresses.size >= OWNER_ADDRESSES_KEPT) this.ownerAddresses.clear();
    this.ownerAddresses.set(key, user.address);
    return user.address;
  }

  private grantsOf(userId: string): Promise<AclDocument[]> {
    this.followUser(userId);
    let grants = this.userGrants.get(userId);
    if (!grants) {
      grants = { entries: null, generation: 0 };
      this.userGrants.set(userId, grants);
    }
    return this.load(grants, () => readSharesOf(this.db, userId));
  }

  private groupEntries(): Promise<AclDocument[]> {
    return this.load(this.groupGrants, async () =>
      (await Promise.all(ACL_GROUPS.map((group) => readSharesOf(this.db, group)))).flat(),
    );
  }

  /** A cached read, shared while current; a read begun before an invalidation is not kept. */
  private async load(grants: Grants, read: () => Promise<AclDocument[]>): Promise<AclDocument[]> {
    if (grants.entries) return grants.entries;
    const generation = grants.generation;
    const loading = read();
    grants.entries = loading;
    loading.catch(() => {
      if (grants.entries === loading) grants.entries = null;
    });
    const value = await loading;
    if (grants.generation !== generation && grants.entries === loading) grants.entries = null;
    return value;
  }

  /** Listens to the user's feed for ACL changes while the user is active here. */
  private followUser(userId: string): void {
    const existing = this.feeds.get(userId);
    if (existing) {
      existing.timer.refresh();
      return;
    }
    const subscriber: FeedSubscriber = {
      notify: (event) => {
        if (event.type === 'account' && event.kind === ACL_CHANGED) this.forgetUser(userId);
      },
      resync: () => this.forgetUser(userId),
    };
    const feed = this.hub.join(new ObjectId(userId), subscriber);
    const timer = setTimeout(() => {
      this.feeds.delete(userId);
      this.hub.leave(feed, subscriber);
      this.userGrants.delete(userId);
    }, this.idleMs);
    timer.unref();
    this.feeds.set(userId, { stop: () => this.hub.leave(feed, subscriber), timer });
  }
}

function ownMailbox(user: ObjectId, address: string, mailbox: MailboxDocument): AccessibleMailbox {
  return {
    mailbox,
    owner: user,
    ownerAddress: address,
    rights: ALL_RIGHTS,
    name: mailbox.path,
    shared: null,
  };
}
