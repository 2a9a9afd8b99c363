// An ImapBackend kept entirely in memory, for the core's own tests. It behaves like a real store
// where the tests can see it: strictly increasing UIDs and modseqs, a change journal, change
// notification across sessions, mailbox events for NOTIFY, quota, and per-user isolation. With
// `sharing`, access lists too (RFC 4314): a user reaches another's mailboxes under
// `Other Users/<owner>/...` with the rights the owner granted, and the ACL commands and NAMESPACE
// answer from here.
import { Readable } from 'node:stream';
import type {
  AclChange,
  AclEntry,
  AclFailure,
  AppendMessages,
  AppendRequest,
  AppendResult,
  AuthenticateResult,
  ChangeListener,
  FetchQuery,
  FetchedMessage,
  ImapBackend,
  ListRights,
  ImapUser,
  MailboxChange,
  MailboxEvent,
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
} from '../../src/backend.js';
import { MAILBOX_DELIMITER } from '../../src/backend.js';
import { rightForFlag } from '../../src/acl-rights.js';
import {
  ALL_RIGHTS,
  MEMORY_NAMESPACES,
  acceptsIdentifier,
  applyAclChange,
  canSee,
  listRightsFor,
  rightsOf,
  sharedPath,
  splitSharedPath,
} from './memory-acl.js';
import { indexMessage, type IndexedMessage } from './memory-mime.js';
import { matchesSearch } from './memory-search.js';

/** A message as the memory store keeps it. */
interface MemoryMessage {
  uid: number;
  modseq: number;
  flags: string[];
  internalDate: Date;
  raw: Buffer;
  index: IndexedMessage;
}

/** A mailbox with its messages and its change journal. */
interface MemoryMailbox {
  id: string;
  path: string;
  specialUse?: SpecialUse;
  subscribed: boolean;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
  messages: MemoryMessage[];
  journal: MailboxChange[];
  listeners: Set<ChangeListener>;
  /** Rights granted to others (RFC 4314): identifier -> rights; the owner has every right. */
  acl: Map<string, string>;
}

/** A user with a password and a storage quota in bytes. */
interface MemoryUser extends ImapUser {
  password: string;
  quotaBytes: number;
  mailboxes: MemoryMailbox[];
  /** Subscriptions to other users' mailboxes, by the path this user knows them by. */
  sharedSubscriptions: Set<string>;
}

/** A path resolved for one user: whose mailbox it names, and the user's rights on it. */
interface Resolved {
  owner: MemoryUser;
  mailbox: MemoryMailbox | undefined;
  /** The path in the owner's own tree. */
  ownPath: string;
  rights: string;
  shared: boolean;
}

/** A failure for a mailbox the user may or may not see (RFC 4314 6: hidden ones do not exist). */
type AccessFailure = 'NONEXISTENT' | 'NOPERM';

/** Users to create, each with the default mailboxes. */
export interface MemoryBackendOptions {
  users: readonly { username: string; password: string; quotaBytes?: number }[];
  /** Failed logins allowed per username before `rateLimited` answers; default 10. */
  maxFailedLogins?: number;
  /** Offer access lists (RFC 4314) and other users' mailboxes; off by default, as a store without them. */
  sharing?: boolean;
}

const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];
const DEFAULT_MAILBOXES: readonly { path: string; specialUse?: SpecialUse }[] = [
  { path: 'INBOX' },
  { path: 'Drafts', specialUse: '\\Drafts' },
  { path: 'Sent Mail', specialUse: '\\Sent' },
  { path: 'Junk', specialUse: '\\Junk' },
  { path: 'Trash', specialUse: '\\Trash' },
  { path: 'Archive', specialUse: '\\Archive' },
];

/** The in-memory store used by imap-core's tests. */
export class MemoryBackend implements ImapBackend {
  private readonly users = new Map<string, MemoryUser>();
  private readonly failedLogins = new Map<string, number>();
  private readonly maxFailedLogins: number;
  private nextId = 1;
  private nextUidValidity = 1000;
  private readonly sharing: boolean;

  // The optional methods of ImapBackend: present only with `sharing`, as a store without access
  // lists leaves them out.
  readonly getAcl?: (user: ImapUser, path: string) => Promise<readonly AclEntry[] | AclFailure>;
  readonly setAcl?: (
    user: ImapUser,
    path: string,
    identifier: string,
    change: AclChange,
  ) => Promise<{ ok: true } | AclFailure>;
  readonly deleteAcl?: (
    user: ImapUser,
    path: string,
    identifier: string,
  ) => Promise<{ ok: true } | AclFailure>;
  readonly listRights?: (
    user: ImapUser,
    path: string,
    identifier: string,
  ) => Promise<ListRights | AclFailure>;
  readonly myRights?: (user: ImapUser, path: string) => Promise<string | AclFailure>;
  readonly namespaces?: (user: ImapUser) => Namespaces;
  /** NOTIFY listeners by user id. */
  private readonly watchers = new Map<string, Set<MailboxEventListener>>();

  constructor(options: MemoryBackendOptions) {
    this.maxFailedLogins = options.maxFailedLogins ?? 10;
    this.sharing = options.sharing ?? false;
    if (this.sharing) {
      this.getAcl = (user, path) => this.readAcl(user, path);
      this.setAcl = (user, path, identifier, change) => this.changeAcl(user, path, identifier, change);
      this.deleteAcl = (user, path, identifier) => this.changeAcl(user, path, identifier, null);
      this.listRights = (user, path, identifier) => this.grantableRights(user, path, identifier);
      this.myRights = (user, path) => this.rightsOn(user, path);
      this.namespaces = () => MEMORY_NAMESPACES;
    }
    for (const { username, password, quotaBytes } of options.users) {
      const user: MemoryUser = {
        id: `user-${this.nextId++}`,
        username,
        password,
        quotaBytes: quotaBytes ?? 100 * 1024 * 1024,
        mailboxes: [],
        sharedSubscriptions: new Set(),
      };
      for (const mailbox of DEFAULT_MAILBOXES)
        user.mailboxes.push(this.newMailbox(mailbox.path, mailbox.specialUse));
      this.users.set(username, user);
    }
  }

  /** Test helper: delivers a message straight into a mailbox, as LMTP would. */
  async deliver(
    username: string,
    path: string,
    raw: string | Buffer,
    options: { flags?: string[]; internalDate?: Date } = {},
  ): Promise<number> {
    const user = this.requireUser(username);
    const result = await this.append(user, path, [
      {
        flags: options.flags ?? [],
        internalDate: options.internalDate,
        message: Readable.from([Buffer.from(raw)]),
        size: Buffer.byteLength(raw),
      },
    ]);
    if (!result.ok) throw new Error(`deliver failed: ${result.code}`);
    return result.uids[0] as number;
  }

  /** Test helper: the user object a session would get, for calling the backend directly. */
  requireUser(username: string): ImapUser {
    const user = this.users.get(username);
    if (!user) throw new Error(`no user ${username}`);
    return user;
  }

  async authenticate(username: string, password: string): Promise<AuthenticateResult> {
    const failures = this.failedLogins.get(username) ?? 0;
    if (failures >= this.maxFailedLogins) return { ok: false, rateLimited: true };
    const user = this.users.get(username);
    if (!user || user.password !== password) {
      this.failedLogins.set(username, failures + 1);
      return { ok: false, rateLimited: false };
    }
    return { ok: true, user: { id: user.id, username: user.username } };
  }

  async listMailboxes(session: ImapUser): Promise<readonly MailboxListEntry[]> {
    const user = this.user(session);
    const own = user.mailboxes.map((mailbox) => ({
      path: mailbox.path,
      subscribed: mailbox.subscribed,
      ...(mailbox.specialUse ? { specialUse: mailbox.specialUse } : {}),
    }));
    return [...own, ...this.sharedWith(user)];
  }

  /** Other users' mailboxes this user may list (RFC 4314 `l`), by their shared paths. */
  private sharedWith(user: MemoryUser): MailboxListEntry[] {
    if (!this.sharing) return [];
    const entries: MailboxListEntry[] = [];
    for (const owner of this.users.values()) {
      if (owner === user) continue;
      for (const mailbox of owner.mailboxes) {
        if (!rightsOf(mailbox.acl, user.username).includes('l')) continue;
        const path = sharedPath(owner.username, mailbox.path);
        entries.push({ path, subscribed: user.sharedSubscriptions.has(path) });
      }
    }
    return entries;
  }

  async createMailbox(
    session: ImapUser,
    path: string,
    options: { specialUse?: SpecialUse },
  ): Promise<MailboxResult> {
    const target = this.resolve(session, path);
    if (target.shared) {
      // RFC 4314 4: CREATE needs `k` on the parent in the owner's tree
      if (target.mailbox && canSee(target.rights)) return { ok: false, code: 'ALREADYEXISTS' };
      const parentPath = target.ownPath.split(MAILBOX_DELIMITER).slice(0, -1).join(MAILBOX_DELIMITER);
      const parent = parentPath ? this.find(target.owner, parentPath) : undefined;
      const parentRights = parent ? rightsOf(parent.acl, session.username) : '';
      const failure = parent ? lacking(parentRights, 'k') : 'NONEXISTENT';
      if (failure) return { ok: false, code: failure };
    }
    const user = target.owner;
    if (this.find(user, target.ownPath)) return { ok: false, code: 'ALREADYEXISTS' };
    if (options.specialUse === '\\All' || options.specialUse === '\\Flagged')
      return { ok: false, code: 'USEATTR' };
    const created = this.createWithParents(user, target.ownPath, options.specialUse);
    return { ok: true, mailboxId: created.id };
  }

  async renameMailbox(session: ImapUser, from: string, to: string): Promise<MailboxResult> {
    const source = this.resolve(session, from);
    if (source.shared || this.resolve(session, to).shared) {
      // renames across owners are not offered; within another's tree `x` is checked first
      const failure = source.mailbox ? lacking(source.rights, 'x') : 'NONEXISTENT';
      return { ok: false, code: failure ?? 'CANNOT' };
    }
    return this.renameOwn(this.user(session), from, to);
  }

  private renameOwn(user: MemoryUser, from: string, to: string): MailboxResult {
    const source = this.find(user, from);
    if (!source) return { ok: false, code: 'NONEXISTENT' };
    if (this.find(user, to)) return { ok: false, code: 'ALREADYEXISTS' };
    if (to.startsWith(from + MAILBOX_DELIMITER)) return { ok: false, code: 'CANNOT' };
    if (source.path === 'INBOX') {
      // RFC 3501 6.3.5: the messages move to a new mailbox; INBOX stays, empty.
      const target = this.createWithParents(user, to, undefined);
      const moved = [...source.messages];
      for (const message of moved) this.insert(target, message);
      this.remove(
        source,
        moved.map((message) => message.uid),
      );
      return { ok: true };
    }
    const prefix = from + MAILBOX_DELIMITER;
    const renamed = user.mailboxes.filter(
      (mailbox) => mailbox.path === from || mailbox.path.startsWith(prefix),
    );
    for (const mailbox of renamed) {
      const oldPath = mailbox.path;
      mailbox.path = to + mailbox.path.slice(from.length);
      this.announce(user, { kind: 'MailboxName', path: mailbox.path, oldPath });
    }
    this.createParents(user, to);
    return { ok: true };
  }

  async deleteMailbox(session: ImapUser, target: string): Promise<MailboxResult> {
    const resolved = this.resolve(session, target);
    const { owner: user, mailbox, ownPath: path } = resolved;
    if (!mailbox) return { ok: false, code: 'NONEXISTENT' };
    // RFC 4314 4: DELETE needs `x`
    const failure = lacking(resolved.rights, 'x');
    if (failure) return { ok: false, code: failure };
    const hasChildren = user.mailboxes.some((other) => other.path.startsWith(path + MAILBOX_DELIMITER));
    if (mailbox.path === 'INBOX' || hasChildren) return { ok: false, code: 'CANNOT' };
    user.mailboxes = user.mailboxes.filter((other) => other !== mailbox);
    this.announce(user, { kind: 'MailboxName', path: mailbox.path, deleted: true });
    return { ok: true };
  }

  async setSubscribed(session: ImapUser, path: string, subscribed: boolean): Promise<MailboxResult> {
    const resolved = this.resolve(session, path);
    const mailbox = resolved.mailbox;
    if (!mailbox || !resolved.rights.includes('l')) return { ok: false, code: 'NONEXISTENT' };
    if (!resolved.shared) mailbox.subscribed = subscribed;
    else if (subscribed) this.user(session).sharedSubscriptions.add(path);
    else this.user(session).sharedSubscriptions.delete(path);
    this.announce(this.user(session), { kind: 'SubscriptionChange', path, subscribed });
    return { ok: true };
  }

  async status(session: ImapUser, path: string): Promise<MailboxStatus | { ok: false; code: AccessFailure }> {
    const resolved = this.resolve(session, path);
    const mailbox = resolved.mailbox;
    if (!mailbox) return { ok: false, code: 'NONEXISTENT' };
    // RFC 4314 4: STATUS needs `r`
    const failure = lacking(resolved.rights, 'r');
    if (failure) return { ok: false, code: failure };
    return {
      messages: mailbox.messages.length,
      uidNext: mailbox.uidNext,
      uidValidity: mailbox.uidValidity,
      unseen: mailbox.messages.filter((message) => !message.flags.includes('\\Seen')).length,
      highestModseq: mailbox.highestModseq,
      size: mailbox.messages.reduce((sum, message) => sum + message.raw.length, 0),
      mailboxId: mailbox.id,
    };
  }

  async openMailbox(
    session: ImapUser,
    path: string,
  ): Promise<OpenedMailbox | { ok: false; code: AccessFailure }> {
    const resolved = this.resolve(session, path);
    const mailbox = resolved.mailbox;
    if (!mailbox) return { ok: false, code: 'NONEXISTENT' };
    // RFC 4314 4: SELECT and EXAMINE need `r`
    const failure = lacking(resolved.rights, 'r');
    if (failure) return { ok: false, code: failure };
    const keywords = new Set<string>();
    for (const message of mailbox.messages) for (const flag of message.flags) keywords.add(flag);
    const flags = [...new Set([...SYSTEM_FLAGS, ...keywords])];
    return {
      id: mailbox.id,
      path,
      uidValidity: mailbox.uidValidity,
      uidNext: mailbox.uidNext,
      highestModseq: mailbox.highestModseq,
      flags,
      permanentFlags: [...flags, '\\*'],
      uids: mailbox.messages.map((message) => message.uid),
      ...(resolved.shared ? { rights: resolved.rights } : {}),
    };
  }

  async *fetch(
    session: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    query: FetchQuery,
  ): AsyncIterable<FetchedMessage> {
    const mailbox = this.byId(session, mailboxId);
    for (const uid of uids) {
      const message = mailbox?.messages.find((candidate) => candidate.uid === uid);
      if (!message) continue;
      if (query.changedSince !== undefined && message.modseq <= query.changedSince) continue;
      yield {
        uid,
        ...(query.flags ? { flags: [...message.flags] } : {}),
        ...(query.internalDate ? { internalDate: message.internalDate } : {}),
        ...(query.size ? { size: message.raw.length } : {}),
        ...(query.modseq ? { modseq: message.modseq } : {}),
        // OBJECTID (RFC 8474) and SAVEDATE (RFC 8514): no thread ids here; saved when appended
        ...(query.emailId ? { emailId: `M${mailbox!.id}-${uid}` } : {}),
        ...(query.threadId ? { threadId: null } : {}),
        ...(query.saveDate ? { saveDate: message.internalDate } : {}),
        ...(query.envelope ? { envelope: message.index.envelope } : {}),
        ...(query.bodyStructure ? { bodyStructure: message.index.bodyStructure } : {}),
        // the store's snippet: the first 200 characters of the decoded body text
        ...(query.preview ? { preview: message.index.bodyText.slice(0, 200) } : {}),
        ...(query.sections
          ? {
              sections: query.sections.map((spec) => message.index.section(spec)),
            }
          : {}),
      };
    }
  }

  async search(session: ImapUser, mailboxId: string, query: SearchQuery): Promise<readonly number[]> {
    const mailbox = this.byId(session, mailboxId);
    if (!mailbox) return [];
    return mailbox.messages.filter((message) => matchesSearch(message, query)).map((message) => message.uid);
  }

  async sortRecords(
    session: ImapUser,
    mailboxId: string,
    uids: readonly number[],
  ): Promise<readonly SortRecord[]> {
    const wanted = new Set(uids);
    const messages = this.byId(session, mailboxId)?.messages ?? [];
    return messages
      .filter((message) => wanted.has(message.uid))
      .map((message) => ({
        uid: message.uid,
        internalDate: message.internalDate.getTime(),
        size: message.raw.length,
        ...message.index.sortFields,
      }));
  }

  async store(
    session: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    request: StoreRequest,
  ): Promise<StoreResult | { ok: false; code: 'NOPERM' }> {
    const access = this.access(session, mailboxId);
    const mailbox = access?.mailbox;
    const updated: StoreResult['updated'][number][] = [];
    const modified: number[] = [];
    if (!mailbox) return { updated, modified };
    // RFC 4314 4: each flag needs its right; flags without it stay as they are
    const rights = access.rights;
    const mayChange = (flag: string) => rights.includes(rightForFlag(flag));
    if (request.flags.length > 0 && !request.flags.some(mayChange)) return { ok: false, code: 'NOPERM' };
    const wanted = new Set(uids);
    let anyChanged = false;
    for (const message of mailbox.messages) {
      if (!wanted.has(message.uid)) continue;
      if (request.unchangedSince !== undefined && message.modseq > request.unchangedSince) {
        modified.push(message.uid);
        continue;
      }
      const next = [
        ...applyFlags(message.flags, request).filter(mayChange),
        ...message.flags.filter((flag) => !mayChange(flag)),
      ];
      const changed =
        next.length !== message.flags.length || next.some((flag) => !message.flags.includes(flag));
      if (changed) {
        anyChanged = true;
        message.flags = next;
        message.modseq = this.record(mailbox, { kind: 'FLAGS', uid: message.uid, flags: [...next] });
      }
      updated.push({ uid: message.uid, flags: [...message.flags], modseq: message.modseq, changed });
    }
    this.notify(mailbox);
    if (anyChanged) this.announceMessages(mailbox, 'FlagChange');
    return { updated, modified };
  }

  async copy(
    session: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    destination: string,
  ): Promise<TransferResult> {
    return this.transfer(session, mailboxId, uids, destination, false);
  }

  async move(
    session: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    destination: string,
  ): Promise<TransferResult> {
    return this.transfer(session, mailboxId, uids, destination, true);
  }

  async expunge(
    session: ImapUser,
    mailboxId: string,
    uids?: readonly number[],
  ): Promise<readonly number[] | { ok: false; code: 'NOPERM' }> {
    const access = this.access(session, mailboxId);
    const mailbox = access?.mailbox;
    if (!mailbox) return [];
    // RFC 4314 4: EXPUNGE needs `e`
    if (!access.rights.includes('e')) return { ok: false, code: 'NOPERM' };
    const allowed = uids ? new Set(uids) : null;
    const doomed = mailbox.messages
      .filter((message) => message.flags.includes('\\Deleted') && (!allowed || allowed.has(message.uid)))
      .map((message) => message.uid);
    this.remove(mailbox, doomed);
    return doomed;
  }

  async append(session: ImapUser, path: string, stream: AppendMessages): Promise<AppendResult> {
    const user = this.user(session);
    const raws: Buffer[] = [];
    // every message is read before any is kept: all or nothing, also when the sequence throws
    const messages: AppendRequest[] = [];
    for await (const request of stream) {
      messages.push(request);
      const chunks: Buffer[] = [];
      for await (const chunk of request.message) chunks.push(Buffer.from(chunk as Uint8Array));
      raws.push(Buffer.concat(chunks));
    }
    const target = this.resolve(user, path);
    const mailbox = target.mailbox;
    if (!mailbox) return { ok: false, code: target.shared ? 'NONEXISTENT' : 'TRYCREATE' };
    // RFC 4314 4: APPEND needs `i`; flags without their right are dropped, not refused
    const failure = lacking(target.rights, 'i');
    if (failure) return { ok: false, code: failure };
    const size = raws.reduce((sum, raw) => sum + raw.length, 0);
    if (this.usedBytes(target.owner) + size > target.owner.quotaBytes)
      return { ok: false, code: 'OVERQUOTA' };
    const indexes = await Promise.all(raws.map((raw) => indexMessage(raw)));
    const uids = raws.map((raw, position) => {
      const request = messages[position] as AppendRequest;
      const index = indexes[position] as IndexedMessage;
      return this.insert(mailbox, {
        raw,
        index,
        flags: request.flags.filter((flag) => target.rights.includes(rightForFlag(flag))),
        internalDate: request.internalDate ?? new Date(),
      });
    });
    return { ok: true, uids, uidValidity: mailbox.uidValidity };
  }

  async getQuotaRoots(
    session: ImapUser,
    path: string,
  ): Promise<readonly QuotaRoot[] | { ok: false; code: 'NONEXISTENT' }> {
    const user = this.user(session);
    if (!this.find(user, path)) return { ok: false, code: 'NONEXISTENT' };
    return [this.quotaRoot(user)];
  }

  async getQuota(session: ImapUser, root: string): Promise<QuotaRoot | null> {
    return root === '' ? this.quotaRoot(this.user(session)) : null;
  }

  subscribeChanges(session: ImapUser, mailboxId: string, listener: ChangeListener): () => void {
    const mailbox = this.byId(session, mailboxId);
    if (!mailbox) return () => undefined;
    mailbox.listeners.add(listener);
    return () => mailbox.listeners.delete(listener);
  }

  watchMailboxes(session: ImapUser, listener: MailboxEventListener): () => void {
    const user = this.user(session);
    let listeners = this.watchers.get(user.id);
    if (!listeners) this.watchers.set(user.id, (listeners = new Set()));
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** Test helper: how many NOTIFY listeners a user has (to check sessions stop theirs). */
  watcherCount(username: string): number {
    return this.watchers.get(this.requireUser(username).id)?.size ?? 0;
  }

  async changesSince(
    session: ImapUser,
    mailboxId: string,
    modseq: number,
  ): Promise<AsyncIterable<MailboxChange> | null> {
    const mailbox = this.byId(session, mailboxId);
    if (!mailbox) return null;
    const changes = mailbox.journal.filter((change) => change.modseq > modseq);
    return (async function* () {
      yield* changes;
    })();
  }

  private quotaRoot(user: MemoryUser): QuotaRoot {
    return {
      name: '',
      resources: [
        {
          name: 'STORAGE',
          usage: Math.ceil(this.usedBytes(user) / 1024),
          limit: Math.floor(user.quotaBytes / 1024),
        },
      ],
    };
  }

  private transfer(
    session: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    destination: string,
    move: boolean,
  ): TransferResult {
    const access = this.access(session, mailboxId);
    const source = access?.mailbox;
    const resolved = this.resolve(session, destination);
    const target = resolved.mailbox;
    if (!source) return { ok: false, code: 'TRYCREATE' };
    if (!target) return { ok: false, code: resolved.shared ? 'NONEXISTENT' : 'TRYCREATE' };
    // RFC 4314 4: `i` on the destination; a move also expunges, which needs `e` on the source
    const failure = lacking(resolved.rights, 'i') ?? (move && !access.rights.includes('e') ? 'NOPERM' : null);
    if (failure) return { ok: false, code: failure };
    const wanted = new Set(uids);
    const messages = source.messages.filter((message) => wanted.has(message.uid));
    const extra = messages.reduce((sum, message) => sum + message.raw.length, 0);
    const payer = resolved.owner;
    if (!move && this.usedBytes(payer) + extra > payer.quotaBytes) return { ok: false, code: 'OVERQUOTA' };
    const mayKeep = (flag: string) => resolved.rights.includes(rightForFlag(flag));
    const mapping = messages.map(
      (message) =>
        [message.uid, this.insert(target, { ...message, flags: message.flags.filter(mayKeep) })] as const,
    );
    if (move)
      this.remove(
        source,
        messages.map((message) => message.uid),
      );
    return { ok: true, uidValidity: target.uidValidity, mapping };
  }

  /** Adds a message (new, or a copy of another's content) with the next UID. */
  private insert(
    mailbox: MemoryMailbox,
    content: Pick<MemoryMessage, 'raw' | 'index' | 'flags' | 'internalDate'>,
  ): number {
    const uid = mailbox.uidNext++;
    const modseq = this.record(mailbox, { kind: 'EXISTS', uid });
    const { raw, index, internalDate } = content;
    mailbox.messages.push({ uid, modseq, flags: [...new Set(content.flags)], internalDate, raw, index });
    this.notify(mailbox);
    this.announceMessages(mailbox, 'MessageNew');
    return uid;
  }

  private remove(mailbox: MemoryMailbox, uids: readonly number[]): void {
    const doomed = new Set(uids);
    mailbox.messages = mailbox.messages.filter((message) => !doomed.has(message.uid));
    for (const uid of uids) this.record(mailbox, { kind: 'EXPUNGE', uid });
    this.notify(mailbox);
    if (uids.length) this.announceMessages(mailbox, 'MessageExpunge');
  }

  /** A message event of a mailbox, to its owner's NOTIFY listeners. */
  private announceMessages(
    mailbox: MemoryMailbox,
    kind: 'MessageNew' | 'MessageExpunge' | 'FlagChange',
  ): void {
    const owner = [...this.users.values()].find((user) => user.mailboxes.includes(mailbox));
    if (owner) this.announce(owner, { kind, mailboxId: mailbox.id, path: mailbox.path });
  }

  /** Tells the user's NOTIFY listeners asynchronously, after the write, as a bus would. */
  private announce(user: MemoryUser, event: MailboxEvent): void {
    const listeners = this.watchers.get(user.id);
    if (!listeners?.size) return;
    setImmediate(() => {
      for (const listener of listeners) listener(event);
    });
  }

  /** Gives a change the next modseq and writes it to the journal. */
  private record(
    mailbox: MemoryMailbox,
    change: { kind: 'EXISTS' | 'EXPUNGE'; uid: number } | { kind: 'FLAGS'; uid: number; flags: string[] },
  ): number {
    const modseq = ++mailbox.highestModseq;
    mailbox.journal.push({ ...change, modseq });
    return modseq;
  }

  /** Tells listeners asynchronously, as a publish over a bus would. */
  private notify(mailbox: MemoryMailbox): void {
    const modseq = mailbox.highestModseq;
    setImmediate(() => {
      for (const listener of mailbox.listeners) listener(modseq);
    });
  }

  private usedBytes(user: MemoryUser): number {
    let total = 0;
    for (const mailbox of user.mailboxes) for (const message of mailbox.messages) total += message.raw.length;
    return total;
  }

  private newMailbox(path: string, specialUse: SpecialUse | undefined): MemoryMailbox {
    return {
      id: `mailbox-${this.nextId++}`,
      path,
      ...(specialUse ? { specialUse } : {}),
      subscribed: true,
      uidValidity: this.nextUidValidity++,
      uidNext: 1,
      highestModseq: 1,
      messages: [],
      journal: [],
      listeners: new Set(),
      acl: new Map(),
    };
  }

  private createWithParents(
    user: MemoryUser,
    path: string,
    specialUse: SpecialUse | undefined,
  ): MemoryMailbox {
    this.createParents(user, path);
    const mailbox = this.newMailbox(path, specialUse);
    mailbox.subscribed = false;
    user.mailboxes.push(mailbox);
    this.announce(user, { kind: 'MailboxName', path });
    return mailbox;
  }

  private createParents(user: MemoryUser, path: string): void {
    const parts = path.split(MAILBOX_DELIMITER);
    for (let depth = 1; depth < parts.length; depth++) {
      const parent = parts.slice(0, depth).join(MAILBOX_DELIMITER);
      if (!this.find(user, parent)) {
        const mailbox = this.newMailbox(parent, undefined);
        mailbox.subscribed = false;
        user.mailboxes.push(mailbox);
        this.announce(user, { kind: 'MailboxName', path: parent });
      }
    }
  }

  private user(session: ImapUser): MemoryUser {
    const user = this.users.get(session.username);
    if (!user || user.id !== session.id) throw new Error('unknown user session');
    return user;
  }

  private find(user: MemoryUser, path: string): MemoryMailbox | undefined {
    return user.mailboxes.find((mailbox) => mailbox.path === path);
  }

  private byId(session: ImapUser, mailboxId: string): MemoryMailbox | undefined {
    return this.access(session, mailboxId)?.mailbox;
  }

  /** A mailbox by id with the user's rights: their own, or another's they may read (`r`). */
  private access(
    session: ImapUser,
    mailboxId: string,
  ): { mailbox: MemoryMailbox; rights: string } | undefined {
    const user = this.user(session);
    const own = user.mailboxes.find((mailbox) => mailbox.id === mailboxId);
    if (own) return { mailbox: own, rights: ALL_RIGHTS };
    if (!this.sharing) return undefined;
    for (const owner of this.users.values()) {
      const mailbox = owner.mailboxes.find((candidate) => candidate.id === mailboxId);
      if (!mailbox) continue;
      const rights = rightsOf(mailbox.acl, user.username);
      return rights.includes('r') ? { mailbox, rights } : undefined;
    }
    return undefined;
  }

  /** A path as this user names it: their own mailbox, or (with sharing) another user's. */
  private resolve(session: ImapUser, path: string): Resolved {
    const user = this.user(session);
    const shared = this.sharing ? splitSharedPath(path) : null;
    const owner = shared ? this.users.get(shared.owner) : undefined;
    if (!shared || !owner || owner === user) {
      return {
        owner: user,
        mailbox: this.find(user, path),
        ownPath: path,
        rights: ALL_RIGHTS,
        shared: false,
      };
    }
    const mailbox = this.find(owner, shared.path);
    const rights = mailbox ? rightsOf(mailbox.acl, user.username) : '';
    return { owner, mailbox, ownPath: shared.path, rights, shared: true };
  }

  /** GETACL: the owner with every right, then the entries, for a user with `a`. */
  private async readAcl(session: ImapUser, path: string): Promise<readonly AclEntry[] | AclFailure> {
    const resolved = this.resolve(session, path);
    const failure = aclAccess(resolved, 'a');
    if (failure || !resolved.mailbox) return failure ?? { ok: false, code: 'NONEXISTENT' };
    const entries = [...resolved.mailbox.acl].map(([identifier, rights]) => ({ identifier, rights }));
    return [{ identifier: resolved.owner.username, rights: ALL_RIGHTS }, ...entries];
  }

  /** SETACL (`change`) and DELETEACL (null), for a user with `a`. */
  private async changeAcl(
    session: ImapUser,
    path: string,
    identifier: string,
    change: AclChange | null,
  ): Promise<{ ok: true } | AclFailure> {
    const resolved = this.resolve(session, path);
    const failure = aclAccess(resolved, 'a');
    if (failure || !resolved.mailbox) return failure ?? { ok: false, code: 'NONEXISTENT' };
    const refusal = acceptsIdentifier(identifier, resolved.owner.username, new Set(this.users.keys()));
    if (refusal) return { ok: false, code: 'CANNOT', text: refusal };
    const acl = resolved.mailbox.acl;
    const rights = change ? applyAclChange(acl.get(identifier) ?? '', change) : '';
    if (rights.includes('a') && (identifier === 'anyone' || identifier === 'authenticated'))
      return { ok: false, code: 'CANNOT', text: `${identifier} cannot administer a mailbox` };
    if (rights) acl.set(identifier, rights);
    else acl.delete(identifier);
    return { ok: true };
  }

  /** LISTRIGHTS, for a user with `a`. */
  private async grantableRights(
    session: ImapUser,
    path: string,
    identifier: string,
  ): Promise<ListRights | AclFailure> {
    const resolved = this.resolve(session, path);
    const failure = aclAccess(resolved, 'a');
    if (failure) return failure;
    return listRightsFor(identifier, resolved.owner.username);
  }

  /** MYRIGHTS: any right that shows the mailbox exists is enough to ask (RFC 4314 4). */
  private async rightsOn(session: ImapUser, path: string): Promise<string | AclFailure> {
    const resolved = this.resolve(session, path);
    if (!resolved.mailbox || !canSee(resolved.rights)) return { ok: false, code: 'NONEXISTENT' };
    return resolved.rights;
  }
}

function applyFlags(current: readonly string[], request: StoreRequest): string[] {
  if (request.action === 'replace') return [...new Set(request.flags)];
  if (request.action === 'add') return [...new Set([...current, ...request.flags])];
  const removed = new Set(request.flags.map((flag) => flag.toLowerCase()));
  return current.filter((flag) => !removed.has(flag.toLowerCase()));
}

/** Why a user without `right` is refused: NOPERM when they may see the mailbox, else NONEXISTENT. */
function lacking(rights: string, right: string): AccessFailure | null {
  if (rights.includes(right)) return null;
  return canSee(rights) ? 'NOPERM' : 'NONEXISTENT';
}

/** The ACL commands' access check: the mailbox exists, is visible, and the user has `right`. */
function aclAccess(resolved: Resolved, right: string): AclFailure | null {
  if (!resolved.mailbox) return { ok: false, code: 'NONEXISTENT' };
  const failure = lacking(resolved.rights, right);
  return failure ? { ok: false, code: failure } : null;
}
