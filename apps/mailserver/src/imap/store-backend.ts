import type { ObjectId } from 'mongodb';
import type {
  AclChange,
  AclEntry,
  AclFailure,
  AppendMessages,
  AppendRequest,
  AppendResult,
  AuthenticateResult,
  ChangeListener,
  ConnectionMeta,
  FetchQuery,
  FetchedMessage,
  ImapBackend,
  ImapUser,
  ListRights,
  MailboxChange,
  MailboxEventListener,
  MailboxListEntry,
  MailboxResult,
  MailboxStatus,
  Namespaces,
  OpenedMailbox,
  QuotaRoot,
  SearchQuery,
  SortRecord,
  SpecialUse,
  StoreRequest,
  StoreResult,
  TransferResult,
} from '@wildduck/imap-core';
import {
  ALL_RIGHTS,
  SYSTEM_FLAGS,
  dropSubscription,
  findMailbox,
  findMailboxById,
  gridFsBodyOpener,
  hasRights,
  keepSubscription,
  mailboxCounters,
  parseObjectId,
  readChanges,
  readerFlags,
  readMessages,
  searchMessages,
  storageUsage,
  toNumber,
  updatePrivateSeen,
  type JournalRead,
  type MailboxDocument,
  type StoreContext,
} from '@wildduck/store';
import type { ChangeBus } from '@wildduck/change-bus';
import type { RateLimiter } from '@wildduck/coordination';
import {
  MailboxAccess,
  MailboxLists,
  MailboxViews,
  OTHER_USERS_NAMESPACE,
  SHARED_FOLDERS_NAMESPACE,
  announceAccountChange,
  changeMailboxAccess,
  isSharedName,
  parseSharedName,
  readAccessList,
  readerSeen,
  rightsOfIdentifier,
  setFlagsAs,
  transferAcrossOwners,
  type AccessibleMailbox,
  type MailboxView,
  SharedJournalReads,
  appendMessages,
  changeHub,
  createMailbox,
  deleteMailbox,
  discardAppend,
  expungeMessages,
  renameMailbox,
  searchView,
  setFlags,
  setSubscription,
  signIn,
  transferMessages,
  type AdminEventSink,
  type JunkReporter,
  type MailContext,
  type SignInLimiters,
} from '@wildduck/mail-service';
import { SortRecordCache } from './sort-record-cache.js';
import { fetchFromView, storeFieldsOf, toFetchedMessage, viewCanFetch } from './fetched-messages.js';
import { mailboxChangesOf, type JournalReader } from './mailbox-changes.js';
import { asksSeen, withReaderSeen, withSeenOf } from './reader-seen.js';
import { sharedListEntries } from './shared-listing.js';
import { MailboxWatch } from './mailbox-watch.js';

/** A signed-in IMAP user: the core's `ImapUser` plus the store id. */
interface StoreUser extends ImapUser {
  readonly objectId: ObjectId;
}

/** What the backend needs from the process. */
export interface StoreBackendOptions {
  ctx: StoreContext;
  bus: ChangeBus;
  /** Failed logins per user (guessing one account's password). */
  userLimiter: RateLimiter;
  /** Failed logins per client address (one client trying many accounts); more generous, for shared NATs. */
  addressLimiter: RateLimiter;
  /** Reports moves into and out of Junk (SPAM / NOT_SPAM). */
  junkReporter?: JunkReporter;
  /** The process's mailbox views (default: views of their own on the bus's change feed). */
  views?: MailboxViews;
  /** Sign-ins go to the administrators' feed here. */
  adminEvents?: AdminEventSink;
}

/** Where a mailbox id or name leads: one of the user's own mailboxes, or another's shared with them. */
type Located =
  /** `box`: the mailbox document, when finding it read it. */
  | { own: ObjectId; box?: MailboxDocument; shared?: undefined }
  | { shared: AccessibleMailbox; own?: undefined; box?: undefined };

/** A journal read, and whose (null: the owner's). */
type ReaderJournalRead = JournalRead & { reader: JournalReader | null };

/** A right the user lacks: NOPERM when they may see the mailbox, else as if it did not exist (RFC 4314 6). */
function refusal(target: AccessibleMailbox, needed: string): 'NOPERM' | 'NONEXISTENT' | null {
  if (hasRights(target.rights, needed)) return null;
  return /[lr]/.test(target.rights) ? 'NOPERM' : 'NONEXISTENT';
}

/**
 * The IMAP core's storage interface on the mail service and the store: core types in, service
 * calls, core types out. Every call is scoped to the signed-in user: mailboxes are looked up by
 * (user, path) or (user, id), so another user's data is never reachable, whatever name or id a
 * client sends. Writes go through the mail service, which stores, journals and announces them.
 */
export class StoreImapBackend implements ImapBackend {
  private readonly ctx: StoreContext;
  private readonly limiters: SignInLimiters;
  /** The mail service's context: writes show in this process's views and lists before they return. */
  private readonly mail: MailContext;
  /** Journal reads shared by the sessions catching up on the same mailbox. */
  private readonly journalReads = new SharedJournalReads<ReaderJournalRead | null>();
  /** One view per open mailbox, shared by every session of this process (packages/mail-service). */
  private readonly views: MailboxViews;
  /** Each active user's mailbox list, so LIST and LSUB cost no store round trip. */
  private readonly lists: MailboxLists;
  /** Sort records of the mailboxes sorted lately (SORT, THREAD). */
  private readonly sortRecordCache: SortRecordCache;
  /** Other users' mailboxes shared with each active user, and the rights (RFC 4314). */
  private readonly access: MailboxAccess;

  constructor(options: StoreBackendOptions) {
    this.views = options.views ?? new MailboxViews(options.ctx, changeHub(options.bus));
    this.lists = new MailboxLists(options.ctx.db, changeHub(options.bus));
    this.access = new MailboxAccess(options.ctx.db, changeHub(options.bus), this.lists);
    this.sortRecordCache = new SortRecordCache(options.ctx.db, options.ctx.locks);
    // SELECT's view load reads the search documents the first SORT would read again: keep their sort records
    this.views.handSortRecordsTo((mailbox, records) => this.sortRecordCache.offer(mailbox, records));
    this.ctx = options.ctx;
    this.limiters = {
      user: options.userLimiter,
      address: options.addressLimiter,
      ...(options.adminEvents ? { events: options.adminEvents } : {}),
    };
    this.mail = {
      ctx: options.ctx,
      bus: options.bus,
      local: {
        views: this.views,
        lists: this.lists,
        // this session's own next report must read after its write, not join an older read
        onMailboxWrite: (_user, mailbox) => this.journalReads.newEpoch(mailbox, null),
      },
      ...(options.junkReporter ? { junkReporter: options.junkReporter } : {}),
    };
  }

  private get db() {
    return this.ctx.db;
  }

  async authenticate(username: string, password: string, meta: ConnectionMeta): Promise<AuthenticateResult> {
    const outcome = await signIn(this.db, this.limiters, username, password, meta.remoteAddress, {
      protocol: 'imap',
    });
    if (!outcome.ok)
      return { ok: false, rateLimited: outcome.rateLimited, ...(outcome.hint ? { hint: outcome.hint } : {}) };
    const { user } = outcome;
    const signedIn: StoreUser = { id: user._id.toHexString(), username: user.address, objectId: user._id };
    return { ok: true, user: signedIn };
  }

  async listMailboxes(user: ImapUser): Promise<readonly MailboxListEntry[]> {
    const [boxes, kept, shared] = await Promise.all([
      this.lists.list(owner(user)),
      this.lists.keptSubscriptions(owner(user)),
      this.access.sharedWith(owner(user)),
    ]);
    const keptNames = new Set(kept);
    const entries: MailboxListEntry[] = boxes.map((box) => ({
      path: box.path,
      subscribed: box.subscribed || keptNames.has(box.path),
      ...(box.specialUse ? { specialUse: box.specialUse as SpecialUse } : {}),
    }));
    // others' mailboxes the user may look up (`l`), under Other Users/ and Shared Folders/
    const sharedEntries = sharedListEntries(shared, keptNames);
    entries.push(...sharedEntries);
    // subscriptions whose mailbox was deleted (RFC 3501 6.3.4) are still subscribed names
    const paths = new Set(entries.map((entry) => entry.path));
    for (const path of kept)
      if (!paths.has(path)) entries.push({ path, subscribed: true, nonExistent: true });
    return entries;
  }

  async createMailbox(
    user: ImapUser,
    path: string,
    options: { specialUse?: SpecialUse },
  ): Promise<MailboxResult> {
    const name = parseSharedName(path);
    if (name) {
      // a child of another user's mailbox, in their account: needs `k` on the parent (RFC 4314)
      const parentName = path.slice(0, path.lastIndexOf('/'));
      const parent = await this.locatePath(user, parentName);
      if (!parent?.shared) return { ok: false, code: 'NOPERM' };
      const refused = refusal(parent.shared, 'k');
      if (refused) return { ok: false, code: refused };
      const result = await createMailbox(this.mail, parent.shared.owner, name.path, null);
      if (!result.ok) return result;
      return { ok: true, ...(result.mailbox ? { mailboxId: result.mailbox.toHexString() } : {}) };
    }
    const result = await createMailbox(this.mail, owner(user), path, options.specialUse ?? null);
    if (!result.ok) return result;
    return { ok: true, ...(result.mailbox ? { mailboxId: result.mailbox.toHexString() } : {}) };
  }

  async renameMailbox(user: ImapUser, from: string, to: string): Promise<MailboxResult> {
    if (isSharedName(from) || isSharedName(to)) {
      // within one other user's account only, with `x` on the mailbox and `k` on the new parent
      const source = await this.locatePath(user, from);
      const target = parseSharedName(to);
      if (!source?.shared || !target) return { ok: false, code: source ? 'NOPERM' : 'NONEXISTENT' };
      const refused = refusal(source.shared, 'x');
      if (refused) return { ok: false, code: refused };
      if (target.owner !== source.shared.ownerAddress) return { ok: false, code: 'NOPERM' };
      // the new parent must be a mailbox of theirs the user may create in: never their top level
      const parent = target.path.includes('/')
        ? await this.locatePath(user, to.slice(0, to.lastIndexOf('/')))
        : null;
      if (!parent?.shared || !hasRights(parent.shared.rights, 'k')) return { ok: false, code: 'NOPERM' };
      const result = await renameMailbox(
        this.mail,
        source.shared.owner,
        source.shared.mailbox.path,
        target.path,
      );
      return result.ok ? { ok: true } : result;
    }
    const result = await renameMailbox(this.mail, owner(user), from, to);
    return result.ok ? { ok: true } : result;
  }

  async deleteMailbox(user: ImapUser, path: string): Promise<MailboxResult> {
    const located = await this.locatePath(user, path);
    if (!located) return { ok: false, code: 'NONEXISTENT' };
    if (located.shared) {
      const refused = refusal(located.shared, 'x');
      if (refused) return { ok: false, code: refused };
      const result = await deleteMailbox(this.mail, located.shared.owner, located.shared.mailbox, {
        keepSubscribed: true,
      });
      return result.ok ? { ok: true } : result;
    }
    const box = await findMailbox(this.db, owner(user), path);
    if (!box) return { ok: false, code: 'NONEXISTENT' };
    const result = await deleteMailbox(this.mail, owner(user), box, { keepSubscribed: true });
    return result.ok ? { ok: true } : result;
  }

  async setSubscribed(user: ImapUser, path: string, subscribed: boolean): Promise<MailboxResult> {
    if (isSharedName(path)) {
      // the user's own subscription to another's mailbox: a subscribed name of theirs
      const located = await this.locatePath(user, path);
      if (subscribed && (!located?.shared || !hasRights(located.shared.rights, 'l')))
        return { ok: false, code: 'NONEXISTENT' };
      if (subscribed) await keepSubscription(this.db, owner(user), path);
      else await dropSubscription(this.db, owner(user), path);
      await announceAccountChange(this.mail, owner(user), {
        kind: subscribed ? 'SUBSCRIBED' : 'UNSUBSCRIBED',
        path,
      });
      return { ok: true };
    }
    const result = await setSubscription(this.mail, owner(user), path, subscribed);
    return result.ok ? { ok: true } : result;
  }

  async status(
    user: ImapUser,
    path: string,
  ): Promise<MailboxStatus | { ok: false; code: 'NONEXISTENT' | 'NOPERM' }> {
    if (isSharedName(path)) return this.sharedStatus(user, path);
    const box = await findMailbox(this.db, owner(user), path);
    if (!box) return { ok: false, code: 'NONEXISTENT' };
    const view = this.views.peek(user.id, box._id!.toHexString());
    if (view) {
      await view.reach(toNumber(box.highestModseq));
      return statusOfView(view, box);
    }
    const counters = await mailboxCounters(this.db, box, this.ctx.locks);
    return {
      messages: counters.messages,
      uidNext: counters.uidNext,
      uidValidity: counters.uidValidity,
      unseen: counters.unseen,
      highestModseq: counters.highestModseq,
      size: counters.size,
      mailboxId: box._id!.toHexString(),
    };
  }

  /** STATUS of another user's mailbox: from the user's own view of it, so UNSEEN is by their \Seen. */
  private async sharedStatus(
    user: ImapUser,
    path: string,
  ): Promise<MailboxStatus | { ok: false; code: 'NONEXISTENT' | 'NOPERM' }> {
    const located = await this.locatePath(user, path);
    if (!located?.shared) return { ok: false, code: 'NONEXISTENT' };
    const target = located.shared;
    const refused = refusal(target, 'r');
    if (refused) return { ok: false, code: refused };
    const held = await this.views.hold(target.owner, target.mailbox._id!, owner(user));
    if (!held) return { ok: false, code: 'NONEXISTENT' };
    try {
      const box = (await findMailboxById(this.db, target.owner, target.mailbox._id!)) ?? target.mailbox;
      await held.view.reach(toNumber(box.highestModseq));
      return statusOfView(held.view, box);
    } finally {
      held.release();
    }
  }

  async openMailbox(
    user: ImapUser,
    path: string,
  ): Promise<OpenedMailbox | { ok: false; code: 'NONEXISTENT' | 'NOPERM' }> {
    const located = await this.locatePath(user, path);
    if (!located) return { ok: false, code: 'NONEXISTENT' };
    const target = located.shared;
    if (target) {
      const refused = refusal(target, 'r');
      if (refused) return { ok: false, code: refused };
    }
    const mailboxOwner = target ? target.owner : owner(user);
    // the shared mailbox's counters as stored now (the list kept in memory may be older)
    const box = located.box ?? (await findMailboxById(this.db, mailboxOwner, target!.mailbox._id!));
    if (!box) return { ok: false, code: 'NONEXISTENT' };
    const held = await this.views.hold(mailboxOwner, box._id!, owner(user));
    if (!held) return { ok: false, code: 'NONEXISTENT' };
    try {
      const view = held.view;
      // the view may lag a bus event behind the store: what the mailbox document shows, SELECT shows
      await view.reach(toNumber(box.highestModseq));
      if (view.gone) return { ok: false, code: 'NONEXISTENT' };
      // keywords in use are defined flags (RFC 3501 7.2.6); the first unseen is SELECT's UNSEEN
      const { keywords, firstUnseenUid } = view.flagSummary();
      return {
        id: box._id!.toHexString(),
        path,
        uidValidity: view.uidValidity,
        uidNext: Math.max(view.uidNext, toNumber(box.uidNext)),
        highestModseq: view.position,
        flags: [...SYSTEM_FLAGS, ...keywords],
        // keywords only for who may write them (RFC 4314 `w`)
        permanentFlags: [
          ...SYSTEM_FLAGS,
          ...keywords,
          ...(!target || hasRights(target.rights, 'w') ? ['\\*'] : []),
        ],
        uids: [...view.uids()],
        firstUnseenUid,
        ...(target ? { rights: target.rights } : {}),
      };
    } finally {
      // the session holds the view from subscribeChanges on; until then it lingers
      held.release();
    }
  }

  async *fetch(
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    query: FetchQuery,
  ): AsyncIterable<FetchedMessage> {
    const view = this.views.peek(user.id, mailboxId);
    const located = await this.locate(user, mailboxId);
    if (!located || (located.shared && refusal(located.shared, 'r'))) return;
    if (view && viewCanFetch(query)) {
      yield* fetchFromView(view, uids, query);
      return;
    }
    const mailbox = located.own ?? located.shared!.mailbox._id!;
    const fields = storeFieldsOf(query);
    const opener = gridFsBodyOpener(this.db);
    // a reader's flags carry their own \Seen: from their view, else from the store
    let seen: ((uid: number) => boolean) | null = null;
    if (located.shared && query.flags) {
      if (view) seen = (uid) => view.get(uid)?.flags.includes('\\Seen') ?? false;
      else {
        const ranges = await readerSeen(this.mail, located.shared, owner(user));
        seen = (uid) => ranges.has(uid);
      }
    }
    // ENVELOPE and BODYSTRUCTURE of an older indexer are computed again and kept (under the owner's lock)
    const upgrade = { locks: this.ctx.locks };
    for await (const record of readMessages(this.db, mailbox, uids, fields, query.changedSince, upgrade)) {
      const message = toFetchedMessage(record, query, opener);
      yield seen ? withSeenOf(message, seen) : message;
    }
  }

  async search(user: ImapUser, mailboxId: string, query: SearchQuery): Promise<readonly number[]> {
    const view = this.views.peek(user.id, mailboxId);
    const located = view && !view.reader ? { own: view.mailbox } : await this.locate(user, mailboxId);
    if (!located || (located.shared && refusal(located.shared, 'r'))) return [];
    const fromView = view ? searchView(view, query) : null;
    if (fromView) return fromView;
    if (located.own) return searchMessages(this.db, located.own, query, this.ctx.locks);
    // the store knows the owner's \Seen: a reader's SEEN/UNSEEN ask their own
    const target = located.shared!;
    let asked = query;
    if (asksSeen(query)) {
      const seen = view
        ? view.uids().filter((uid) => view.get(uid)!.flags.includes('\\Seen'))
        : (await readerSeen(this.mail, target, owner(user))).values();
      asked = withReaderSeen(query, seen);
    }
    return searchMessages(this.db, target.mailbox._id!, asked, this.ctx.locks);
  }

  async sortRecords(
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
  ): Promise<readonly SortRecord[]> {
    const view = this.views.peek(user.id, mailboxId);
    const located = view && !view.reader ? { own: view.mailbox } : await this.locate(user, mailboxId);
    if (!located || (located.shared && refusal(located.shared, 'r'))) return [];
    return this.sortRecordCache.records(located.own ?? located.shared!.mailbox._id!, uids);
  }

  async store(
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    request: StoreRequest,
  ): Promise<StoreResult | { ok: false; code: 'NOPERM' }> {
    const view = this.views.peek(user.id, mailboxId);
    const located = view && !view.reader ? { own: view.mailbox } : await this.locate(user, mailboxId);
    if (!located) return { updated: [], modified: [] };
    const update = {
      action: request.action,
      flags: request.flags,
      ...(request.unchangedSince !== undefined ? { unchangedSince: request.unchangedSince } : {}),
    };
    if (located.own) return setFlags(this.mail, owner(user), located.own, uids, update);
    const result = await setFlagsAs(this.mail, owner(user), located.shared!, uids, update);
    if ('ok' in result) return { ok: false, code: 'NOPERM' };
    return result;
  }

  async copy(
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    destination: string,
  ): Promise<TransferResult> {
    return this.transfer(user, mailboxId, uids, destination, 'copy');
  }

  async move(
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    destination: string,
  ): Promise<TransferResult> {
    return this.transfer(user, mailboxId, uids, destination, 'move');
  }

  private async transfer(
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    destination: string,
    how: 'copy' | 'move',
  ): Promise<TransferResult> {
    const [source, target] = await Promise.all([
      this.reachableById(user, mailboxId),
      this.reachableByName(user, destination),
    ]);
    if (!source) return { ok: false, code: 'NONEXISTENT' };
    const sourceRefused = refusal(source, how === 'move' ? 'rte' : 'r');
    if (sourceRefused) return { ok: false, code: sourceRefused };
    if (!target) return { ok: false, code: isSharedName(destination) ? 'NONEXISTENT' : 'TRYCREATE' };
    const targetRefused = refusal(target, 'i');
    if (targetRefused) return { ok: false, code: targetRefused };
    if (source.owner.equals(target.owner)) {
      const owned = { id: source.owner, address: source.ownerAddress };
      const result = await transferMessages(this.mail, owned, how, source.mailbox, uids, target.mailbox);
      if (!result.ok) return result;
      return { ok: true, uidValidity: result.uidValidity, mapping: result.mapping };
    }
    // between two owners: the messages are stored again for the target's owner, with the flags
    // the user sees, but no \Seen in a mailbox of another user (theirs is the owner's)
    const view = this.views.peek(user.id, mailboxId);
    const seen = source.shared && !view ? await readerSeen(this.mail, source, owner(user)) : null;
    const flagsFor = (uid: number, shared: readonly string[]) => {
      const flags = view?.get(uid)?.flags ?? (seen ? readerFlags(shared, seen.has(uid)) : shared);
      return target.owner.equals(owner(user)) ? flags : flags.filter((flag) => flag !== '\\Seen');
    };
    const result = await transferAcrossOwners(this.mail, how, source, uids, target, flagsFor);
    if (!result.ok) return result;
    return { ok: true, uidValidity: result.uidValidity, mapping: result.mapping };
  }

  async expunge(
    user: ImapUser,
    mailboxId: string,
    uids?: readonly number[],
  ): Promise<readonly number[] | { ok: false; code: 'NOPERM' }> {
    const view = this.views.peek(user.id, mailboxId);
    const located = view && !view.reader ? { own: view.mailbox } : await this.locate(user, mailboxId);
    if (!located) return [];
    if (located.own) return expungeMessages(this.mail, owner(user), located.own, uids);
    const target = located.shared!;
    if (refusal(target, 'e')) return { ok: false, code: 'NOPERM' };
    return expungeMessages(this.mail, target.owner, target.mailbox._id!, uids);
  }

  /**
   * APPEND, and MULTIAPPEND (RFC 3502), which is all or nothing (the mail service removes what was
   * stored of a set that fails). Into another user's mailbox (`i`), the message counts against the
   * owner's quota; the user's \Seen of it is their own, and other flags need `w` (`t` for \Deleted).
   */
  async append(user: ImapUser, path: string, messages: AppendMessages): Promise<AppendResult> {
    if (isSharedName(path)) return this.appendShared(user, path, messages);
    const box = await this.knownMailbox(user, path);
    if (!box) {
      discardAppend(messages);
      return { ok: false, code: 'TRYCREATE' };
    }
    return appendMessages(this.mail, owner(user), box, messages);
  }

  private async appendShared(user: ImapUser, path: string, messages: AppendMessages): Promise<AppendResult> {
    const located = await this.locatePath(user, path);
    const target = located?.shared;
    const refused = target ? refusal(target, 'i') : 'NONEXISTENT';
    if (!target || refused) {
      discardAppend(messages);
      return { ok: false, code: refused ?? 'NONEXISTENT' };
    }
    const mayWrite = hasRights(target.rights, 'w');
    const mayDelete = hasRights(target.rights, 't');
    const seenAsked: boolean[] = [];
    async function* sharedFlags(): AsyncIterable<AppendRequest> {
      for await (const message of messages) {
        seenAsked.push(message.flags.some((flag) => flag.toLowerCase() === '\\seen'));
        const flags = message.flags.filter((flag) =>
          flag.toLowerCase() === '\\seen' ? false : flag.toLowerCase() === '\\deleted' ? mayDelete : mayWrite,
        );
        yield { ...message, flags };
      }
    }
    const result = await appendMessages(this.mail, target.owner, target.mailbox, sharedFlags());
    if (!result.ok || !hasRights(target.rights, 's')) return result;
    const seenUids = result.uids.filter((_uid, index) => seenAsked[index]);
    if (seenUids.length)
      await updatePrivateSeen(this.ctx, target.owner, target.mailbox._id!, owner(user), seenUids, true);
    return result;
  }

  async getQuotaRoots(
    user: ImapUser,
    path: string,
  ): Promise<readonly QuotaRoot[] | { ok: false; code: 'NONEXISTENT' }> {
    const located = await this.locatePath(user, path);
    if (!located) return { ok: false, code: 'NONEXISTENT' };
    // another user's mailbox counts against its owner's quota, a root named by the owner's address
    const root = await (located.shared
      ? this.quotaOf(located.shared.owner, located.shared.ownerAddress)
      : this.getQuota(user, ''));
    return root ? [root] : [];
  }

  async getQuota(user: ImapUser, root: string): Promise<QuotaRoot | null> {
    if (root === '') return this.quotaOf(owner(user), '');
    const shared = (await this.access.sharedWith(owner(user))).find((each) => each.ownerAddress === root);
    return shared ? this.quotaOf(shared.owner, root) : null;
  }

  private async quotaOf(account: ObjectId, name: string): Promise<QuotaRoot | null> {
    const usage = await storageUsage(this.db, account);
    if (!usage || usage.quota === null) return null;
    // RFC 9208 counts STORAGE in units of 1024 octets
    return {
      name,
      resources: [
        {
          name: 'STORAGE',
          usage: Math.ceil(usage.storageUsed / 1024),
          limit: Math.floor(usage.quota / 1024),
        },
      ],
    };
  }

  subscribeChanges(user: ImapUser, mailboxId: string, listener: ChangeListener): () => void {
    // "look now": the mailbox is gone (the session then finds out and ends)
    const lookNow = Number.MAX_SAFE_INTEGER;
    const id = parseObjectId(mailboxId);
    let stop: () => void = () => {};
    let stopped = false;
    if (!id) return stop;
    const held = this.locate(user, mailboxId).then((located) =>
      located ? this.views.hold(located.shared?.owner ?? owner(user), id, owner(user)) : null,
    );
    void held.then(
      (held) => {
        if (!held) return listener(lookNow);
        if (stopped) return held.release();
        const off = held.view.addListener((position) => {
          // a session behind the view's memory reads the journal; it must not join an older read
          this.journalReads.newEpoch(mailboxId, position);
          listener(held.view.gone ? lookNow : position);
        });
        stop = () => {
          off();
          held.release();
        };
      },
      () => listener(lookNow),
    );
    return () => {
      stopped = true;
      stop();
    };
  }

  async changesSince(
    user: ImapUser,
    mailboxId: string,
    modseq: number,
  ): Promise<AsyncIterable<MailboxChange> | null> {
    const view = this.views.peek(user.id, mailboxId);
    const remembered = view?.changesSince(modseq);
    if (remembered) return iterate(remembered as readonly MailboxChange[]);
    const read = await this.sharedJournalRead(user, mailboxId, modseq);
    if (!read) return null;
    return iterate(mailboxChangesOf(read.entries, read.reader));
  }

  /**
   * The journal of the mailbox after `modseq`, read once for every session of this user asking
   * now; for a reader of another's mailbox, with what their own \Seen is.
   */
  private sharedJournalRead(
    user: ImapUser,
    mailboxId: string,
    modseq: number,
  ): Promise<ReaderJournalRead | null> {
    return this.journalReads.read(user.id, mailboxId, modseq, async () => {
      const located = await this.locate(user, mailboxId);
      if (!located || (located.shared && refusal(located.shared, 'r'))) return null;
      const read = await readChanges(this.db, located.own ?? located.shared!.mailbox._id!, modseq);
      if (!read || located.own) return read ? { ...read, reader: null } : null;
      const seen = await readerSeen(this.mail, located.shared!, owner(user));
      return { ...read, reader: { id: owner(user), seen: (uid: number) => seen.has(uid) } };
    });
  }

  // --- access lists (RFC 4314) ---

  namespaces(): Namespaces {
    return {
      personal: [{ prefix: '', delimiter: '/' }],
      otherUsers: [{ prefix: `${OTHER_USERS_NAMESPACE}/`, delimiter: '/' }],
      shared: [{ prefix: `${SHARED_FOLDERS_NAMESPACE}/`, delimiter: '/' }],
    };
  }

  async getAcl(user: ImapUser, path: string): Promise<readonly AclEntry[] | AclFailure> {
    const target = await this.reachableByName(user, path);
    if (!target || !/[lr]/.test(target.rights)) return { ok: false, code: 'NONEXISTENT' };
    const list = await readAccessList(this.mail, target);
    if (!Array.isArray(list)) return list;
    return list.map((entry) => ({ identifier: entry.identifier, rights: entry.rights }));
  }

  async setAcl(
    user: ImapUser,
    path: string,
    identifier: string,
    change: AclChange,
  ): Promise<{ ok: true } | AclFailure> {
    const target = await this.reachableByName(user, path);
    if (!target || !/[lr]/.test(target.rights)) return { ok: false, code: 'NONEXISTENT' };
    const result = await changeMailboxAccess(this.mail, this.access, target, identifier, change);
    return result.ok ? { ok: true } : result;
  }

  async deleteAcl(user: ImapUser, path: string, identifier: string): Promise<{ ok: true } | AclFailure> {
    return this.setAcl(user, path, identifier, { mode: 'replace', rights: '' });
  }

  async listRights(user: ImapUser, path: string, identifier: string): Promise<ListRights | AclFailure> {
    const target = await this.reachableByName(user, path);
    if (!target || !/[lr]/.test(target.rights)) return { ok: false, code: 'NONEXISTENT' };
    const rights = await rightsOfIdentifier(this.mail, target, identifier);
    if (typeof rights !== 'string') return rights;
    // the owner always has every right; anyone else may be given each right on its own
    if (identifier.toLowerCase() === target.ownerAddress) return { required: ALL_RIGHTS, optional: [] };
    return { required: '', optional: [...ALL_RIGHTS] };
  }

  async myRights(user: ImapUser, path: string): Promise<string | AclFailure> {
    const target = await this.reachableByName(user, path);
    if (!target || !target.rights) return { ok: false, code: 'NONEXISTENT' };
    return target.rights;
  }

  /** NOTIFY (RFC 5465): the user's own mailboxes and those shared with them, on every instance. */
  watchMailboxes(user: ImapUser, listener: MailboxEventListener): () => void {
    const watch = new MailboxWatch(changeHub(this.mail.bus), this.lists, this.access, owner(user), listener);
    return () => watch.close();
  }

  // --- finding mailboxes ---

  /** A mailbox by id: the user's own (one store read, as before) or another's shared with them (memory). */
  private async locate(user: ImapUser, mailboxId: string): Promise<Located | null> {
    const id = parseObjectId(mailboxId);
    if (!id) return null;
    const view = this.views.peek(user.id, mailboxId);
    if (!view || view.reader) {
      const own = view ? null : await findMailboxById(this.db, owner(user), id);
      if (own) return { own: own._id! };
      const shared = (await this.access.sharedWith(owner(user))).find((each) => each.mailbox._id!.equals(id));
      return shared ? { shared } : null;
    }
    return { own: view.mailbox };
  }

  /** A mailbox by the name the user gives it: their own by path, another's under a shared namespace. */
  private async locatePath(user: ImapUser, path: string): Promise<Located | null> {
    if (isSharedName(path)) {
      const shared = (await this.access.sharedWith(owner(user))).find((each) => each.name === path);
      return shared ? { shared } : null;
    }
    const box = await findMailbox(this.db, owner(user), path);
    return box ? { own: box._id!, box } : null;
  }

  /** The mailbox with its owner and the user's rights, by id (own mailboxes with every right). */
  private async reachableById(user: ImapUser, mailboxId: string): Promise<AccessibleMailbox | null> {
    const id = parseObjectId(mailboxId);
    if (!id) return null;
    const own = await findMailboxById(this.db, owner(user), id);
    if (own) return ownAccess(user, own);
    return (await this.access.sharedWith(owner(user))).find((each) => each.mailbox._id!.equals(id)) ?? null;
  }

  /** As reachableById, by name; the user's own mailboxes from the list kept in this process. */
  private async reachableByName(user: ImapUser, path: string): Promise<AccessibleMailbox | null> {
    if (isSharedName(path))
      return (await this.access.sharedWith(owner(user))).find((each) => each.name === path) ?? null;
    const box = await this.knownMailbox(user, path);
    return box ? ownAccess(user, box) : null;
  }

  /**
   * A mailbox of the user by path, from the user's mailbox list kept in this process (no store
   * round trip for APPEND and COPY/MOVE targets). Ids never change, so a list a bus event behind
   * at worst names a mailbox just deleted, whose write then fails as NONEXISTENT in the store.
   */
  private async knownMailbox(user: ImapUser, path: string): Promise<MailboxDocument | undefined> {
    return (await this.lists.list(owner(user))).find((box) => box.path === path);
  }
}

function statusOfView(view: MailboxView, box: MailboxDocument): MailboxStatus {
  return {
    messages: view.count,
    uidNext: Math.max(view.uidNext, toNumber(box.uidNext)),
    uidValidity: view.uidValidity,
    unseen: view.unseen(),
    highestModseq: view.position,
    size: view.totalSize(),
    mailboxId: box._id!.toHexString(),
    deleted: view.deletedCount(),
  };
}

function ownAccess(user: ImapUser, mailbox: MailboxDocument): AccessibleMailbox {
  return {
    mailbox,
    owner: owner(user),
    ownerAddress: user.username,
    rights: ALL_RIGHTS,
    name: mailbox.path,
    shared: null,
  };
}

async function* iterate<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

function owner(user: ImapUser): ObjectId {
  return (user as StoreUser).objectId;
}
