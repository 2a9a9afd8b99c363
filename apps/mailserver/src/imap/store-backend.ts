import type { ObjectId } from 'mongodb';
import type {
  AppendMessages,
  AppendResult,
  AuthenticateResult,
  ChangeListener,
  ConnectionMeta,
  FetchQuery,
  FetchedMessage,
  ImapBackend,
  ImapUser,
  MailboxChange,
  MailboxListEntry,
  MailboxResult,
  MailboxStatus,
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
  SYSTEM_FLAGS,
  findMailbox,
  findMailboxById,
  gridFsBodyOpener,
  mailboxCounters,
  parseObjectId,
  readChanges,
  readMessages,
  searchMessages,
  storageUsage,
  toNumber,
  type JournalRead,
  type MailboxDocument,
  type StoreContext,
} from '@wildduck/store';
import type { ChangeBus } from '@wildduck/change-bus';
import type { RateLimiter } from '@wildduck/coordination';
import {
  MailboxLists,
  MailboxViews,
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
import { mailboxChangesOf } from './mailbox-changes.js';

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
  private readonly journalReads = new SharedJournalReads<JournalRead | null>();
  /** One view per open mailbox, shared by every session of this process (packages/mail-service). */
  private readonly views: MailboxViews;
  /** Each active user's mailbox list, so LIST and LSUB cost no store round trip. */
  private readonly lists: MailboxLists;
  /** Sort records of the mailboxes sorted lately (SORT, THREAD). */
  private readonly sortRecordCache: SortRecordCache;

  constructor(options: StoreBackendOptions) {
    this.views = options.views ?? new MailboxViews(options.ctx, changeHub(options.bus));
    this.lists = new MailboxLists(options.ctx.db, changeHub(options.bus));
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
    const [boxes, kept] = await Promise.all([
      this.lists.list(owner(user)),
      this.lists.keptSubscriptions(owner(user)),
    ]);
    const keptNames = new Set(kept);
    const entries: MailboxListEntry[] = boxes.map((box) => ({
      path: box.path,
      subscribed: box.subscribed || keptNames.has(box.path),
      ...(box.specialUse ? { specialUse: box.specialUse as SpecialUse } : {}),
    }));
    // subscriptions whose mailbox was deleted (RFC 3501 6.3.4) are still subscribed names
    const paths = new Set(boxes.map((box) => box.path));
    for (const path of kept)
      if (!paths.has(path)) entries.push({ path, subscribed: true, nonExistent: true });
    return entries;
  }

  async createMailbox(
    user: ImapUser,
    path: string,
    options: { specialUse?: SpecialUse },
  ): Promise<MailboxResult> {
    const result = await createMailbox(this.mail, owner(user), path, options.specialUse ?? null);
    if (!result.ok) return result;
    return { ok: true, ...(result.mailbox ? { mailboxId: result.mailbox.toHexString() } : {}) };
  }

  async renameMailbox(user: ImapUser, from: string, to: string): Promise<MailboxResult> {
    const result = await renameMailbox(this.mail, owner(user), from, to);
    return result.ok ? { ok: true } : result;
  }

  async deleteMailbox(user: ImapUser, path: string): Promise<MailboxResult> {
    const box = await findMailbox(this.db, owner(user), path);
    if (!box) return { ok: false, code: 'NONEXISTENT' };
    const result = await deleteMailbox(this.mail, owner(user), box, { keepSubscribed: true });
    return result.ok ? { ok: true } : result;
  }

  async setSubscribed(user: ImapUser, path: string, subscribed: boolean): Promise<MailboxResult> {
    const result = await setSubscription(this.mail, owner(user), path, subscribed);
    return result.ok ? { ok: true } : result;
  }

  async status(user: ImapUser, path: string): Promise<MailboxStatus | { ok: false; code: 'NONEXISTENT' }> {
    const box = await findMailbox(this.db, owner(user), path);
    if (!box) return { ok: false, code: 'NONEXISTENT' };
    const view = this.views.peek(user.id, box._id!.toHexString());
    if (view) {
      await view.reach(toNumber(box.highestModseq));
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

  async openMailbox(
    user: ImapUser,
    path: string,
  ): Promise<OpenedMailbox | { ok: false; code: 'NONEXISTENT' }> {
    const box = await findMailbox(this.db, owner(user), path);
    if (!box) return { ok: false, code: 'NONEXISTENT' };
    const held = await this.views.hold(owner(user), box._id!);
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
        path: box.path,
        uidValidity: view.uidValidity,
        uidNext: Math.max(view.uidNext, toNumber(box.uidNext)),
        highestModseq: view.position,
        flags: [...SYSTEM_FLAGS, ...keywords],
        permanentFlags: [...SYSTEM_FLAGS, ...keywords, '\\*'],
        uids: [...view.uids()],
        firstUnseenUid,
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
    if (view && viewCanFetch(query)) {
      yield* fetchFromView(view, uids, query);
      return;
    }
    const mailbox = view?.mailbox ?? (await this.ownedMailbox(user, mailboxId));
    if (!mailbox) return;
    const fields = storeFieldsOf(query);
    const opener = gridFsBodyOpener(this.db);
    // ENVELOPE and BODYSTRUCTURE of an older indexer are computed again and kept (under the user lock)
    const upgrade = { locks: this.ctx.locks };
    for await (const record of readMessages(this.db, mailbox, uids, fields, query.changedSince, upgrade))
      yield toFetchedMessage(record, query, opener);
  }

  async search(user: ImapUser, mailboxId: string, query: SearchQuery): Promise<readonly number[]> {
    const view = this.views.peek(user.id, mailboxId);
    const fromView = view ? searchView(view, query) : null;
    if (fromView) return fromView;
    const mailbox = view?.mailbox ?? (await this.ownedMailbox(user, mailboxId));
    return mailbox ? searchMessages(this.db, mailbox, query, this.ctx.locks) : [];
  }

  async sortRecords(
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
  ): Promise<readonly SortRecord[]> {
    const mailbox =
      this.views.peek(user.id, mailboxId)?.mailbox ?? (await this.ownedMailbox(user, mailboxId));
    return mailbox ? this.sortRecordCache.records(mailbox, uids) : [];
  }

  async store(
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    request: StoreRequest,
  ): Promise<StoreResult> {
    const mailbox =
      this.views.peek(user.id, mailboxId)?.mailbox ?? (await this.ownedMailbox(user, mailboxId));
    if (!mailbox) return { updated: [], modified: [] };
    return setFlags(this.mail, owner(user), mailbox, uids, {
      action: request.action,
      flags: request.flags,
      ...(request.unchangedSince !== undefined ? { unchangedSince: request.unchangedSince } : {}),
    });
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
    const sourceBox = await this.ownedMailboxDocument(user, mailboxId);
    const target = await this.knownMailbox(user, destination);
    if (!sourceBox) return { ok: false, code: 'NONEXISTENT' };
    if (!target) return { ok: false, code: 'TRYCREATE' };
    const owned = { id: owner(user), address: user.username };
    const result = await transferMessages(this.mail, owned, how, sourceBox, uids, target);
    if (!result.ok) return result;
    return { ok: true, uidValidity: result.uidValidity, mapping: result.mapping };
  }

  async expunge(user: ImapUser, mailboxId: string, uids?: readonly number[]): Promise<readonly number[]> {
    const mailbox =
      this.views.peek(user.id, mailboxId)?.mailbox ?? (await this.ownedMailbox(user, mailboxId));
    if (!mailbox) return [];
    return expungeMessages(this.mail, owner(user), mailbox, uids);
  }

  /**
   * APPEND, and MULTIAPPEND (RFC 3502), which is all or nothing (the mail service removes what was
   * stored of a set that fails).
   */
  async append(user: ImapUser, path: string, messages: AppendMessages): Promise<AppendResult> {
    const box = await this.knownMailbox(user, path);
    if (!box) {
      discardAppend(messages);
      return { ok: false, code: 'TRYCREATE' };
    }
    return appendMessages(this.mail, owner(user), box, messages);
  }

  async getQuotaRoots(
    user: ImapUser,
    path: string,
  ): Promise<readonly QuotaRoot[] | { ok: false; code: 'NONEXISTENT' }> {
    if (!(await findMailbox(this.db, owner(user), path))) return { ok: false, code: 'NONEXISTENT' };
    const root = await this.getQuota(user, '');
    return root ? [root] : [];
  }

  async getQuota(user: ImapUser, root: string): Promise<QuotaRoot | null> {
    if (root !== '') return null;
    const usage = await storageUsage(this.db, owner(user));
    if (!usage || usage.quota === null) return null;
    // RFC 9208 counts STORAGE in units of 1024 octets
    return {
      name: '',
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
    void this.views.hold(owner(user), id).then(
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
    return iterate(mailboxChangesOf(read.entries));
  }

  /** The journal of the user's mailbox after `modseq`, read once for every session asking now. */
  private sharedJournalRead(user: ImapUser, mailboxId: string, modseq: number): Promise<JournalRead | null> {
    return this.journalReads.read(user.id, mailboxId, modseq, async () => {
      const mailbox = await this.ownedMailbox(user, mailboxId);
      return mailbox ? readChanges(this.db, mailbox, modseq) : null;
    });
  }

  /**
   * A mailbox of the user by path, from the user's mailbox list kept in this process (no store
   * round trip for APPEND and COPY/MOVE targets). Ids never change, so a list a bus event behind
   * at worst names a mailbox just deleted, whose write then fails as NONEXISTENT in the store.
   */
  private async knownMailbox(user: ImapUser, path: string): Promise<MailboxDocument | undefined> {
    return (await this.lists.list(owner(user))).find((box) => box.path === path);
  }

  /** The mailbox if it belongs to this user, else undefined. */
  private async ownedMailboxDocument(user: ImapUser, mailboxId: string) {
    const id = parseObjectId(mailboxId);
    return id ? ((await findMailboxById(this.db, owner(user), id)) ?? undefined) : undefined;
  }

  /** The mailbox id if it belongs to this user, else undefined (a forged id reaches nothing). */
  private async ownedMailbox(user: ImapUser, mailboxId: string): Promise<ObjectId | undefined> {
    const id = parseObjectId(mailboxId);
    if (!id) return undefined;
    const box = await findMailboxById(this.db, owner(user), id);
    return box?._id;
  }
}

async function* iterate<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

function owner(user: ImapUser): ObjectId {
  return (user as StoreUser).objectId;
}
