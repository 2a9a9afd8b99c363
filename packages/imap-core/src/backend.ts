/**
 * The storage interface of the IMAP core: everything a mail store must implement so that
 * `packages/imap-core` can serve IMAP on top of it. Read this file first.
 *
 * Ground rules for an implementation:
 * - Every method takes the authenticated user's `ImapUser` (returned by `authenticate`) and must
 *   only ever read or change that user's data.
 * - Errors a client causes (missing mailbox, over quota, ...) are returned as typed failures
 *   (`{ ok: false, code }`); only bugs and infrastructure failures throw or reject. A rejection
 *   becomes a tagged `NO [SERVERBUG]` for that one command; the session goes on.
 * - Mailbox paths are UTF-8 strings, hierarchy separated by `MAILBOX_DELIMITER`. The core has
 *   already decoded modified UTF-7 and normalised any case of `INBOX` to `INBOX`.
 * - UIDs within one UIDVALIDITY strictly increase and are never reused. MODSEQ values strictly
 *   increase per mailbox; every change (new message, flag change, expunge) gets a modseq greater
 *   than every earlier one, and is recorded so that `changesSince` can replay it in order.
 * - There is no `\Recent` flag: the store never keeps one and the core never asks for one.
 */
import type { Readable } from 'node:stream';

/** The hierarchy separator of every mailbox path. */
export const MAILBOX_DELIMITER = '/';

/** A user that `authenticate` accepted; the backend may carry more fields in its own subtype. */
export interface ImapUser {
  /** Stable identifier of the user in the store. */
  readonly id: string;
  /** The login name as the store knows it (e.g. the lower-cased address). */
  readonly username: string;
}

/** What the core knows about the connection asking to authenticate (for logs and rate limits). */
export interface ConnectionMeta {
  /** Per-connection id, also used in the session's log lines. */
  readonly sessionId: string;
  readonly remoteAddress: string;
  /** True when the connection is protected by TLS (implicit or after STARTTLS). */
  readonly secure: boolean;
  /** `LOGIN` or `AUTHENTICATE PLAIN`. */
  readonly method: 'LOGIN' | 'PLAIN';
}

/** The answer to an authentication attempt. */
export type AuthenticateResult =
  | { ok: true; user: ImapUser }
  /**
   * `rateLimited` makes the core answer `NO [UNAVAILABLE]` instead of `NO [AUTHENTICATIONFAILED]`;
   * `hint` replaces the text of `NO [AUTHENTICATIONFAILED]` (e.g. "use an app password").
   */
  | { ok: false; rateLimited: boolean; hint?: string };

/** SPECIAL-USE attributes (RFC 6154) a mailbox may carry. */
export type SpecialUse = '\\All' | '\\Archive' | '\\Drafts' | '\\Flagged' | '\\Junk' | '\\Sent' | '\\Trash';

/** One mailbox as `listMailboxes` reports it. */
export interface MailboxListEntry {
  /** Full path, e.g. `Archive/2024`. */
  readonly path: string;
  readonly specialUse?: SpecialUse;
  readonly subscribed: boolean;
  /**
   * True for a subscribed name without a mailbox (its mailbox was deleted: RFC 3501 6.3.4 keeps the
   * subscription). LIST shows it only when listing subscriptions, with `\NonExistent` (RFC 5258).
   */
  readonly nonExistent?: boolean;
  /**
   * A level of the hierarchy that is no mailbox but has mailboxes below it, such as the owner level
   * `Other Users/bob@example.com` of another user's shared mailboxes: listed with `\Noselect`
   * (RFC 3501 6.3.8), so that `LIST "" %` walks down to them.
   */
  readonly noSelect?: boolean;
}

/** Failure codes of mailbox management; each maps to an RFC 5530 response code. */
export type MailboxFailureCode =
  /** The mailbox (or the source of a rename) does not exist. */
  | 'NONEXISTENT'
  /** The target name is taken. */
  | 'ALREADYEXISTS'
  /** The operation is not allowed on this mailbox (e.g. deleting INBOX). */
  | 'CANNOT'
  /** The special-use attribute cannot be set (CREATE-SPECIAL-USE). */
  | 'USEATTR'
  /** The user has too many mailboxes. */
  | 'LIMIT'
  /** The user may see the mailbox but lacks the right this needs (RFC 4314; NO [NOPERM]). */
  | 'NOPERM';

/** Result of a mailbox management call. */
export type MailboxResult =
  /** `mailboxId`: the new mailbox's id (CREATE answers it as MAILBOXID, RFC 8474) when the store has one. */
  { ok: true; mailboxId?: string } | { ok: false; code: MailboxFailureCode };

/** Counters answering STATUS (RFC 3501 6.3.10, RFC 7162, RFC 8438 SIZE, RFC 8474 MAILBOXID). */
export interface MailboxStatus {
  readonly messages: number;
  readonly uidNext: number;
  readonly uidValidity: number;
  readonly unseen: number;
  readonly highestModseq: number;
  /** Bytes of all messages in the mailbox (RFC 8438 STATUS=SIZE): the sum of their RFC822.SIZE. */
  readonly size: number;
  /** The mailbox's id, as `OpenedMailbox.id` (RFC 8474 MAILBOXID). */
  readonly mailboxId: string;
  /**
   * Messages with `\Deleted` (RFC 9051 STATUS DELETED), when the store has the number at hand;
   * otherwise the core searches for them, and only when a client asks.
   */
  readonly deleted?: number;
}

/** A selected mailbox: the snapshot the session builds its sequence-number map from. */
export interface OpenedMailbox {
  /** Opaque, stable id of the mailbox (survives renames); passed back to every later call. */
  readonly id: string;
  readonly path: string;
  readonly uidValidity: number;
  readonly uidNext: number;
  /**
   * The modseq this snapshot reflects: `uids` contains exactly the messages that existed after
   * every change up to and including it. Later changes come from `changesSince(highestModseq)`.
   */
  readonly highestModseq: number;
  /** Flags defined for the mailbox (the FLAGS response). */
  readonly flags: readonly string[];
  /** Flags a client can store permanently; include `\*` when new keywords are allowed. */
  readonly permanentFlags: readonly string[];
  /** UIDs of every message, ascending. Sequence number n is `uids[n - 1]`. */
  readonly uids: readonly number[];
  /**
   * UID of the lowest message without `\Seen` (null when every message is seen), for SELECT's
   * `OK [UNSEEN n]` (RFC 3501 6.3.1). Omit it when it would cost the store an extra read: the core
   * then searches for it.
   */
  readonly firstUnseenUid?: number | null;
  /**
   * The signed-in user's RFC 4314 rights on the mailbox (letters of `lrswipkxtea`), for a mailbox
   * of another user; absent means every right (the user's own mailbox). Without any of `s w t e i`
   * the core opens the mailbox READ-ONLY.
   */
  readonly rights?: string;
}

/** Which body part a section refers to: `[]` is the whole message, `[1, 2]` is part 1.2. */
export type PartPath = readonly number[];

/** A section of a message, as in `BODY[<section>]<<partial>>` (RFC 3501 6.4.5). */
export interface SectionRequest {
  readonly part: PartPath;
  /**
   * `full`: the whole part (for `part: []`, the whole message). `header`/`text`: header or body of
   * the message (or of the message/rfc822 part). `mime`: the MIME header of a part.
   * `header.fields`/`header.fields.not`: selected header lines, plus the blank line.
   */
  readonly kind: 'full' | 'header' | 'text' | 'mime' | 'header.fields' | 'header.fields.not';
  /** Header field names, for the two `header.fields` kinds (case-insensitive). */
  readonly fields?: readonly string[];
  /** Byte range, for `<start.length>`; the store returns only these bytes. */
  readonly partial?: { readonly start: number; readonly length: number };
  /**
   * BINARY[part] and BINARY.SIZE[part] (RFC 3516): `kind` is `full` and the content is the part's
   * with its Content-Transfer-Encoding removed; `partial` and `length` count decoded bytes. Only a
   * leaf part decodes (RFC 9051 6.4.5); otherwise the entry is an `UndecodableSection`.
   */
  readonly binary?: boolean;
}

/** What FETCH wants of each message; the store reads only what is asked. */
export interface FetchQuery {
  readonly flags?: boolean;
  readonly internalDate?: boolean;
  /** RFC822.SIZE: the size of the message in bytes. */
  readonly size?: boolean;
  readonly modseq?: boolean;
  readonly envelope?: boolean;
  readonly bodyStructure?: boolean;
  /** PREVIEW (RFC 8970): the message's preview text. */
  readonly preview?: boolean;
  /** EMAILID (RFC 8474): the message's object id. */
  readonly emailId?: boolean;
  /** THREADID (RFC 8474): the id of the message's thread. */
  readonly threadId?: boolean;
  /** SAVEDATE (RFC 8514): when the message was saved into this mailbox. */
  readonly saveDate?: boolean;
  /** Body sections; results come back in the same order. */
  readonly sections?: readonly SectionRequest[];
  /** CONDSTORE CHANGEDSINCE: yield only messages whose modseq is greater than this. */
  readonly changedSince?: number;
}

/** The content of one section: its exact length and a way to stream it. */
export interface SectionContent {
  /** Byte length of what `open` streams (after `partial` has been applied). */
  readonly length: number;
  /** Opens the bytes; called at most once, right when the core writes them. */
  open(): Readable;
}

/** Why a `binary` section cannot be given: `unknown-encoding` is NO [UNKNOWN-CTE]; `not-leaf` a part that is not a leaf. */
export interface UndecodableSection {
  readonly undecodable: 'unknown-encoding' | 'not-leaf';
}

/** One message answered by `fetch`; only the requested items are present. */
export interface FetchedMessage {
  readonly uid: number;
  readonly flags?: readonly string[];
  readonly internalDate?: Date;
  readonly size?: number;
  readonly modseq?: number;
  readonly envelope?: Envelope;
  readonly bodyStructure?: BodyStructure;
  /**
   * PREVIEW: the text the backend's own clients show as the message's preview (the core makes it
   * one line of at most 256 characters); '' when the message has none.
   */
  readonly preview?: string;
  /**
   * EMAILID (RFC 8474): the message's id, the same other interfaces of the store (e.g. an API) give
   * it; letters, digits, `-` and `_` only, at most 255. It stays with the message through MOVE.
   */
  readonly emailId?: string;
  /** THREADID (RFC 8474): the thread's id, or null when the store keeps no thread ids (NIL). */
  readonly threadId?: string | null;
  /** SAVEDATE (RFC 8514): when the message was saved into this mailbox (appended, copied, moved). */
  readonly saveDate?: Date;
  /**
   * One entry per `FetchQuery.sections` entry, in order; `null` when the part does not exist.
   * For BINARY.SIZE the core reads only `length` and never calls `open`.
   */
  readonly sections?: readonly (SectionContent | UndecodableSection | null)[];
}

/** An address of an ENVELOPE (RFC 3501 7.4.2); group syntax uses `mailbox` with a null host. */
export interface EnvelopeAddress {
  readonly name: string | null;
  /** The obsolete source route; always null in practice. */
  readonly adl: string | null;
  readonly mailbox: string | null;
  readonly host: string | null;
}

/** ENVELOPE data (RFC 3501 7.4.2), header values as they appear (unfolded, still encoded). */
export interface Envelope {
  readonly date: string | null;
  readonly subject: string | null;
  readonly from: readonly EnvelopeAddress[] | null;
  readonly sender: readonly EnvelopeAddress[] | null;
  readonly replyTo: readonly EnvelopeAddress[] | null;
  readonly to: readonly EnvelopeAddress[] | null;
  readonly cc: readonly EnvelopeAddress[] | null;
  readonly bcc: readonly EnvelopeAddress[] | null;
  readonly inReplyTo: string | null;
  readonly messageId: string | null;
}

/** Content-Disposition of a part: `("attachment" ("filename" "a.pdf"))`. */
export interface BodyDisposition {
  readonly type: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** Fields every part has, used by BODY and BODYSTRUCTURE (RFC 3501 7.4.2). */
interface BodyPartCommon {
  /** Lower- or mixed-case MIME type, e.g. `text`. */
  readonly type: string;
  readonly subtype: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** Extension data (BODYSTRUCTURE only). */
  readonly disposition: BodyDisposition | null;
  readonly language: readonly string[] | null;
  readonly location: string | null;
}

/** A leaf part (RFC 3501 body-type-basic / body-type-text / body-type-msg). */
export interface SinglePart extends BodyPartCommon {
  readonly kind: 'single';
  readonly id: string | null;
  readonly description: string | null;
  readonly encoding: string;
  /** Size of the encoded body in bytes. */
  readonly size: number;
  /** Lines of the encoded body; present for `text/*` and `message/rfc822`. */
  readonly lines?: number;
  /** For `message/rfc822` parts: the enclosed message's envelope and structure. */
  readonly message?: { readonly envelope: Envelope; readonly body: BodyStructure };
  readonly md5: string | null;
}

/** A `multipart/*` part (RFC 3501 body-type-mpart). */
export interface MultiPart extends BodyPartCommon {
  readonly kind: 'multi';
  /** May be empty: the core then sends one empty text/plain part, as IMAP needs one (as Dovecot). */
  readonly children: readonly BodyStructure[];
}

/** BODYSTRUCTURE as structured data; the core serialises it (and the shorter BODY form). */
export type BodyStructure = SinglePart | MultiPart;

/**
 * A SEARCH criterion tree (RFC 3501 6.4.4) with sequence numbers already turned into UIDs and
 * `\Recent`-based keys (RECENT, NEW, OLD) already resolved by the core.
 */
export type SearchQuery =
  | { readonly type: 'all' }
  /** Matches nothing (e.g. RECENT, since there is no `\Recent`). */
  | { readonly type: 'none' }
  | { readonly type: 'and'; readonly keys: readonly SearchQuery[] }
  | { readonly type: 'or'; readonly left: SearchQuery; readonly right: SearchQuery }
  | { readonly type: 'not'; readonly key: SearchQuery }
  /** Messages whose UID is one of these (sorted ascending). */
  | { readonly type: 'uid'; readonly uids: readonly number[] }
  /** `set: true` for `FLAGGED`/`KEYWORD x`, `false` for `UNFLAGGED`/`UNKEYWORD x`. */
  | { readonly type: 'flag'; readonly flag: string; readonly set: boolean }
  /** Case-insensitive substring match in a header field; an empty value matches the field's presence. */
  | { readonly type: 'header'; readonly field: string; readonly value: string }
  /** Substring of the body (`body`) or of the header and body (`text`), case-insensitive. */
  | { readonly type: 'body' | 'text'; readonly value: string }
  /** Date comparisons ignore time and zone; `date` is UTC midnight of the day the client named. */
  | {
      /** `saveDate`: when the message was saved into the mailbox (RFC 8514 SAVEDATE). */
      readonly type: 'internalDate' | 'sentDate' | 'saveDate';
      readonly op: 'before' | 'on' | 'since';
      readonly date: Date;
    }
  | { readonly type: 'size'; readonly op: 'larger' | 'smaller'; readonly value: number }
  /** CONDSTORE: messages whose modseq is at least this. */
  | { readonly type: 'modseq'; readonly modseq: number }
  /**
   * WITHIN (RFC 5032): internal date, to the millisecond, before `time` (OLDER) or at or after it
   * (YOUNGER); the core has turned the client's seconds into an instant.
   */
  | { readonly type: 'internalTime'; readonly op: 'before' | 'since'; readonly time: Date }
  /** OBJECTID (RFC 8474): the message whose EMAILID, or the messages whose THREADID, is `id`. */
  | { readonly type: 'emailId' | 'threadId'; readonly id: string };

/** The first address of a header, as SORT compares it. */
export interface SortAddress {
  /** Display name, encoded-words decoded ('' when none). */
  readonly name: string;
  /** The local part (IMAP addr-mailbox). */
  readonly mailbox: string;
  /** The domain (IMAP addr-host), '' when none. */
  readonly host: string;
}

/**
 * What SORT and THREAD need of one message (RFC 5256, RFC 5957): small, fixed per message, so a
 * store can keep it beside its search data and never read a body to sort.
 */
export interface SortRecord {
  readonly uid: number;
  /** INTERNALDATE in milliseconds since the epoch (ARRIVAL). */
  readonly internalDate: number;
  /** RFC822.SIZE (SIZE). */
  readonly size: number;
  /** The Date header in milliseconds (UTC), null when missing or unparseable (DATE). */
  readonly sentDate: number | null;
  /** The Subject, encoded-words decoded ('' when none); the core extracts the base subject. */
  readonly subject: string;
  readonly from: SortAddress | null;
  readonly to: SortAddress | null;
  readonly cc: SortAddress | null;
  /** The Message-ID header value as sent ('' when none). */
  readonly messageId: string;
  /** The In-Reply-To header value as sent ('' when none). */
  readonly inReplyTo: string;
  /** The message ids of References, `<...>` each, in order. */
  readonly references: readonly string[];
}

/** One flag update of `store`. */
export interface StoreRequest {
  readonly action: 'add' | 'remove' | 'replace';
  readonly flags: readonly string[];
  /** CONDSTORE UNCHANGEDSINCE: leave messages whose modseq is greater untouched and report them. */
  readonly unchangedSince?: number;
}

/** Result of `store`. */
export interface StoreResult {
  /** Every message of the request that exists and passed the condition, with its flags now. */
  readonly updated: readonly {
    readonly uid: number;
    readonly flags: readonly string[];
    readonly modseq: number;
    /** False when the flags were already as asked (the modseq then stays). */
    readonly changed: boolean;
  }[];
  /** UIDs that failed UNCHANGEDSINCE (the MODIFIED response code). */
  readonly modified: readonly number[];
}

/** Why COPY, MOVE or APPEND could not be done. */
export type TransferFailureCode =
  /** The destination does not exist and could be created (client may CREATE and retry). */
  | 'TRYCREATE'
  /** The destination does not exist and cannot be created by the client. */
  | 'NONEXISTENT'
  | 'OVERQUOTA'
  /** The message is larger than the store accepts (APPEND). */
  | 'TOOBIG'
  /** The user lacks a right on the source or the destination (RFC 4314 `r`, `i`, `t`, `e`). */
  | 'NOPERM';

/** Result of COPY or MOVE: UID pairs for the COPYUID code (RFC 4315). */
export type TransferResult =
  | {
      ok: true;
      /** UIDVALIDITY of the destination. */
      uidValidity: number;
      /** `[source uid, destination uid]`, in ascending source order. */
      mapping: readonly (readonly [number, number])[];
    }
  | { ok: false; code: TransferFailureCode };

/** A message to append (RFC 3501 6.3.11). */
export interface AppendRequest {
  readonly flags: readonly string[];
  /** Internal date asked by the client; when absent the store uses the time of arrival. */
  readonly internalDate?: Date;
  /** The message bytes, exactly `size` of them. */
  readonly message: Readable;
  readonly size: number;
}

/**
 * The messages of one APPEND, in order: a list, or an async sequence of messages still arriving
 * from the client (a streamed APPEND: each `message` stream yields bytes as they are received).
 * Read each message's stream to its end (or give up on the APPEND) before asking for the next.
 * When the sequence throws (the rest of the client's command was refused, e.g. too big or bad
 * syntax), keep nothing of this APPEND and reject with that same error.
 */
export type AppendMessages = readonly AppendRequest[] | AsyncIterable<AppendRequest>;

/** Result of APPEND: the APPENDUID data (RFC 4315), one UID per message in request order. */
export type AppendResult =
  { ok: true; uids: readonly number[]; uidValidity: number } | { ok: false; code: TransferFailureCode };

/** Usage and limit of one quota resource (RFC 9208), STORAGE in kilobytes as the RFC counts. */
export interface QuotaResource {
  readonly name: 'STORAGE' | 'MESSAGE' | 'MAILBOX';
  readonly usage: number;
  readonly limit: number;
}

/** A quota root with its resources. */
export interface QuotaRoot {
  readonly name: string;
  readonly resources: readonly QuotaResource[];
}

/** A change in a mailbox, in the order the store made them (ascending modseq). */
export type MailboxChange =
  | { readonly kind: 'EXISTS'; readonly uid: number; readonly modseq: number }
  | { readonly kind: 'EXPUNGE'; readonly uid: number; readonly modseq: number }
  | {
      readonly kind: 'FLAGS';
      readonly uid: number;
      readonly flags: readonly string[];
      readonly modseq: number;
    };

/** Called when a mailbox changed up to `modseq`; the session then reads `changesSince`. */
export type ChangeListener = (modseq: number) => void;

/** One entry of a mailbox's access list (RFC 4314): an identifier (a user, `anyone`, `authenticated`) and its rights. */
export interface AclEntry {
  readonly identifier: string;
  /** Letters of `lrswipkxtea`, in that order. */
  readonly rights: string;
}

/** Why an ACL command could not be done (NO with the RFC 5530 code). */
export type AclFailure = {
  ok: false;
  /**
   * `NONEXISTENT`: no such mailbox, or one the user may not even see (no `l`, RFC 4314 6);
   * `NOPERM`: the user lacks the `a` right; `CANNOT`: e.g. the owner's own rights, an unknown
   * identifier, or a right the server does not have.
   */
  code: 'NONEXISTENT' | 'NOPERM' | 'CANNOT';
  text?: string;
};

/** A SETACL change: the rights replace the identifier's (no sign), or are added (`+`) or removed (`-`). */
export interface AclChange {
  readonly mode: 'replace' | 'add' | 'remove';
  readonly rights: string;
}

/** LISTRIGHTS data (RFC 4314 3.7): rights always granted, then rights granted only together. */
export interface ListRights {
  readonly required: string;
  readonly optional: readonly string[];
}

/** A namespace (RFC 2342): a prefix such as `Other Users/` and the hierarchy delimiter. */
export interface Namespace {
  readonly prefix: string;
  readonly delimiter: string;
}

/** The NAMESPACE answer: personal, other users', shared; an empty list is NIL. */
export interface Namespaces {
  readonly personal: readonly Namespace[];
  readonly otherUsers: readonly Namespace[];
  readonly shared: readonly Namespace[];
}

/**
 * A change to a mailbox the user can see, for NOTIFY (RFC 5465): the core turns it into STATUS,
 * LIST or, for the selected mailbox, the usual change reports. Events of mailboxes of other users
 * (shared with the user) come too, with the path the user knows them by.
 */
export type MailboxEvent =
  | {
      readonly kind: 'MessageNew' | 'MessageExpunge' | 'FlagChange';
      readonly mailboxId: string;
      readonly path: string;
    }
  /** Created (no `oldPath`), renamed (`oldPath`), or deleted (`deleted`). */
  | {
      readonly kind: 'MailboxName';
      readonly path: string;
      readonly oldPath?: string;
      readonly deleted?: boolean;
    }
  | { readonly kind: 'SubscriptionChange'; readonly path: string; readonly subscribed: boolean };

/** Told of mailbox events (NOTIFY); may fire for changes the session made itself. */
export type MailboxEventListener = (event: MailboxEvent) => void;

/** The storage interface the IMAP core serves. */
export interface ImapBackend {
  /** Checks a password; never says whether the user exists. */
  authenticate(username: string, password: string, meta: ConnectionMeta): Promise<AuthenticateResult>;

  /** Every mailbox of the user; the core does LIST pattern matching itself. */
  listMailboxes(user: ImapUser): Promise<readonly MailboxListEntry[]>;
  /** Creates a mailbox (and any missing parents); `specialUse` is CREATE-SPECIAL-USE. */
  createMailbox(user: ImapUser, path: string, options: { specialUse?: SpecialUse }): Promise<MailboxResult>;
  /**
   * Renames a mailbox and every child with it (`A` -> `B` also moves `A/x` to `B/x`).
   * Renaming INBOX moves all its messages into a new mailbox of that name and leaves INBOX empty
   * (RFC 3501 6.3.5); INBOX itself stays.
   */
  renameMailbox(user: ImapUser, from: string, to: string): Promise<MailboxResult>;
  /** Deletes a mailbox and its messages; INBOX cannot be deleted (`CANNOT`). */
  deleteMailbox(user: ImapUser, path: string): Promise<MailboxResult>;
  /** SUBSCRIBE / UNSUBSCRIBE. Subscribing to a missing mailbox answers `NONEXISTENT`. */
  setSubscribed(user: ImapUser, path: string, subscribed: boolean): Promise<MailboxResult>;
  /**
   * Counters for STATUS (and LIST-STATUS). `NOPERM`: the user may see the mailbox but lacks `r`
   * (RFC 4314 4); a mailbox the user may not even see is `NONEXISTENT`.
   */
  status(
    user: ImapUser,
    path: string,
  ): Promise<MailboxStatus | { ok: false; code: 'NONEXISTENT' | 'NOPERM' }>;

  /** Opens a mailbox for SELECT/EXAMINE; `NOPERM` as for `status`. */
  openMailbox(
    user: ImapUser,
    path: string,
  ): Promise<OpenedMailbox | { ok: false; code: 'NONEXISTENT' | 'NOPERM' }>;
  /**
   * Streams the requested items of the given messages (ascending UIDs), one message at a time.
   * UIDs that no longer exist are skipped.
   */
  fetch(
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    query: FetchQuery,
  ): AsyncIterable<FetchedMessage>;
  /** UIDs (ascending) of the messages matching `query`. */
  search(user: ImapUser, mailboxId: string, query: SearchQuery): Promise<readonly number[]>;
  /**
   * The sort records of the given messages (SORT, THREAD), in any order; UIDs that no longer exist
   * are skipped. Called after `search` with its result, so it should not read message bodies.
   */
  sortRecords(user: ImapUser, mailboxId: string, uids: readonly number[]): Promise<readonly SortRecord[]>;
  /**
   * Changes flags of the given messages. In another user's mailbox, flags the user has no right
   * to change (RFC 4314 4: `s` for `\Seen`, `t` for `\Deleted`, `w` for the others) are left
   * alone; `NOPERM` when none of the requested flags may be changed.
   */
  store(
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    request: StoreRequest,
  ): Promise<StoreResult | { ok: false; code: 'NOPERM' }>;
  /** Copies messages into another mailbox of the same user. */
  copy(
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    destination: string,
  ): Promise<TransferResult>;
  /** Moves messages: copy then expunge from the source, as one operation for observers. */
  move(
    user: ImapUser,
    mailboxId: string,
    uids: readonly number[],
    destination: string,
  ): Promise<TransferResult>;
  /**
   * Removes messages flagged `\Deleted`; with `uids`, only those among them (UID EXPUNGE).
   * Returns the UIDs removed, ascending; `NOPERM` without the `e` right (RFC 4314 4).
   */
  expunge(
    user: ImapUser,
    mailboxId: string,
    uids?: readonly number[],
  ): Promise<readonly number[] | { ok: false; code: 'NOPERM' }>;
  /**
   * Stores new messages (several with MULTIAPPEND) all or nothing: on failure none of them is
   * added. The core has already checked APPENDLIMIT. The store may answer a failure without
   * reading every message; the core discards the rest of the client's command.
   */
  append(user: ImapUser, path: string, messages: AppendMessages): Promise<AppendResult>;

  /** The quota roots of a mailbox (usually one per user); `NONEXISTENT` for a missing mailbox. */
  getQuotaRoots(
    user: ImapUser,
    path: string,
  ): Promise<readonly QuotaRoot[] | { ok: false; code: 'NONEXISTENT' }>;
  /** One quota root by name, or null when the user has no such root. */
  getQuota(user: ImapUser, root: string): Promise<QuotaRoot | null>;

  /**
   * Registers for change notifications of a mailbox; returns the function that unregisters.
   * The listener may fire more than once per change, and for changes the session made itself.
   */
  subscribeChanges(user: ImapUser, mailboxId: string, listener: ChangeListener): () => void;
  /**
   * Every change with modseq greater than `modseq`, ascending. Returns null when the store no
   * longer has the history back that far (the journal expired); the session then compares a
   * fresh `openMailbox` snapshot, and QRESYNC reports every UID not present as vanished.
   * Never skip ahead: while a change with a lower modseq is not yet visible (a concurrent writer
   * has allocated it but not committed), stop before it, since the session will not ask for
   * modseqs it has passed again.
   */
  changesSince(
    user: ImapUser,
    mailboxId: string,
    modseq: number,
  ): Promise<AsyncIterable<MailboxChange> | null>;

  /**
   * Access lists (RFC 4314). A backend without them leaves these out and the core does not
   * announce ACL. `path` is as the user names the mailbox (e.g. `Other Users/bob@x/Team`).
   * Rights cross this interface as real rights only (letters of `lrswipkxtea`): the core expands
   * a client's obsolete `c` (to `kx`) and `d` (to `et`) before `setAcl`, refuses unknown letters
   * with BAD, and adds `c` and `d` to what `getAcl`, `listRights` and `myRights` answer. The
   * identifier is passed as the client sent it (NFKC-normalised, never empty).
   */
  getAcl?(user: ImapUser, path: string): Promise<readonly AclEntry[] | AclFailure>;
  setAcl?(
    user: ImapUser,
    path: string,
    identifier: string,
    change: AclChange,
  ): Promise<{ ok: true } | AclFailure>;
  deleteAcl?(user: ImapUser, path: string, identifier: string): Promise<{ ok: true } | AclFailure>;
  listRights?(user: ImapUser, path: string, identifier: string): Promise<ListRights | AclFailure>;
  myRights?(user: ImapUser, path: string): Promise<string | AclFailure>;
  /** The namespaces of NAMESPACE; without it, one personal namespace `""`. */
  namespaces?(user: ImapUser): Namespaces;
  /**
   * NOTIFY (RFC 5465): events of every mailbox the user can see, across instances; returns the
   * function that stops them. A backend without it leaves it out and the core does not announce NOTIFY.
   * Fire an event only once its change is visible to `status` and `changesSince`: the core reads
   * them at once (a STATUS for another mailbox, the change report for the selected one) and waits
   * for the next event otherwise. Several events of one mailbox in a burst are fine: the core
   * coalesces them into one STATUS.
   */
  watchMailboxes?(user: ImapUser, listener: MailboxEventListener): () => void;
}
