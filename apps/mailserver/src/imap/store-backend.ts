import type { ObjectId } from 'mongodb';
import { binarySection, openSection } from '@wildduck/mime';
import type {
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
  MailboxChange,
  MailboxListEntry,
  MailboxResult,
  MailboxStatus,
  OpenedMailbox,
  QuotaRoot,
  SearchQuery,
  SortRecord,
  SectionContent,
  SpecialUse,
  UndecodableSection,
  StoreRequest,
  StoreResult,
  TransferResult,
} from '@wildduck/imap-core';
import {
  SYSTEM_FLAGS,
  appendMessage,
  authenticateUser,
  copyMessages,
  createMailbox,
  deleteMailboxAndMessages,
  expungeDeleted,
  findMailbox,
  findMailboxById,
  gridFsBodyOpener,
  mailboxCounters,
  moveMessages,
  normalizeAddress,
  normalizeFlags,
  parseObjectId,
  readChanges,
  readMessages,
  removeMessages,
  findRemovable,
  findSubmittedCopy,
  keepSubscription,
  renameMailbox,
  searchMessages,
  setSubscribed,
  snapshotMailbox,
  storageUsage,
  updateFlags,
  toNumber,
  type JournalRead,
  type MailboxDocument,
  type MessageFields,
  type StoreContext,
} from '@wildduck/store';
import type { ChangeBus } from '@wildduck/change-bus';
import type { RateLimiter } from '@wildduck/coordination';
import { MailboxLists, MailboxViews, changeHub, searchView, type MailboxView } from '@wildduck/mail-service';
import { SortRecordCache } from './sort-record-cache.js';
import { toCoreBodyStructure, toCoreEnvelope, toMimeSection } from './structures.js';
import type { JunkReporter } from '@wildduck/delivery';

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
}

/**
 * The IMAP core's storage interface on the MongoDB store. Every call is scoped to the signed-in
 * user: mailboxes are looked up by (user, path) or (user, id), so another user's data is never
 * reachable, whatever name or id a client sends. Every change is announced on the change bus.
 */
export class StoreImapBackend implements ImapBackend {
  private readonly ctx: StoreContext;
  private readonly bus: ChangeBus;
  private readonly userLimiter: RateLimiter;
  private readonly addressLimiter: RateLimiter;
  private readonly junkReporter: JunkReporter | undefined;
  /**
   * Journal reads in flight, shared by the sessions that ask for the same one: a delivery to a
   * user with 50 idling sessions on this instance costs one read, not 50. A read may be shared only
   * within one epoch of its mailbox: every change announced (a new bus event, or a write by this
   * backend) starts a new epoch, so nobody joins a read that began before a change it must see.
   */
  private readonly journalReads = new Map<string, Promise<JournalRead | null>>();
  private readonly mailboxEpochs = new Map<string, { epoch: number; mark: number | null }>();
  private reconnects = 0;
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
    this.junkReporter = options.junkReporter;
    this.ctx = options.ctx;
    this.bus = options.bus;
    this.userLimiter = options.userLimiter;
    this.addressLimiter = options.addressLimiter;
  }

  private get db() {
    return this.ctx.db;
  }

  async authenticate(username: string, password: string, meta: ConnectionMeta): Promise<AuthenticateResult> {
    const userKey = normalizeAddress(username) ?? username.toLowerCase();
    const addressKey = meta.remoteAddress;
    if ((await this.userLimiter.isLimited(userKey)) || (await this.addressLimiter.isLimited(addressKey))) {
      return { ok: false, rateLimited: true };
    }
    const user = await authenticateUser(this.db, username, password);
    if (!user) {
      await Promise.all([this.userLimiter.hit(userKey), this.addressLimiter.hit(addressKey)]);
      return { ok: false, rateLimited: false };
    }
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
    const specialUse = options.specialUse ?? null;
    const result = await createMailbox(this.db, owner(user), path, specialUse, this.ctx.locks);
    if (!result.ok) return result;
    await this.announceAccount(user, { kind: 'MAILBOX_CREATED', path });
    return { ok: true, ...(result.mailbox ? { mailboxId: result.mailbox.toHexString() } : {}) };
  }

  async renameMailbox(user: ImapUser, from: string, to: string): Promise<MailboxResult> {
    if (from === 'INBOX') return this.renameInbox(user, to);
    const result = await renameMailbox(this.ctx, owner(user), from, to);
    if (!result.ok) return result;
    await this.announceAccount(user, { kind: 'MAILBOX_RENAMED', path: to, oldPath: from });
    return { ok: true };
  }

  /** RFC 3501 6.3.5: renaming INBOX moves its messages into a new mailbox; INBOX stays, empty. */
  private async renameInbox(user: ImapUser, to: string): Promise<MailboxResult> {
    const created = await createMailbox(this.db, owner(user), to, null, this.ctx.locks);
    if (!created.ok) return created;
    const inbox = await findMailbox(this.db, owner(user), 'INBOX');
    if (!inbox) return { ok: false, code: 'NONEXISTENT' };
    const uids = (await snapshotMailbox(this.db, inbox)).uids;
    const moved = await moveMessages(this.ctx, owner(user), inbox._id!, uids, created.mailbox!);
    if (moved.ok) {
      await this.announce(user, inbox._id!, moved.sourceModseq ?? 0);
      await this.announce(user, created.mailbox!, moved.destinationModseq);
    }
    await this.announceAccount(user, { kind: 'MAILBOX_CREATED', path: to });
    return { ok: true };
  }

  async deleteMailbox(user: ImapUser, path: string): Promise<MailboxResult> {
    if (path === 'INBOX') return { ok: false, code: 'CANNOT' };
    const box = await findMailbox(this.db, owner(user), path);
    if (!box) return { ok: false, code: 'NONEXISTENT' };
    if (!(await deleteMailboxAndMessages(this.ctx, owner(user), box._id!)))
      return { ok: false, code: 'NONEXISTENT' };
    // RFC 3501 6.3.4: deleting a mailbox does not unsubscribe its name
    if (box.subscribed) await keepSubscription(this.db, owner(user), path);
    await this.announceAccount(user, { kind: 'MAILBOX_DELETED', path, mailbox: box._id!.toHexString() });
    return { ok: true };
  }

  async setSubscribed(user: ImapUser, path: string, subscribed: boolean): Promise<MailboxResult> {
    const result = await setSubscribed(this.db, owner(user), path, subscribed);
    // other instances keep mailbox lists too: they forget this user's on any account event
    if (result.ok)
      await this.announceAccount(user, { kind: subscribed ? 'SUBSCRIBED' : 'UNSUBSCRIBED', path });
    return result;
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
    // EMAILID (the document's id) and SAVEDATE are not in the view: they read the messages
    const fromStoreOnly = query.emailId || query.saveDate;
    if (
      view &&
      !query.envelope &&
      !query.bodyStructure &&
      !query.preview &&
      !fromStoreOnly &&
      !query.sections?.length
    ) {
      yield* fetchFromView(view, uids, query);
      return;
    }
    const mailbox = view?.mailbox ?? (await this.ownedMailbox(user, mailboxId));
    if (!mailbox) return;
    const fields: MessageFields = {
      flags: !!query.flags,
      internalDate: !!query.internalDate,
      size: !!query.size,
      modseq: !!query.modseq,
      envelope: !!query.envelope,
      bodyStructure: !!query.bodyStructure,
      // PREVIEW: the snippet the webmail list shows
      preview: !!query.preview,
      saveDate: !!query.saveDate,
      // a FLAGS or ENVELOPE fetch never reads the MIME tree or any body
      content: !!query.sections?.length,
    };
    const opener = gridFsBodyOpener(this.db);
    // ENVELOPE and BODYSTRUCTURE of an older indexer are computed again and kept (under the user lock)
    const upgrade = { locks: this.ctx.locks };
    for await (const record of readMessages(this.db, mailbox, uids, fields, query.changedSince, upgrade)) {
      const message: { -readonly [K in keyof FetchedMessage]: FetchedMessage[K] } = { uid: record.uid };
      if (record.flags) message.flags = record.flags;
      if (record.internalDate) message.internalDate = record.internalDate;
      if (record.size !== undefined) message.size = record.size;
      if (query.modseq && record.modseq !== undefined) message.modseq = record.modseq;
      if (record.envelope) message.envelope = toCoreEnvelope(record.envelope);
      if (record.bodyStructure) message.bodyStructure = toCoreBodyStructure(record.bodyStructure);
      if (record.preview !== undefined) message.preview = record.preview;
      // OBJECTID (RFC 8474): the message document's id, the id the GraphQL API gives the message;
      // the store keeps no thread ids, so THREADID is NIL
      if (query.emailId) message.emailId = record.id.toHexString();
      if (query.threadId) message.threadId = null;
      if (record.saveDate) message.saveDate = record.saveDate;
      if (query.sections && record.content) {
        const content = record.content;
        message.sections = query.sections.map((section): SectionContent | UndecodableSection | null => {
          const { spec, partial } = toMimeSection(section);
          // BINARY: decoded lazily, so BINARY.SIZE (the indexed decoded size) reads no body
          if (section.binary) return binarySection(content, spec.part, opener, partial);
          const opened = openSection(content, spec, opener, partial);
          return opened ? { length: opened.length, open: () => opened.stream } : null;
        });
      }
      yield message;
    }
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
    const view = this.views.peek(user.id, mailboxId);
    const mailbox = view?.mailbox ?? (await this.ownedMailbox(user, mailboxId));
    if (!mailbox) return { updated: [], modified: [] };
    const update = {
      action: request.action,
      flags: request.flags,
      ...(request.unchangedSince !== undefined ? { unchangedSince: request.unchangedSince } : {}),
    };
    // CONDSTORE: a message the view already shows changed after UNCHANGEDSINCE has certainly failed
    // it (MODSEQs only grow); only the others need the store's check, made under the lock
    const failed =
      view && request.unchangedSince !== undefined ? view.changedAfter(uids, request.unchangedSince) : [];
    const rest = failed.length ? uids.filter((uid) => !failed.includes(uid)) : uids;
    const result = rest.length
      ? await updateFlags(this.ctx, owner(user), mailbox, rest, update)
      : { updated: [], modified: [] };
    const changed = result.updated.filter((entry) => entry.changed);
    view?.applyOwnFlagChanges(changed);
    if (changed.length) await this.announce(user, mailbox, Math.max(...changed.map((entry) => entry.modseq)));
    if (!failed.length) return result;
    return { updated: result.updated, modified: [...result.modified, ...failed].sort((a, b) => a - b) };
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
    const source = sourceBox._id!;
    const result =
      how === 'copy'
        ? await copyMessages(this.ctx, owner(user), source, uids, target._id!)
        : await moveMessages(this.ctx, owner(user), source, uids, target._id!);
    if (!result.ok) return result;
    if (result.mapping.length) {
      await this.announce(user, target._id!, result.destinationModseq);
      if (how === 'move') await this.announce(user, source, result.sourceModseq ?? 0);
      // a COPY into Junk counts too: clients that cannot MOVE copy, then delete and expunge
      this.junkReporter?.afterTransfer(
        { id: owner(user), address: user.username },
        reportMailbox(sourceBox),
        reportMailbox(target),
        result.mapping.map(([, targetUid]) => targetUid),
      );
    }
    return { ok: true, uidValidity: result.uidValidity, mapping: result.mapping };
  }

  async expunge(user: ImapUser, mailboxId: string, uids?: readonly number[]): Promise<readonly number[]> {
    const mailbox =
      this.views.peek(user.id, mailboxId)?.mailbox ?? (await this.ownedMailbox(user, mailboxId));
    if (!mailbox) return [];
    const removed = await expungeDeleted(this.ctx, owner(user), mailbox, uids);
    if (removed.length) await this.announce(user, mailbox, 0);
    return removed;
  }

  /**
   * APPEND, and MULTIAPPEND (RFC 3502), which is all or nothing: when one message of the set cannot
   * be stored, the ones already stored are removed again before the failure is answered.
   */
  async append(user: ImapUser, path: string, messages: AppendMessages): Promise<AppendResult> {
    const box = await this.knownMailbox(user, path);
    if (!box) {
      // a streamed APPEND's unread messages are thrown away by the core as they arrive
      if (Array.isArray(messages))
        for (const request of messages as AppendRequest[]) request.message.resume();
      return { ok: false, code: 'TRYCREATE' };
    }
    const stored: {
      uid: number;
      id: ObjectId;
      modseq: number;
      size: number;
      flags: string[];
      internalDate: Date;
    }[] = [];
    let uidValidity = 0;
    let modseq = 0;
    /** What was stored of a set that then failed is removed again: all or nothing. */
    const removeStored = async (): Promise<void> => {
      if (!stored.length) return;
      await removeMessages(
        this.ctx,
        owner(user),
        box._id!,
        await findRemovable(this.db, {
          mailbox: box._id,
          _id: { $in: stored.map((message) => message.id) },
        }),
      );
      await this.announce(user, box._id!, 0);
    };
    // a streamed APPEND: each message is stored while it arrives, the next one read after it
    const pending: AppendRequest[] = Array.isArray(messages) ? [...(messages as AppendRequest[])] : [];
    try {
      for await (const request of messages) {
        pending.shift();
        // the date is chosen here, so the mailbox view can show the message without reading it back
        const internalDate = request.internalDate ?? new Date();
        const options = { flags: request.flags, expectedSize: request.size, internalDate };
        const result = await appendMessage(this.ctx, owner(user), box._id!, request.message, options);
        if (!result.ok) {
          for (const rest of pending) rest.message.resume();
          await removeStored();
          return result;
        }
        stored.push({
          uid: result.uid,
          id: result.id,
          modseq: result.modseq,
          size: result.size,
          flags: normalizeFlags(request.flags),
          internalDate,
        });
        uidValidity = result.uidValidity;
        modseq = result.modseq;
      }
    } catch (error) {
      // the client's command was refused part way (or the connection dropped): nothing is kept
      await removeStored();
      throw error;
    }
    if (stored.length === 1 && box.specialUse === '\\Sent') {
      const kept = await this.keepSubmittedCopy(user, box._id!, stored[0]!.id);
      if (kept !== null) return { ok: true, uids: [kept], uidValidity };
    }
    const view = this.views.peek(user.id, box._id!.toHexString());
    for (const message of stored)
      view?.applyOwnArrival({ ...message, internalDate: message.internalDate.getTime() });
    await this.announce(user, box._id!, modseq);
    return { ok: true, uids: stored.map((message) => message.uid), uidValidity };
  }

  /**
   * A client's APPEND to Sent of a message that submission already filed there (most clients copy
   * what they sent into Sent themselves): the new copy is dropped and the filed one's UID answered,
   * as Gmail does, so Sent does not show every message twice. Null when it is no such duplicate.
   */
  private async keepSubmittedCopy(
    user: ImapUser,
    mailbox: ObjectId,
    appended: ObjectId,
  ): Promise<number | null> {
    const filed = await findSubmittedCopy(this.db, mailbox, appended);
    if (!filed) return null;
    await removeMessages(
      this.ctx,
      owner(user),
      mailbox,
      await findRemovable(this.db, { _id: appended, mailbox }),
    );
    await this.announce(user, mailbox, 0);
    return filed.uid;
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
          this.newEpoch(mailboxId, position);
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
    const changes: MailboxChange[] = [];
    for (const entry of read.entries) {
      if (entry.uid === null) continue;
      if (entry.kind === 'EXISTS') changes.push({ kind: 'EXISTS', uid: entry.uid, modseq: entry.modseq });
      else if (entry.kind === 'EXPUNGE')
        changes.push({ kind: 'EXPUNGE', uid: entry.uid, modseq: entry.modseq });
      // a FLAGS entry without flags only fills a MODSEQ another writer gave up (journal.ts)
      else if (entry.kind === 'FLAGS' && entry.flags)
        changes.push({ kind: 'FLAGS', uid: entry.uid, flags: entry.flags, modseq: entry.modseq });
    }
    return (async function* () {
      yield* changes;
    })();
  }

  /** The journal of the user's mailbox after `modseq`, read once for every session asking now. */
  private sharedJournalRead(user: ImapUser, mailboxId: string, modseq: number): Promise<JournalRead | null> {
    const epoch = this.mailboxEpochs.get(mailboxId)?.epoch ?? 0;
    const key = `${user.id}:${mailboxId}:${modseq}:${epoch}:${this.reconnects}`;
    const inFlight = this.journalReads.get(key);
    if (inFlight) return inFlight;
    const read = (async () => {
      const mailbox = await this.ownedMailbox(user, mailboxId);
      return mailbox ? readChanges(this.db, mailbox, modseq) : null;
    })();
    this.journalReads.set(key, read);
    // only reads in flight are shared; a settled one is never reused
    void read.then(
      () => this.journalReads.delete(key),
      () => this.journalReads.delete(key),
    );
    return read;
  }

  /**
   * The mailbox changed (the view moved to `position`, or this backend wrote): journal reads begun
   * before must not be shared any more. Every session told of one view position starts the same
   * epoch once, so they still share the read that follows.
   */
  private newEpoch(mailboxId: string, position: number | null): void {
    const state = this.mailboxEpochs.get(mailboxId);
    if (position !== null && state?.mark === position) return;
    // the map holds one small entry per mailbox that ever changed while selected
    this.mailboxEpochs.set(mailboxId, { epoch: (state?.epoch ?? 0) + 1, mark: position });
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

  private async announce(user: ImapUser, mailbox: ObjectId, modseq: number): Promise<void> {
    // this session's own next report must read after its write, not join an older read
    this.newEpoch(mailbox.toHexString(), null);
    // and a view of the mailbox here must show the write before the command completes
    const view = this.views.peek(user.id, mailbox.toHexString());
    if (view && !(modseq > 0 && modseq <= view.position)) await view.catchUp(modseq).catch(() => {});
    await this.bus
      .publish({ type: 'mailbox', user: user.id, mailbox: mailbox.toHexString(), modseq })
      .catch(() => {});
  }

  private async announceAccount(
    user: ImapUser,
    event: { kind: string; path: string; oldPath?: string; mailbox?: string },
  ): Promise<void> {
    // this session's next LIST must show the change, before the bus brings it back
    this.lists.invalidate(user.id);
    await this.bus.publish({ type: 'account', user: user.id, ...event }).catch(() => {});
  }
}

function reportMailbox(box: MailboxDocument) {
  return {
    _id: box._id!,
    path: box.path,
    specialUse: box.specialUse,
    uidValidity: toNumber(box.uidValidity),
  };
}

/** FETCH of FLAGS, UID, MODSEQ, RFC822.SIZE and INTERNALDATE, answered by the mailbox view. */
function* fetchFromView(
  view: MailboxView,
  uids: readonly number[],
  query: FetchQuery,
): Iterable<FetchedMessage> {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  for (const uid of sorted) {
    const entry = view.get(uid);
    if (!entry) continue;
    if (query.changedSince !== undefined && entry.modseq <= query.changedSince) continue;
    const message: { -readonly [K in keyof FetchedMessage]: FetchedMessage[K] } = { uid };
    if (query.flags) message.flags = entry.flags;
    if (query.internalDate) message.internalDate = new Date(entry.internalDate);
    if (query.size) message.size = entry.size;
    if (query.modseq) message.modseq = entry.modseq;
    if (query.threadId) message.threadId = null;
    yield message;
  }
}

async function* iterate<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

function owner(user: ImapUser): ObjectId {
  return (user as StoreUser).objectId;
}
