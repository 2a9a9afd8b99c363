/**
 * The typed AST of a parsed IMAP command: what `CommandParser` hands to the session and the
 * command handlers. Every string is already decoded (UTF-8; mailbox names from modified UTF-7
 * unless UTF8=ACCEPT is enabled), every keyword is upper-cased, every number range-checked.
 *
 * Grammar references: RFC 3501 section 9 (IMAP4rev1), RFC 9051 (IMAP4rev2), RFC 7162
 * (CONDSTORE/QRESYNC), RFC 7888 (LITERAL+), RFC 3516 (BINARY), RFC 4731 (ESEARCH),
 * RFC 5258/5819 (LIST-EXTENDED/LIST-STATUS), RFC 6855 (UTF8=ACCEPT), RFC 9208 (QUOTA).
 */

import type { NotifyCommand } from './notify-command.js';

export type { NotifyCommand } from './notify-command.js';

/**
 * A mod-sequence value (RFC 7162 `mod-sequence-value`, up to 2^63-1 on the wire). Values above
 * `Number.MAX_SAFE_INTEGER` are clamped to it: the store never allocates modseqs that high, so a
 * clamped value compares exactly as the original would against every real modseq.
 */
export type ModSeq = number;

/** A message sequence number or UID in a sequence set; `'*'` is the largest one in use. */
export type SequenceNumber = number | '*';

/** One `a:b` range of a sequence set (a single number `n` is `{ start: n, end: n }`); bounds may come in either order. */
export interface SequenceRange {
  start: SequenceNumber;
  end: SequenceNumber;
}

/** A parsed sequence set: the ranges in the client's order, or `'$'` (RFC 5182 SEARCHRES: the saved search result). */
export type SequenceSet = SequenceRange[] | '$';

/** A calendar date without time or zone, as SEARCH dates are (RFC 3501 `date`); month is 1-12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** A decoded mailbox name (Unicode; any case of `INBOX` normalised to `INBOX`). */
export type MailboxName = string;

/** Names of every command the parser understands (upper-case). */
export type CommandName = ImapCommand['name'];

/** Fields every parsed command carries. */
export interface CommandBase {
  /** The client's tag, exactly as sent. */
  tag: string;
  /** True for the `UID FETCH/STORE/COPY/MOVE/SEARCH/EXPUNGE` forms; false otherwise. */
  uid: boolean;
}

/** CAPABILITY, NOOP, LOGOUT, STARTTLS, CHECK, CLOSE, UNSELECT, IDLE, NAMESPACE and UNAUTHENTICATE take no arguments. */
export interface NoArgumentCommand extends CommandBase {
  name:
    | 'CAPABILITY'
    | 'NOOP'
    | 'LOGOUT'
    | 'STARTTLS'
    | 'CHECK'
    | 'CLOSE'
    | 'UNSELECT'
    | 'IDLE'
    | 'NAMESPACE'
    | 'UNAUTHENTICATE';
}

/** LOGIN userid password (RFC 3501 6.2.3). */
export interface LoginCommand extends CommandBase {
  name: 'LOGIN';
  username: string;
  password: string;
}

/** AUTHENTICATE mechanism [initial-response] (RFC 3501 6.2.2, RFC 4959 SASL-IR). */
export interface AuthenticateCommand extends CommandBase {
  name: 'AUTHENTICATE';
  /** The SASL mechanism, upper-cased (e.g. `PLAIN`). */
  mechanism: string;
  /** The base64-decoded SASL-IR initial response; an empty Buffer for `=`; null when absent. */
  initialResponse: Buffer | null;
}

/** QRESYNC parameters of SELECT/EXAMINE (RFC 7162 3.2.5): `(uidvalidity modseq [known-uids [seq-match-data]])`. */
export interface QresyncParameters {
  uidValidity: number;
  modSeq: ModSeq;
  /** UIDs the client knows about; null when not sent. */
  knownUids: SequenceSet | null;
  /** Pairs of message sequence numbers and their UIDs, for the server to find the first unknown expunge; null when not sent. */
  sequenceMatch: { sequenceNumbers: SequenceSet; uids: SequenceSet } | null;
}

/** SELECT / EXAMINE mailbox [(CONDSTORE) | (QRESYNC (...))] (RFC 3501 6.3.1-2, RFC 7162). */
export interface SelectCommand extends CommandBase {
  name: 'SELECT' | 'EXAMINE';
  mailbox: MailboxName;
  /** True when the client sent the CONDSTORE select parameter. */
  condstore: boolean;
  /** The QRESYNC select parameter, null when absent. */
  qresync: QresyncParameters | null;
}

/** CREATE mailbox [(USE (special-use ...))] (RFC 3501 6.3.3, RFC 6154 CREATE-SPECIAL-USE). */
export interface CreateCommand extends CommandBase {
  name: 'CREATE';
  mailbox: MailboxName;
  /** Requested SPECIAL-USE attributes as sent (e.g. `\Drafts`); empty when none. */
  specialUse: string[];
}

/** DELETE, SUBSCRIBE, UNSUBSCRIBE and GETQUOTAROOT take one mailbox name. */
export interface MailboxCommand extends CommandBase {
  name: 'DELETE' | 'SUBSCRIBE' | 'UNSUBSCRIBE' | 'GETQUOTAROOT';
  mailbox: MailboxName;
}

/** RENAME existing-mailbox new-mailbox (RFC 3501 6.3.5). */
export interface RenameCommand extends CommandBase {
  name: 'RENAME';
  mailbox: MailboxName;
  newMailbox: MailboxName;
}

/** LIST-EXTENDED selection options (RFC 5258 3.1, RFC 6154 5.1); all false for a basic LIST. */
export interface ListSelectionOptions {
  subscribed: boolean;
  remote: boolean;
  recursiveMatch: boolean;
  specialUse: boolean;
}

/** Status data items, for STATUS and LIST RETURN (STATUS (...)) (RFC 3501 6.3.10, RFC 9051, RFC 7162, RFC 8438, RFC 7889). */
export type StatusItem =
  | 'MESSAGES'
  | 'RECENT'
  | 'UIDNEXT'
  | 'UIDVALIDITY'
  | 'UNSEEN'
  | 'DELETED'
  | 'HIGHESTMODSEQ'
  | 'SIZE'
  | 'APPENDLIMIT'
  /** RFC 8474 OBJECTID. */
  | 'MAILBOXID';

/** LIST-EXTENDED return options (RFC 5258 3.2, RFC 5819, RFC 6154). */
export interface ListReturnOptions {
  subscribed: boolean;
  children: boolean;
  specialUse: boolean;
  /** RETURN (STATUS (...)) items; null when not asked. */
  status: StatusItem[] | null;
}

/** LIST [(selection)] reference pattern(s) [RETURN (options)] (RFC 3501 6.3.8, RFC 5258). */
export interface ListCommand extends CommandBase {
  name: 'LIST';
  /** The reference name, decoded like a mailbox name (not INBOX-normalised). */
  reference: string;
  /**
   * One or more mailbox patterns (with `*` and `%` wildcards), decoded like mailbox names. Patterns
   * that are not valid names (bad modified UTF-7) are left out, since they match nothing: the list
   * may then be empty.
   */
  patterns: string[];
  selection: ListSelectionOptions;
  returnOptions: ListReturnOptions;
  /** True when the client used any LIST-EXTENDED syntax (selection options, pattern list or RETURN). */
  extended: boolean;
}

/** LSUB reference pattern (RFC 3501 6.3.9). */
export interface LsubCommand extends CommandBase {
  name: 'LSUB';
  reference: string;
  /** Null when the pattern (or the reference) is not a valid name: it matches nothing. */
  pattern: string | null;
}

/** STATUS mailbox (items) (RFC 3501 6.3.10). */
export interface StatusCommand extends CommandBase {
  name: 'STATUS';
  mailbox: MailboxName;
  items: StatusItem[];
}

/** One message of an APPEND (several with MULTIAPPEND, RFC 3502). */
export interface AppendMessage {
  /** Flags as sent, system flags with canonical case (`\Seen`); empty when none. */
  flags: string[];
  /** The date-time argument as an instant; null when the client sent none. */
  internalDate: Date | null;
  /** The message bytes, exactly as the literal carried them. */
  content: Buffer;
  /** True when sent as literal8 `~{n}` (RFC 3516), i.e. the content may contain NUL. */
  binary: boolean;
  /** True when wrapped in `UTF8 (...)` (RFC 6855 3.4). */
  utf8: boolean;
  /** CATENATE (RFC 4469): the parts the message is made of (`content` is then empty). */
  catenate?: CatenatePart[];
}

/** One part of a CATENATE message (RFC 4469): an IMAP URL of a message or part, or literal text. */
export type CatenatePart = { type: 'url'; url: string } | { type: 'text'; data: Buffer };

/**
 * One step of a streamed APPEND (parser option `streamAppend`), yielded when a line of an APPEND
 * ends with a message literal, and once more when the command ends.
 */
export interface AppendStreamEvent {
  type: 'append';
  tag: string;
  mailbox: MailboxName;
  /** The command's first step: its handler starts now. */
  first: boolean;
  /** Messages the command text completed since the previous step (CATENATE messages). */
  messages: AppendMessage[];
  /**
   * The message whose literal follows, its bytes to be read with `readLiteralData()`; null when
   * this step ends the command.
   */
  streamed: (Omit<AppendMessage, 'content' | 'catenate'> & { size: number }) | null;
  /** The client waits for `+`: call `acceptLiteral()` (and write `+`) or `rejectLiteral()`. */
  synchronizing: boolean;
}

/** APPEND mailbox message [message ...] (RFC 3501 6.3.11, RFC 3502 MULTIAPPEND). */
export interface AppendCommand extends CommandBase {
  name: 'APPEND';
  mailbox: MailboxName;
  messages: AppendMessage[];
}

/** ESEARCH return options (RFC 4731, RFC 5182 SAVE). */
export type SearchReturnOption = 'MIN' | 'MAX' | 'ALL' | 'COUNT' | 'SAVE';

/** Search keys that take no argument. */
export type FlagSearchKeyName =
  | 'ALL'
  | 'ANSWERED'
  | 'DELETED'
  | 'DRAFT'
  | 'FLAGGED'
  | 'NEW'
  | 'OLD'
  | 'RECENT'
  | 'SEEN'
  | 'UNANSWERED'
  | 'UNDELETED'
  | 'UNDRAFT'
  | 'UNFLAGGED'
  | 'UNSEEN'
  /** RFC 8514: every message whose mailbox keeps save dates. */
  | 'SAVEDATESUPPORTED';

/** Search keys that match a substring of a header or body part. */
export type TextSearchKeyName = 'BCC' | 'BODY' | 'CC' | 'FROM' | 'SUBJECT' | 'TEXT' | 'TO';

/** Search keys that compare a date (internal date or the Date: header). */
export type DateSearchKeyName =
  | 'BEFORE'
  | 'ON'
  | 'SINCE'
  | 'SENTBEFORE'
  | 'SENTON'
  | 'SENTSINCE'
  /** RFC 8514: the day the message was saved into the mailbox. */
  | 'SAVEDBEFORE'
  | 'SAVEDON'
  | 'SAVEDSINCE';

/** One node of the search key tree (RFC 3501 6.4.4, RFC 7162 3.1.5). */
export type SearchKey =
  /** A key without argument (`RECENT` never matches: the server has no \Recent; `NEW` likewise). */
  | { key: FlagSearchKeyName }
  /** Substring match (case-insensitive) of a header or text. */
  | { key: TextSearchKeyName; value: string }
  /** HEADER field-name string: substring match of a named header; empty value matches presence. */
  | { key: 'HEADER'; field: string; value: string }
  /** KEYWORD / UNKEYWORD flag. */
  | { key: 'KEYWORD' | 'UNKEYWORD'; flag: string }
  /** Date comparisons; time and zone are disregarded. */
  | { key: DateSearchKeyName; date: CalendarDate }
  /** RFC822.SIZE comparisons. */
  | { key: 'LARGER' | 'SMALLER'; size: number }
  /** UID sequence-set. */
  | { key: 'UID'; set: SequenceSet }
  /** A bare sequence set: message sequence numbers. */
  | { key: 'SEQUENCE'; set: SequenceSet }
  /** NOT key. */
  | { key: 'NOT'; operand: SearchKey }
  /** OR key1 key2. */
  | { key: 'OR'; left: SearchKey; right: SearchKey }
  /** A parenthesised group: every operand must match. */
  | { key: 'AND'; operands: SearchKey[] }
  /** MODSEQ [entry-name entry-type] mod-sequence-value (RFC 7162): modseq at least this. */
  | { key: 'MODSEQ'; modSeq: ModSeq; entry: { name: string; type: 'priv' | 'shared' | 'all' } | null }
  /** OLDER n / YOUNGER n (RFC 5032 WITHIN): internal date more than / at most n seconds ago. */
  | { key: 'OLDER' | 'YOUNGER'; seconds: number }
  /** EMAILID / THREADID objectid (RFC 8474). */
  | { key: 'EMAILID' | 'THREADID'; id: string };

/** SEARCH [RETURN (...)] [CHARSET c] key... (RFC 3501 6.4.4, RFC 4731). */
export interface SearchCommand extends CommandBase {
  name: 'SEARCH';
  /** The CHARSET argument upper-cased, null when absent (strings are decoded as UTF-8 either way). */
  charset: string | null;
  /** ESEARCH return options; null for a plain SEARCH; `RETURN ()` is normalised to `['ALL']`. */
  returnOptions: SearchReturnOption[] | null;
  /** The top-level keys, all of which must match (at least one). */
  criteria: SearchKey[];
}

/** SORT keys (RFC 5256 3, RFC 5957 DISPLAYFROM and DISPLAYTO). */
export type SortKeyName =
  'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';

/** One SORT criterion: a key, optionally REVERSE. */
export interface SortCriterion {
  key: SortKeyName;
  reverse: boolean;
}

/** SORT [RETURN (...)] (criteria) charset key... (RFC 5256, RFC 5267 ESORT). */
export interface SortCommand extends CommandBase {
  name: 'SORT';
  /** ESORT return options; null for a plain SORT. */
  returnOptions: SearchReturnOption[] | null;
  sortCriteria: SortCriterion[];
  /** The charset upper-cased (SORT requires one). */
  charset: string;
  /** The search keys, all of which must match. */
  criteria: SearchKey[];
}

/** THREAD algorithms (RFC 5256 4). */
export type ThreadAlgorithm = 'ORDEREDSUBJECT' | 'REFERENCES';

/** THREAD algorithm charset key... (RFC 5256). */
export interface ThreadCommand extends CommandBase {
  name: 'THREAD';
  algorithm: ThreadAlgorithm;
  charset: string;
  criteria: SearchKey[];
}

/** A section part path, e.g. `[1, 2]` for `BODY[1.2]`; empty for the whole message. */
export type SectionPart = number[];

/** A body section spec (RFC 3501 `section`): part path plus optional text specifier. */
export interface SectionSpec {
  part: SectionPart;
  /** What of the part: null for the whole part (`BODY[]`, `BODY[1.2]`). */
  specifier: null | 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';
  /** Header field names as sent, for HEADER.FIELDS and HEADER.FIELDS.NOT; empty otherwise. */
  fields: string[];
}

/** A partial range `<offset.length>` of a section. */
export interface PartialRange {
  offset: number;
  length: number;
}

/** Fetch attributes without arguments (macros ALL/FAST/FULL are expanded into these). */
export type SimpleFetchItemName =
  | 'FLAGS'
  | 'INTERNALDATE'
  | 'RFC822'
  | 'RFC822.HEADER'
  | 'RFC822.SIZE'
  | 'RFC822.TEXT'
  | 'ENVELOPE'
  | 'BODY'
  | 'BODYSTRUCTURE'
  | 'UID'
  | 'MODSEQ'
  /** RFC 8474 OBJECTID. */
  | 'EMAILID'
  | 'THREADID'
  /** RFC 8514. */
  | 'SAVEDATE';

/** One fetch attribute (RFC 3501 6.4.5, RFC 3516, RFC 7162). */
export type FetchItem =
  /** An attribute without section, e.g. FLAGS or BODYSTRUCTURE (`BODY` alone is the non-extensible structure). */
  | { item: SimpleFetchItemName }
  /** BODY[section]<partial> or BODY.PEEK[...]. */
  | { item: 'BODY[]'; peek: boolean; section: SectionSpec; partial: PartialRange | null }
  /** BINARY[part]<partial> or BINARY.PEEK[...] (RFC 3516). */
  | { item: 'BINARY[]'; peek: boolean; part: SectionPart; partial: PartialRange | null }
  /** BINARY.SIZE[part] (RFC 3516). */
  | { item: 'BINARY.SIZE'; part: SectionPart }
  /** PREVIEW or PREVIEW (LAZY) (RFC 8970). */
  | { item: 'PREVIEW'; lazy: boolean };

/** FETCH sequence-set items [(CHANGEDSINCE n [VANISHED])] (RFC 3501 6.4.5, RFC 7162). */
export interface FetchCommand extends CommandBase {
  name: 'FETCH';
  sequenceSet: SequenceSet;
  /** The attributes, macros expanded, in the client's order. */
  items: FetchItem[];
  /** Which macro the client used (ALL, FAST, FULL), null when it listed attributes. */
  macro: 'ALL' | 'FAST' | 'FULL' | null;
  /** CHANGEDSINCE modifier, null when absent. */
  changedSince: ModSeq | null;
  /** VANISHED modifier (UID FETCH with QRESYNC only; the parser accepts it, the handler checks). */
  vanished: boolean;
}

/** STORE sequence-set [(UNCHANGEDSINCE n)] (+|-)FLAGS[.SILENT] flags (RFC 3501 6.4.6, RFC 7162). */
export interface StoreCommand extends CommandBase {
  name: 'STORE';
  sequenceSet: SequenceSet;
  /** `FLAGS` replaces, `+FLAGS` adds, `-FLAGS` removes. */
  operation: 'set' | 'add' | 'remove';
  /** `.SILENT`: do not send the untagged FETCH of the new flags. */
  silent: boolean;
  /** Flags as sent, system flags with canonical case (`\Seen`). */
  flags: string[];
  /** UNCHANGEDSINCE modifier, null when absent. */
  unchangedSince: ModSeq | null;
}

/** COPY / MOVE sequence-set mailbox (RFC 3501 6.4.7, RFC 6851). */
export interface CopyCommand extends CommandBase {
  name: 'COPY' | 'MOVE';
  sequenceSet: SequenceSet;
  mailbox: MailboxName;
}

/** EXPUNGE, or UID EXPUNGE sequence-set (RFC 4315). */
export interface ExpungeCommand extends CommandBase {
  name: 'EXPUNGE';
  /** The UID set for UID EXPUNGE; null for plain EXPUNGE. */
  sequenceSet: SequenceSet | null;
}

/** ENABLE capability... (RFC 5161). */
export interface EnableCommand extends CommandBase {
  name: 'ENABLE';
  /** Capability names, upper-cased. */
  capabilities: string[];
}

/** ID (params) or ID NIL (RFC 2971). */
export interface IdCommand extends CommandBase {
  name: 'ID';
  /** Field/value pairs in the client's order; null for `ID NIL`. */
  parameters: { key: string; value: string | null }[] | null;
}

/** COMPRESS mechanism (RFC 4978); the mechanism upper-cased. */
export interface CompressCommand extends CommandBase {
  name: 'COMPRESS';
  mechanism: string;
}

/** GETQUOTA quota-root (RFC 9208). */
export interface GetQuotaCommand extends CommandBase {
  name: 'GETQUOTA';
  root: string;
}

/** SETQUOTA quota-root (resource limit ...) (RFC 9208); resource names upper-cased. */
export interface SetQuotaCommand extends CommandBase {
  name: 'SETQUOTA';
  root: string;
  limits: { resource: string; limit: number }[];
}

/** GETACL and MYRIGHTS mailbox (RFC 4314 3.3, 3.5). */
export interface AclMailboxCommand extends CommandBase {
  name: 'GETACL' | 'MYRIGHTS';
  mailbox: MailboxName;
}

/** DELETEACL and LISTRIGHTS mailbox identifier (RFC 4314 3.2, 3.4). */
export interface AclIdentifierCommand extends CommandBase {
  name: 'DELETEACL' | 'LISTRIGHTS';
  mailbox: MailboxName;
  /** The identifier as the client sent it, Unicode NFKC-normalised. */
  identifier: string;
}

/** SETACL mailbox identifier mod-rights (RFC 4314 3.1). */
export interface SetAclCommand extends CommandBase {
  name: 'SETACL';
  mailbox: MailboxName;
  identifier: string;
  /** The mod-rights as sent (`+`/`-` and letters); the handler checks the letters. */
  modRights: string;
}

/** Any parsed command; switch on `name` to narrow. */
export type ImapCommand =
  | NoArgumentCommand
  | LoginCommand
  | AuthenticateCommand
  | SelectCommand
  | CreateCommand
  | MailboxCommand
  | RenameCommand
  | ListCommand
  | LsubCommand
  | StatusCommand
  | AppendCommand
  | SearchCommand
  | SortCommand
  | ThreadCommand
  | FetchCommand
  | StoreCommand
  | CopyCommand
  | ExpungeCommand
  | EnableCommand
  | IdCommand
  | CompressCommand
  | GetQuotaCommand
  | SetQuotaCommand
  | AclMailboxCommand
  | AclIdentifierCommand
  | SetAclCommand
  | NotifyCommand;

/**
 * Kinds of parse errors, with the answer the session should give:
 * - `syntax`: malformed arguments → tagged `BAD` (untagged `* BAD` when `tag` is null).
 * - `unknown-command`: the command name is not one we know → `BAD`.
 * - `invalid-mailbox-name`: a mailbox argument is not valid modified UTF-7 (or, with UTF8=ACCEPT,
 *   not valid UTF-8): no mailbox can have that name, so the command fails → tagged `NO`
 *   (as Dovecot answers), not `BAD`.
 * - `line-too-long`: the command text (literals excluded) passed `maxLineLength`; the rest of the
 *   command was skipped → `BAD`.
 * - `nesting-too-deep`: parentheses nested past `maxNestingDepth` → `BAD`.
 * - `literal-too-large`: a literal announced more than `maxLiteralSize` (or the command's literals
 *   together passed `maxCommandLiteralBytes`) → tagged `NO [TOOBIG]`. A synchronising literal was
 *   never sent by the client; a non-synchronising one was read and thrown away.
 * - `input-overflow`: the peer sent more than `maxBufferedBytes` without the session reading it
 *   (it ignored back-pressure) → `* BYE` and close: the stream cannot be resynchronised.
 * - `unrecoverable`: the framing itself is broken (e.g. a non-synchronising literal whose length
 *   cannot be read) → `* BYE` and close.
 */
export type ParseErrorKind =
  | 'syntax'
  | 'unknown-command'
  | 'invalid-mailbox-name'
  | 'line-too-long'
  | 'nesting-too-deep'
  | 'literal-too-large'
  | 'input-overflow'
  | 'unrecoverable';

/** A client error found while parsing; a value, never thrown. */
export interface ParseError {
  kind: ParseErrorKind;
  /** The tag when one could be read, else null (answer with an untagged response). */
  tag: string | null;
  /** The upper-cased command name when it could be read (e.g. to choose NO [TOOBIG] for APPEND). */
  commandName: string | null;
  /** Human-readable reason, suitable after `BAD `/`NO `. */
  message: string;
  /** True when the connection must be closed (`input-overflow`, `unrecoverable`). */
  fatal: boolean;
}

/** The session must decide on a synchronising literal before the client sends its bytes. */
export interface ContinuationRequest {
  tag: string | null;
  commandName: string | null;
  /** Announced literal size in bytes. */
  size: number;
  /** True for literal8 `~{n}`. */
  binary: boolean;
}

/** What `CommandParser.read()` yields. */
export type ParserEvent =
  | { type: 'command'; command: ImapCommand }
  | AppendStreamEvent
  | { type: 'error'; error: ParseError }
  /** Call `acceptLiteral()` and write `+ ...`, or `rejectLiteral()` and write a tagged NO/BAD. */
  | { type: 'continuation'; request: ContinuationRequest };

/** What `CommandParser.readLine()` yields in raw-line mode (AUTHENTICATE responses, IDLE's DONE). */
export type RawLineEvent = { type: 'line'; line: string } | { type: 'error'; error: ParseError };
