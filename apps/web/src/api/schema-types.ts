// Generated from apps/api/schema.graphql by scripts/generate-api-types.mjs: do not edit.
// Run `npm run generate -w apps/web` after `npm run schema -w apps/api`.

/** A nullable GraphQL value. */
export type Maybe<T> = T | null;

/** The scalars of the API as TypeScript sees them (DateTime: ISO 8601 text). */
export interface Scalars {
  ID: string;
  String: string;
  Boolean: boolean;
  Int: number;
  Float: number;
  DateTime: string;
}

/** Sets of rights offered by the Share dialog. */
export type AccessPreset = 'NONE' | 'READ' | 'READ_WRITE' | 'FULL';

export interface AccessToken {
  id: Scalars['ID'];
  name: Scalars['String'];
  scopes: Array<Scope>;
  created: Scalars['DateTime'];
  expires?: Maybe<Scalars['DateTime']>;
  lastUsed?: Maybe<Scalars['DateTime']>;
}

export interface Address {
  name?: Maybe<Scalars['String']>;
  address: Scalars['String'];
}

export interface AddressInput {
  name?: Maybe<Scalars['String']>;
  address: Scalars['String'];
}

export interface AdminEvent {
  /** Opaque; pass as since to resume after this event (as mailboxChanges' cursor). */
  cursor: Scalars['String'];
  id: Scalars['ID'];
  type: AdminEventType;
  at: Scalars['DateTime'];
  /** The user concerned; null for a failed sign-in as an address that has no account. */
  userId?: Maybe<Scalars['ID']>;
  /** The user's address, or the name tried at a failed sign-in. */
  address?: Maybe<Scalars['String']>;
  /** lmtp, smtp, submission, api, imap, managesieve, web */
  protocol?: Maybe<Scalars['String']>;
  /** The client address (sign-ins) or the envelope sender (deliveries). */
  remote?: Maybe<Scalars['String']>;
  /** A short human reason (failures) or the subject (deliveries). */
  detail?: Maybe<Scalars['String']>;
  /** DELIVERY: the message's bytes. */
  size?: Maybe<Scalars['Float']>;
  /** QUOTA_WARNING: storage used and quota, in bytes. */
  storageUsed?: Maybe<Scalars['Float']>;
  quota?: Maybe<Scalars['Float']>;
}

export type AdminEventType = 'DELIVERY' | 'DELIVERY_FAILED' | 'SIGN_IN' | 'SIGN_IN_FAILED' | 'QUOTA_WARNING';

/** A user's mailbox with its access list (administrators). */
export interface AdminSharedMailbox {
  mailbox: Mailbox;
  /** Owner first, then every person or group it is shared with. */
  access: Array<MailboxShare>;
}

/** A named password for one client; its secret is shown once, when it is made. */
export interface AppPassword {
  id: Scalars['ID'];
  name: Scalars['String'];
  scopes: Array<AppPasswordScope>;
  created: Scalars['DateTime'];
  /** When it last signed a client in, and from which client address. */
  lastUsed?: Maybe<Scalars['DateTime']>;
  lastAddress?: Maybe<Scalars['String']>;
}

/** What an app password may be used for. */
export type AppPasswordScope = 'imap' | 'smtp' | 'managesieve' | 'api';

export interface Attachment {
  /** Part number (IMAP section), e.g. 2 or 1.2. */
  id: Scalars['String'];
  filename?: Maybe<Scalars['String']>;
  contentType: Scalars['String'];
  size: Scalars['Float'];
  /** inline parts are referenced from the HTML by cid: */
  disposition?: Maybe<Scalars['String']>;
  contentId?: Maybe<Scalars['String']>;
  /** GET with the same Authorization header; streamed from the store. */
  downloadUrl: Scalars['String'];
}

export type BulkAction =
  'MOVE' | 'DELETE' | 'MARK_READ' | 'MARK_UNREAD' | 'FLAG' | 'UNFLAG' | 'REPORT_SPAM' | 'ARCHIVE';

export interface BulkResult {
  /** Messages acted on. */
  count: Scalars['Int'];
  /**
   * For MOVE, DELETE (to Trash), REPORT_SPAM and ARCHIVE: pass to undoBulk to put them back. Null
   * when messages moved between two users' folders (stored again for the other owner under new ids:
   * such a move cannot be undone).
   */
  undoToken?: Maybe<Scalars['String']>;
  /** How long undoToken is good for. */
  undoSeconds?: Maybe<Scalars['Int']>;
}

export type ChangeType =
  | 'EXISTS'
  | 'EXPUNGE'
  | 'FLAGS'
  | 'MAILBOX_CREATED'
  | 'MAILBOX_DELETED'
  | 'MAILBOX_RENAMED'
  | 'SPAM'
  | 'NOT_SPAM';

export interface ComposeInput {
  to?: Maybe<Array<AddressInput>>;
  cc?: Maybe<Array<AddressInput>>;
  bcc?: Maybe<Array<AddressInput>>;
  subject?: Maybe<Scalars['String']>;
  text?: Maybe<Scalars['String']>;
  html?: Maybe<Scalars['String']>;
  /** Message id (ours) this answers: In-Reply-To and References are set, the original gets \Answered when sent. */
  inReplyTo?: Maybe<Scalars['ID']>;
  /** Upload ids from POST /uploads (Authorization as for GraphQL). */
  attachments?: Maybe<Array<Scalars['ID']>>;
  /**
   * Pictures the HTML refers to by cid:. The HTML is sanitised by the rules received HTML is shown
   * with before it is sent, and a plain text alternative is made from it when text is not given.
   */
  inlineImages?: Maybe<Array<InlineImageInput>>;
  /** The identity to send as (its name and address in From); the default identity when absent. */
  identityId?: Maybe<Scalars['ID']>;
}

/** One inconsistency the check found (see docs/operations.md, Consistency check). */
export interface ConsistencyFinding {
  /** e.g. part-refcount, storage-counter, mailbox-counters, uid-not-below-uidnext, orphaned-part. */
  kind: Scalars['String'];
  /** Null for store-wide findings (a part shared by several users). */
  userId?: Maybe<Scalars['ID']>;
  mailboxId?: Maybe<Scalars['ID']>;
  /** The documents concerned: message ids, part hashes, upload ids, UIDs. */
  ids: Array<Scalars['String']>;
  expected: Scalars['String'];
  actual: Scalars['String'];
  /** Whether repairConsistency fixes it. */
  repairable: Scalars['Boolean'];
}

export interface ConsistencyRepair {
  finding: ConsistencyFinding;
  /** False when the finding no longer held (a writer fixed it meanwhile). */
  changed: Scalars['Boolean'];
  /** What was changed, e.g. storageUsed 1200 -> 1000. */
  action: Scalars['String'];
}

export interface ConsistencyReport {
  findings: Array<ConsistencyFinding>;
  scope: ConsistencyScope;
}

export interface ConsistencyScope {
  users: Scalars['Int'];
  mailboxes: Scalars['Int'];
  messages: Scalars['Int'];
  parts: Scalars['Int'];
  /** False for a one-user check (orphaned parts are looked for only over all users). */
  allUsers: Scalars['Boolean'];
}

export interface CreateUserInput {
  address: Scalars['String'];
  password: Scalars['String'];
  name?: Maybe<Scalars['String']>;
  role?: Maybe<Role>;
  /** Bytes; null or absent: unlimited. */
  quota?: Maybe<Scalars['Float']>;
}

export interface DeleteResult {
  /** Moved to Trash. */
  movedToTrash: Array<Scalars['ID']>;
  /** Deleted for good (they were in Trash already). */
  expunged: Array<Scalars['ID']>;
}

export interface DeliveriesPerMinute {
  minute: Scalars['DateTime'];
  count: Scalars['Int'];
}

export interface FilterAction {
  type: FilterActionType;
  /** For move: the mailbox path. */
  mailbox?: Maybe<Scalars['String']>;
  /** For forward: the address. */
  address?: Maybe<Scalars['String']>;
}

export interface FilterActionInput {
  type: FilterActionType;
  mailbox?: Maybe<Scalars['String']>;
  address?: Maybe<Scalars['String']>;
}

export type FilterActionType = 'move' | 'markRead' | 'flag' | 'forward' | 'discard';

/** The last time a filter failed while running at delivery (the message went to INBOX). */
export interface FilterError {
  at: Scalars['DateTime'];
  /** The script that failed: the name of a Sieve script, or 'rules', 'vacation', 'forwarding'. */
  script: Scalars['String'];
  message: Scalars['String'];
}

export type FilterField = 'from' | 'to' | 'cc' | 'subject';

export type FilterMatch = 'contains' | 'is';

/** A rule built with the form; the rules together are written as Sieve, run before the active script. */
export interface FilterRule {
  id: Scalars['ID'];
  name: Scalars['String'];
  enabled: Scalars['Boolean'];
  field: FilterField;
  match: FilterMatch;
  value: Scalars['String'];
  actions: Array<FilterAction>;
  /** Stop here when this rule matched (no later rule or script runs). */
  stop: Scalars['Boolean'];
}

export interface FilterRuleInput {
  /** Kept when given, made when not. */
  id?: Maybe<Scalars['ID']>;
  name: Scalars['String'];
  enabled: Scalars['Boolean'];
  field: FilterField;
  match: FilterMatch;
  value: Scalars['String'];
  actions: Array<FilterActionInput>;
  stop?: Maybe<Scalars['Boolean']>;
}

export interface ForwardingInput {
  enabled: Scalars['Boolean'];
  /** At most 5, never the user's own; at least one when enabled. */
  addresses: Array<Scalars['String']>;
  keepCopy: Scalars['Boolean'];
}

/** Forwarding of every incoming message, through the smarthost, with the user's address as envelope sender. */
export interface ForwardingSettings {
  enabled: Scalars['Boolean'];
  addresses: Array<Scalars['String']>;
  /** Keep a copy in this mailbox too. */
  keepCopy: Scalars['Boolean'];
}

export interface Header {
  key: Scalars['String'];
  value: Scalars['String'];
}

/** A name and address the user sends as, with its signature. */
export interface Identity {
  id: Scalars['ID'];
  name?: Maybe<Scalars['String']>;
  /** One of the user's own addresses. */
  address: Scalars['String'];
  /** Sanitised HTML, added below new messages and replies written as this identity. */
  signatureHtml?: Maybe<Scalars['String']>;
  /** Used when composing unless another is chosen; exactly one identity is the default. */
  isDefault: Scalars['Boolean'];
}

export interface IdentityInput {
  name?: Maybe<Scalars['String']>;
  address: Scalars['String'];
  signatureHtml?: Maybe<Scalars['String']>;
  isDefault?: Maybe<Scalars['Boolean']>;
}

/** A picture pasted into the HTML: an upload sent as a related part, referred to as cid:<contentId>. */
export interface InlineImageInput {
  /** An upload id from POST /uploads; its content type must be image/*. */
  uploadId: Scalars['ID'];
  /** Without the cid: prefix and without angle brackets. */
  contentId: Scalars['String'];
}

export interface Mailbox {
  id: Scalars['ID'];
  /** Full path with / as the delimiter, e.g. Work/Projects. */
  path: Scalars['String'];
  /** Last segment of the path. */
  name: Scalars['String'];
  specialUse?: Maybe<SpecialUse>;
  subscribed: Scalars['Boolean'];
  total: Scalars['Int'];
  unseen: Scalars['Int'];
  /** Bytes of all its messages. */
  size: Scalars['Float'];
  uidValidity: Scalars['Float'];
  /** How the viewer has it when another user shares it with them; null for the viewer's own. */
  shared?: Maybe<SharedMailbox>;
  /** The viewer's RFC 4314 rights: every one (lrswipkxtea) for their own mailbox. */
  myRights: Scalars['String'];
  /** Who it is shared with, the owner first; null unless the viewer may administer it (right a). */
  access?: Maybe<Array<MailboxShare>>;
}

/** An address that delivers into one mailbox (a team inbox), as mail of the mailbox's owner: the owner's filters run on it (its vacation reply excepted) and its quota is charged. */
export interface MailboxAddress {
  /** Lower-cased. */
  address: Scalars['String'];
  mailboxId: Scalars['ID'];
  /** The mailbox's path in its owner's folders. */
  mailboxPath: Scalars['String'];
  ownerAddress: Scalars['String'];
  created: Scalars['DateTime'];
}

/**
 * One change of the signed-in user's data. Message changes (EXISTS, EXPUNGE, FLAGS) name the
 * mailbox and the UID; FLAGS carries the new flags; SPAM and NOT_SPAM name the message too.
 */
export interface MailboxChange {
  /** Opaque; pass as since to resume after this change. */
  cursor: Scalars['String'];
  type: ChangeType;
  mailboxId: Scalars['ID'];
  uid?: Maybe<Scalars['Int']>;
  modseq?: Maybe<Scalars['Float']>;
  flags?: Maybe<Array<Scalars['String']>>;
  /** The message (EXISTS, FLAGS, SPAM, NOT_SPAM) when known. */
  messageId?: Maybe<Scalars['ID']>;
  /** The mailbox path (mailbox events, SPAM, NOT_SPAM). */
  path?: Maybe<Scalars['String']>;
}

/** One entry of a mailbox's access list. */
export interface MailboxShare {
  /** The person's address, or the group anyone / authenticated. */
  identifier: Scalars['String'];
  /** The person's user id; null for a group. */
  user?: Maybe<Scalars['ID']>;
  /** RFC 4314 rights, letters of lrswipkxtea in that order. */
  rights: Scalars['String'];
  /** The preset these rights are exactly; null when they match none. */
  preset?: Maybe<AccessPreset>;
  /** True for the owner, who always has every right (listed first). */
  owner: Scalars['Boolean'];
}

export interface MailSettings {
  vacation: VacationSettings;
  forwarding: ForwardingSettings;
  filterRules: Array<FilterRule>;
  /** The Sieve the rules, vacation and forwarding are run as (read-only, for the curious). */
  generatedSieve: Scalars['String'];
  lastFilterError?: Maybe<FilterError>;
}

/** A whole message for reading. */
export interface Message {
  id: Scalars['ID'];
  mailboxId: Scalars['ID'];
  uid: Scalars['Int'];
  from: Array<Address>;
  to: Array<Address>;
  cc: Array<Address>;
  bcc: Array<Address>;
  replyTo: Array<Address>;
  subject: Scalars['String'];
  date: Scalars['DateTime'];
  internalDate: Scalars['DateTime'];
  flags: Array<Scalars['String']>;
  size: Scalars['Float'];
  messageId?: Maybe<Scalars['String']>;
  inReplyTo?: Maybe<Scalars['String']>;
  references: Array<Scalars['String']>;
  /** Every header field, decoded, in order. */
  headers: Array<Header>;
  /** The plain text body (from the HTML when there is no text part). */
  text?: Maybe<Scalars['String']>;
  /**
   * The HTML body, sanitised on the server: no scripts, event handlers, forms, iframes or
   * javascript: URLs; remote images and styles replaced unless remoteContent is true.
   */
  html?: Maybe<Scalars['String']>;
  /** True when the HTML referred to remote content that was blocked. */
  hasRemoteContent: Scalars['Boolean'];
  attachments: Array<Attachment>;
  /** GET with the same Authorization header: the message as stored (message/rfc822). */
  rawUrl: Scalars['String'];
  /** Messages of the same conversation (by References / In-Reply-To), oldest first. */
  thread: Array<MessageSummary>;
}

/** Arguments of Message.html. */
export interface MessageHtmlArgs {
  remoteContent?: Maybe<Scalars['Boolean']>;
}

export interface MessageConnection {
  edges: Array<MessageEdge>;
  pageInfo: PageInfo;
  /** Messages matching, in all pages. */
  totalCount: Scalars['Int'];
}

export interface MessageEdge {
  cursor: Scalars['String'];
  node: MessageSummary;
}

/** Every given field must match (AND). Text matches are case-insensitive substrings, as in IMAP SEARCH. */
export interface MessageSearch {
  /** Anywhere in the headers or the body. */
  text?: Maybe<Scalars['String']>;
  from?: Maybe<Scalars['String']>;
  to?: Maybe<Scalars['String']>;
  subject?: Maybe<Scalars['String']>;
  unseen?: Maybe<Scalars['Boolean']>;
  flagged?: Maybe<Scalars['Boolean']>;
  hasAttachment?: Maybe<Scalars['Boolean']>;
  /** Arrived on or after this day. */
  since?: Maybe<Scalars['DateTime']>;
  /** Arrived before this day. */
  before?: Maybe<Scalars['DateTime']>;
}

/**
 * Which messages a bulk action covers: the ids given, or every message of a mailbox (those matching
 * search, when given), chosen on the server, including messages the browser has not loaded.
 * Exactly one of ids and mailboxId.
 */
export interface MessageSelection {
  ids?: Maybe<Array<Scalars['ID']>>;
  mailboxId?: Maybe<Scalars['ID']>;
  search?: Maybe<MessageSearch>;
  /** With mailboxId: messages left out (unticked after select all). */
  exceptIds?: Maybe<Array<Scalars['ID']>>;
}

/** A message in a list. */
export interface MessageSummary {
  id: Scalars['ID'];
  mailboxId: Scalars['ID'];
  uid: Scalars['Int'];
  from: Array<Address>;
  to: Array<Address>;
  cc: Array<Address>;
  subject: Scalars['String'];
  /** The first 200 characters of the text. */
  snippet: Scalars['String'];
  /** The Date header, else the arrival time. */
  date: Scalars['DateTime'];
  /** When it was stored. */
  internalDate: Scalars['DateTime'];
  flags: Array<Scalars['String']>;
  seen: Scalars['Boolean'];
  flagged: Scalars['Boolean'];
  answered: Scalars['Boolean'];
  draft: Scalars['Boolean'];
  hasAttachments: Scalars['Boolean'];
  size: Scalars['Float'];
  messageId?: Maybe<Scalars['String']>;
}

export interface Mutation {
  /**
   * Checks a password and answers a session token (rate-limited per account and per client address).
   * With two-factor sign-in on, the account password needs `code` too: a code from the authenticator
   * or a recovery code. A right password without it (or with a wrong one) answers UNAUTHENTICATED with
   * `extensions.twoFactorRequired: true`. An app password with the api scope needs no code.
   */
  signIn: Session;
  /** Ends the session whose token made this request. */
  signOut: Scalars['Boolean'];
  /** A token for a third-party app, limited to scopes; expiresInDays null means it never expires. */
  createAccessToken: NewAccessToken;
  revokeAccessToken: Scalars['Boolean'];
  /** Adds flags (\Seen, \Flagged, \Answered, \Draft, \Deleted or keywords). */
  setFlags: Array<MessageSummary>;
  clearFlags: Array<MessageSummary>;
  /** Into Junk emits SPAM; out of Junk (but not to Trash) NOT_SPAM. Answers the moved messages. */
  moveMessages: Array<MessageSummary>;
  /** To Trash; messages already in Trash are deleted for good. */
  deleteMessages: DeleteResult;
  createMailbox: Mailbox;
  renameMailbox: Mailbox;
  /** Deletes the mailbox and its messages; INBOX and special-use mailboxes cannot be deleted. */
  deleteMailbox: Scalars['Boolean'];
  /** Composes and sends as the signed-in user: local recipients directly, others through the smarthost; a \Seen copy is kept in Sent. */
  send: SendResult;
  /** Stores a draft in Drafts (\Draft, \Seen); replaceId removes the previous version. */
  saveDraft: MessageSummary;
  /** Admin. */
  createUser: User;
  /** Admin. */
  updateUser: User;
  /** Admin: removes every message, mailbox, token and session of the user, and releases every stored part. */
  deleteUser: Scalars['Boolean'];
  /** Admin: checks, then repairs what can be repaired (counters, reference counts, orphans); never deletes a message. */
  repairConsistency: Array<ConsistencyRepair>;
  /** Admin: queues a failed delivery again, due now, with its attempts counted afresh; false when no failed delivery has this id. */
  retryWebhookDelivery: Scalars['Boolean'];
  /** Needs the current password; other sessions stay signed in. */
  changePassword: Scalars['Boolean'];
  /** scopes default to imap and smtp. */
  createAppPassword: NewAppPassword;
  revokeAppPassword: Scalars['Boolean'];
  /** Starts (or restarts) a set-up; two-factor is on only after confirmTwoFactor. */
  beginTwoFactorSetup: TwoFactorSetup;
  /** Turns two-factor sign-in on with a code from the authenticator; answers the recovery codes. */
  confirmTwoFactor: RecoveryCodes;
  /** Needs a current code (or a recovery code). */
  disableTwoFactor: Scalars['Boolean'];
  /** Needs a current code; the old recovery codes stop working. */
  regenerateRecoveryCodes: RecoveryCodes;
  /** Admin: turns a user's two-factor sign-in off (logged). */
  resetTwoFactor: Scalars['Boolean'];
  setVacation: VacationSettings;
  setForwarding: ForwardingSettings;
  /** Replaces every rule, in this order. */
  setFilterRules: Array<FilterRule>;
  /** Stores a script after a syntax check (BAD_USER_INPUT with extensions.problems when it fails). */
  putSieveScript: SieveScript;
  /** Makes this script the active one; null: none is active. */
  activateSieveScript: Scalars['Boolean'];
  deleteSieveScript: Scalars['Boolean'];
  renameSieveScript: SieveScript;
  /** One action on a selection of the user's messages; targetMailboxId only for MOVE. */
  bulkMessages: BulkResult;
  /** Puts the messages of a MOVE, DELETE, REPORT_SPAM or ARCHIVE back into the mailboxes they came from; answers how many. */
  undoBulk: Scalars['Int'];
  /** Deletes every message of a mailbox for good (Trash and Junk only); answers how many. */
  emptyMailbox: Scalars['Int'];
  /**
   * Deletes a mailbox and the mailboxes below it; their messages go to Trash (deleted for good only
   * for a mailbox inside Trash). INBOX and special-use mailboxes cannot be deleted.
   */
  deleteMailboxToTrash: Scalars['Boolean'];
  saveIdentity: Identity;
  /** The last identity cannot be deleted; deleting the default makes the oldest left the default. */
  deleteIdentity: Scalars['Boolean'];
  /** Gives a mailbox an address (admin). BAD_USER_INPUT: a bad address, an unknown mailbox, or an address a user or another mailbox has. */
  adminCreateMailboxAddress: MailboxAddress;
  /** Takes a mailbox's address away (admin); false when no mailbox has it. */
  adminDeleteMailboxAddress: Scalars['Boolean'];
  /**
   * Shares a mailbox with a person (by address) or a group (anyone, authenticated): exactly one of
   * access (a preset; NONE takes the share back) and rights (RFC 4314 letters, '' takes it back).
   * Needs the administer right (a): the owner has it. Answers the access list now.
   */
  shareMailbox: Array<MailboxShare>;
  /** Admin: sets a person's or group's rights on any user's mailbox, as its owner would ('' removes them). */
  adminSetMailboxAccess: Array<MailboxShare>;
}

/** Arguments of Mutation.signIn. */
export interface MutationSignInArgs {
  username: Scalars['String'];
  password: Scalars['String'];
  code?: Maybe<Scalars['String']>;
}

/** Arguments of Mutation.createAccessToken. */
export interface MutationCreateAccessTokenArgs {
  name: Scalars['String'];
  scopes: Array<Scope>;
  expiresInDays?: Maybe<Scalars['Int']>;
}

/** Arguments of Mutation.revokeAccessToken. */
export interface MutationRevokeAccessTokenArgs {
  id: Scalars['ID'];
}

/** Arguments of Mutation.setFlags. */
export interface MutationSetFlagsArgs {
  ids: Array<Scalars['ID']>;
  flags: Array<Scalars['String']>;
}

/** Arguments of Mutation.clearFlags. */
export interface MutationClearFlagsArgs {
  ids: Array<Scalars['ID']>;
  flags: Array<Scalars['String']>;
}

/** Arguments of Mutation.moveMessages. */
export interface MutationMoveMessagesArgs {
  ids: Array<Scalars['ID']>;
  mailboxId: Scalars['ID'];
}

/** Arguments of Mutation.deleteMessages. */
export interface MutationDeleteMessagesArgs {
  ids: Array<Scalars['ID']>;
}

/** Arguments of Mutation.createMailbox. */
export interface MutationCreateMailboxArgs {
  path: Scalars['String'];
}

/** Arguments of Mutation.renameMailbox. */
export interface MutationRenameMailboxArgs {
  id: Scalars['ID'];
  path: Scalars['String'];
}

/** Arguments of Mutation.deleteMailbox. */
export interface MutationDeleteMailboxArgs {
  id: Scalars['ID'];
}

/** Arguments of Mutation.send. */
export interface MutationSendArgs {
  input: ComposeInput;
}

/** Arguments of Mutation.saveDraft. */
export interface MutationSaveDraftArgs {
  input: ComposeInput;
  replaceId?: Maybe<Scalars['ID']>;
}

/** Arguments of Mutation.createUser. */
export interface MutationCreateUserArgs {
  input: CreateUserInput;
}

/** Arguments of Mutation.updateUser. */
export interface MutationUpdateUserArgs {
  id: Scalars['ID'];
  input: UpdateUserInput;
}

/** Arguments of Mutation.deleteUser. */
export interface MutationDeleteUserArgs {
  id: Scalars['ID'];
}

/** Arguments of Mutation.repairConsistency. */
export interface MutationRepairConsistencyArgs {
  userId?: Maybe<Scalars['ID']>;
}

/** Arguments of Mutation.retryWebhookDelivery. */
export interface MutationRetryWebhookDeliveryArgs {
  id: Scalars['ID'];
}

/** Arguments of Mutation.changePassword. */
export interface MutationChangePasswordArgs {
  currentPassword: Scalars['String'];
  newPassword: Scalars['String'];
}

/** Arguments of Mutation.createAppPassword. */
export interface MutationCreateAppPasswordArgs {
  name: Scalars['String'];
  scopes?: Maybe<Array<AppPasswordScope>>;
}

/** Arguments of Mutation.revokeAppPassword. */
export interface MutationRevokeAppPasswordArgs {
  id: Scalars['ID'];
}

/** Arguments of Mutation.confirmTwoFactor. */
export interface MutationConfirmTwoFactorArgs {
  code: Scalars['String'];
}

/** Arguments of Mutation.disableTwoFactor. */
export interface MutationDisableTwoFactorArgs {
  code: Scalars['String'];
}

/** Arguments of Mutation.regenerateRecoveryCodes. */
export interface MutationRegenerateRecoveryCodesArgs {
  code: Scalars['String'];
}

/** Arguments of Mutation.resetTwoFactor. */
export interface MutationResetTwoFactorArgs {
  userId: Scalars['ID'];
}

/** Arguments of Mutation.setVacation. */
export interface MutationSetVacationArgs {
  input: VacationInput;
}

/** Arguments of Mutation.setForwarding. */
export interface MutationSetForwardingArgs {
  input: ForwardingInput;
}

/** Arguments of Mutation.setFilterRules. */
export interface MutationSetFilterRulesArgs {
  rules: Array<FilterRuleInput>;
}

/** Arguments of Mutation.putSieveScript. */
export interface MutationPutSieveScriptArgs {
  name: Scalars['String'];
  content: Scalars['String'];
  activate?: Maybe<Scalars['Boolean']>;
}

/** Arguments of Mutation.activateSieveScript. */
export interface MutationActivateSieveScriptArgs {
  name?: Maybe<Scalars['String']>;
}

/** Arguments of Mutation.deleteSieveScript. */
export interface MutationDeleteSieveScriptArgs {
  name: Scalars['String'];
}

/** Arguments of Mutation.renameSieveScript. */
export interface MutationRenameSieveScriptArgs {
  name: Scalars['String'];
  newName: Scalars['String'];
}

/** Arguments of Mutation.bulkMessages. */
export interface MutationBulkMessagesArgs {
  selection: MessageSelection;
  action: BulkAction;
  targetMailboxId?: Maybe<Scalars['ID']>;
}

/** Arguments of Mutation.undoBulk. */
export interface MutationUndoBulkArgs {
  token: Scalars['String'];
}

/** Arguments of Mutation.emptyMailbox. */
export interface MutationEmptyMailboxArgs {
  id: Scalars['ID'];
}

/** Arguments of Mutation.deleteMailboxToTrash. */
export interface MutationDeleteMailboxToTrashArgs {
  id: Scalars['ID'];
}

/** Arguments of Mutation.saveIdentity. */
export interface MutationSaveIdentityArgs {
  id?: Maybe<Scalars['ID']>;
  input: IdentityInput;
}

/** Arguments of Mutation.deleteIdentity. */
export interface MutationDeleteIdentityArgs {
  id: Scalars['ID'];
}

/** Arguments of Mutation.adminCreateMailboxAddress. */
export interface MutationAdminCreateMailboxAddressArgs {
  address: Scalars['String'];
  mailboxId: Scalars['ID'];
}

/** Arguments of Mutation.adminDeleteMailboxAddress. */
export interface MutationAdminDeleteMailboxAddressArgs {
  address: Scalars['String'];
}

/** Arguments of Mutation.shareMailbox. */
export interface MutationShareMailboxArgs {
  mailboxId: Scalars['ID'];
  with: Scalars['String'];
  access?: Maybe<AccessPreset>;
  rights?: Maybe<Scalars['String']>;
}

/** Arguments of Mutation.adminSetMailboxAccess. */
export interface MutationAdminSetMailboxAccessArgs {
  mailboxId: Scalars['ID'];
  with: Scalars['String'];
  rights: Scalars['String'];
}

export interface NewAccessToken {
  /** The secret, shown once: send as Authorization: Bearer <token>. */
  token: Scalars['String'];
  accessToken: AccessToken;
}

export interface NewAppPassword {
  /** The secret (shown once), to paste into the client as its password. */
  password: Scalars['String'];
  appPassword: AppPassword;
}

export interface PageInfo {
  hasNextPage: Scalars['Boolean'];
  endCursor?: Maybe<Scalars['String']>;
}

export interface Query {
  /** The signed-in user. */
  me: User;
  /** The signed-in user's personal access tokens (never their secrets). */
  accessTokens: Array<AccessToken>;
  mailboxes: Array<Mailbox>;
  mailbox?: Maybe<Mailbox>;
  /** Newest first. first: 1 to 200 (default 50); after: a cursor from pageInfo.endCursor. */
  messages: MessageConnection;
  message?: Maybe<Message>;
  /** Admin: accounts, filtered by a substring of the address. */
  users: UserConnection;
  /** Admin. */
  user?: Maybe<User>;
  /** Admin. */
  stats: ServerStats;
  /** Admin: checks the store (one user, or all), changing nothing. */
  consistencyCheck: ConsistencyReport;
  /** Admin: the webhook outbox: what waits, what failed and why (recent: at most 100). */
  webhookOutbox: WebhookOutbox;
  /**
   * A mailboxChanges cursor for this moment. Ask for it before loading mailboxes and messages, then
   * subscribe with it as since: nothing that changes in between is missed (a change may come twice).
   */
  changesCursor: Scalars['String'];
  /** The signed-in user's app passwords (never their secrets). */
  appPasswords: Array<AppPassword>;
  twoFactor: TwoFactorStatus;
  mailSettings: MailSettings;
  sieveScripts: Array<SieveScript>;
  sieveScript?: Maybe<SieveScript>;
  /** Checks a script without storing it. */
  checkSieve: SieveCheck;
  /** Conversations of a mailbox, newest activity first. first: 1 to 100 (default 50); after: a cursor from pageInfo.endCursor. */
  threads: ThreadConnection;
  /** One conversation, by its id from threads; null when none of its messages is left. */
  thread?: Maybe<Thread>;
  /** The user's identities; there is always at least one (the account's address). */
  identities: Array<Identity>;
  /** Addresses the user has written to, most used first, whose name or address starts a word with prefix (case-insensitive). */
  addressSuggestions: Array<Address>;
  /** Admin: a cursor for this moment; ask for it before the first paint, then subscribe with it as since. */
  adminEventsCursor: Scalars['String'];
  /** Admin: the latest events, newest first (first: 1 to 200). */
  recentAdminEvents: Array<AdminEvent>;
  /** Admin: deliveries and storage over time. */
  statsHistory: Array<StatsPoint>;
  /** Admin. */
  userDetail?: Maybe<UserDetail>;
  /** The addresses of the mailboxes a user owns, in address order (admin). */
  adminMailboxAddresses: Array<MailboxAddress>;
  /**
   * Every mailbox other users share with the viewer that they may see (right l), by owner and
   * path; unread counts are the viewer's own (each reader keeps their own \\Seen).
   */
  sharedMailboxes: Array<Mailbox>;
  /** Admin: every mailbox of the user with its access list. */
  adminMailboxAccess: Array<AdminSharedMailbox>;
}

/** Arguments of Query.mailbox. */
export interface QueryMailboxArgs {
  id: Scalars['ID'];
}

/** Arguments of Query.messages. */
export interface QueryMessagesArgs {
  mailboxId: Scalars['ID'];
  first?: Maybe<Scalars['Int']>;
  after?: Maybe<Scalars['String']>;
  search?: Maybe<MessageSearch>;
}

/** Arguments of Query.message. */
export interface QueryMessageArgs {
  id: Scalars['ID'];
}

/** Arguments of Query.users. */
export interface QueryUsersArgs {
  search?: Maybe<Scalars['String']>;
  first?: Maybe<Scalars['Int']>;
  after?: Maybe<Scalars['String']>;
  orderBy?: Maybe<UserOrder>;
}

/** Arguments of Query.user. */
export interface QueryUserArgs {
  id: Scalars['ID'];
}

/** Arguments of Query.consistencyCheck. */
export interface QueryConsistencyCheckArgs {
  userId?: Maybe<Scalars['ID']>;
}

/** Arguments of Query.webhookOutbox. */
export interface QueryWebhookOutboxArgs {
  recent?: Maybe<Scalars['Int']>;
}

/** Arguments of Query.sieveScript. */
export interface QuerySieveScriptArgs {
  name: Scalars['String'];
}

/** Arguments of Query.checkSieve. */
export interface QueryCheckSieveArgs {
  content: Scalars['String'];
}

/** Arguments of Query.threads. */
export interface QueryThreadsArgs {
  mailboxId: Scalars['ID'];
  first?: Maybe<Scalars['Int']>;
  after?: Maybe<Scalars['String']>;
  search?: Maybe<MessageSearch>;
}

/** Arguments of Query.thread. */
export interface QueryThreadArgs {
  mailboxId: Scalars['ID'];
  id: Scalars['ID'];
}

/** Arguments of Query.addressSuggestions. */
export interface QueryAddressSuggestionsArgs {
  prefix: Scalars['String'];
  first?: Maybe<Scalars['Int']>;
}

/** Arguments of Query.recentAdminEvents. */
export interface QueryRecentAdminEventsArgs {
  first?: Maybe<Scalars['Int']>;
  types?: Maybe<Array<AdminEventType>>;
}

/** Arguments of Query.statsHistory. */
export interface QueryStatsHistoryArgs {
  range: StatsRange;
}

/** Arguments of Query.userDetail. */
export interface QueryUserDetailArgs {
  id: Scalars['ID'];
}

/** Arguments of Query.adminMailboxAddresses. */
export interface QueryAdminMailboxAddressesArgs {
  userId: Scalars['ID'];
}

/** Arguments of Query.adminMailboxAccess. */
export interface QueryAdminMailboxAccessArgs {
  userId: Scalars['ID'];
}

export interface RecoveryCodes {
  /** Ten one-time codes, shown once; each signs in once in place of a code from the authenticator. */
  codes: Array<Scalars['String']>;
}

export type Role = 'user' | 'admin';

/** What a personal access token may do. Session tokens may do everything their user may. */
export type Scope = 'read' | 'write' | 'send' | 'subscribe';

export interface SendResult {
  /** The Message-ID header of the sent message. */
  messageId: Scalars['String'];
  /** The copy in the Sent mailbox. */
  sent: MessageSummary;
  /** Recipients refused by the smarthost (the others got it). */
  rejected: Array<Scalars['String']>;
}

export interface ServerStats {
  users: Scalars['Int'];
  messages: Scalars['Int'];
  /** Bytes of all stored messages. */
  storage: Scalars['Float'];
  /** Messages stored by delivery (LMTP, SMTP, submission) per minute, the last 60 minutes, oldest first. */
  deliveries: Array<DeliveriesPerMinute>;
}

export interface Session {
  /** Send as Authorization: Bearer <token>. Shown once. */
  token: Scalars['String'];
  expires: Scalars['DateTime'];
  user: User;
}

export interface SessionInfo {
  id: Scalars['ID'];
  /** web, api */
  client?: Maybe<Scalars['String']>;
  created: Scalars['DateTime'];
  expires?: Maybe<Scalars['DateTime']>;
  remote?: Maybe<Scalars['String']>;
}

/** How the viewer has another user's mailbox. */
export interface SharedMailbox {
  /** Whose mailbox it is. */
  ownerAddress: Scalars['String'];
  /** The viewer's RFC 4314 rights on it. */
  rights: Scalars['String'];
  /** Other Users (shared with the viewer by name) or Shared Folders (shared with everyone). */
  namespace: Scalars['String'];
  /** The owner's own path of it. */
  path: Scalars['String'];
}

export interface SieveCheck {
  ok: Scalars['Boolean'];
  problems: Array<SieveProblem>;
}

/** A mistake in a Sieve script, where it is. */
export interface SieveProblem {
  line: Scalars['Int'];
  column: Scalars['Int'];
  message: Scalars['String'];
}

/** A Sieve script as ManageSieve sees it; at most one is active. */
export interface SieveScript {
  name: Scalars['String'];
  active: Scalars['Boolean'];
  /** Bytes (UTF-8). */
  size: Scalars['Int'];
  updated: Scalars['DateTime'];
  content: Scalars['String'];
}

export type SpecialUse = 'Inbox' | 'Drafts' | 'Sent' | 'Junk' | 'Trash' | 'Archive';

export interface StatsPoint {
  /** Start of the period. */
  at: Scalars['DateTime'];
  deliveries: Scalars['Int'];
  /** Bytes stored by every user at the end of the period (the last sample taken in it), null when no sample was taken. */
  storage?: Maybe<Scalars['Float']>;
}

export type StatsRange = 'HOUR' | 'DAY' | 'MONTH';

export interface Subscription {
  /**
   * Changes of the signed-in user's mailboxes; see MailboxChange. Without mailboxId, also the message
   * changes (EXISTS, EXPUNGE, FLAGS) of the mailboxes other users share with the viewer (right r),
   * with the viewer's own \Seen, from when they are shared until they are no longer.
   */
  mailboxChanges: MailboxChange;
  /** Admin: every event of the server, from any instance. since replays what came after that cursor first. */
  adminEvents: AdminEvent;
}

/** Arguments of Subscription.mailboxChanges. */
export interface SubscriptionMailboxChangesArgs {
  /** Resume after this cursor (from an earlier MailboxChange): every change since is replayed from the journal first. */
  since?: Maybe<Scalars['String']>;
  /**
   * Only changes of this mailbox (account-wide events of other mailboxes are left out too). It may
   * be a mailbox another user shares with the viewer (right r): its owner's changes come, with the
   * viewer's own \\Seen in FLAGS and EXISTS.
   */
  mailboxId?: Maybe<Scalars['ID']>;
}

/** Arguments of Subscription.adminEvents. */
export interface SubscriptionAdminEventsArgs {
  since?: Maybe<Scalars['String']>;
  types?: Maybe<Array<AdminEventType>>;
}

/** A conversation of one mailbox. */
export interface Thread {
  /** Opaque; names the thread's root message (as its replies name it), so it stays when the oldest message goes: pass to thread(...). */
  id: Scalars['ID'];
  mailboxId: Scalars['ID'];
  /** The subject of its oldest message. */
  subject: Scalars['String'];
  /** Its messages in this mailbox, oldest first. */
  messages: Array<MessageSummary>;
  messageCount: Scalars['Int'];
  unseenCount: Scalars['Int'];
  /** Its newest message (what the list shows). */
  latest: MessageSummary;
  /** Senders, each once, in the order they first wrote. */
  participants: Array<Address>;
  flagged: Scalars['Boolean'];
  hasAttachments: Scalars['Boolean'];
  /** The date of its newest message. */
  date: Scalars['DateTime'];
}

export interface ThreadConnection {
  edges: Array<ThreadEdge>;
  pageInfo: PageInfo;
  /** Threads matching, in all pages. */
  totalCount: Scalars['Int'];
}

export interface ThreadEdge {
  cursor: Scalars['String'];
  node: Thread;
}

/** A set-up in progress: scan the QR code (or type the secret), then confirmTwoFactor with a code. */
export interface TwoFactorSetup {
  /** Base32, for typing into an authenticator by hand. */
  secret: Scalars['String'];
  /** otpauth://totp/… (RFC 6238 parameters: SHA1, 6 digits, 30 s). */
  otpauthUrl: Scalars['String'];
  /** The otpauth URL as a QR code, an SVG document. */
  qrCodeSvg: Scalars['String'];
}

export interface TwoFactorStatus {
  enabled: Scalars['Boolean'];
  /** Recovery codes not used yet. */
  recoveryCodesLeft: Scalars['Int'];
}

export interface UpdateUserInput {
  name?: Maybe<Scalars['String']>;
  password?: Maybe<Scalars['String']>;
  role?: Maybe<Role>;
  /** Bytes; null: unlimited. */
  quota?: Maybe<Scalars['Float']>;
  disabled?: Maybe<Scalars['Boolean']>;
}

export interface User {
  id: Scalars['ID'];
  address: Scalars['String'];
  name?: Maybe<Scalars['String']>;
  role: Role;
  /** Bytes; null means unlimited. */
  quota?: Maybe<Scalars['Float']>;
  /** Bytes used by stored messages. */
  storageUsed: Scalars['Float'];
  disabled: Scalars['Boolean'];
  created: Scalars['DateTime'];
  /** Messages stored (admin views). */
  messageCount: Scalars['Int'];
  twoFactorEnabled: Scalars['Boolean'];
}

export interface UserConnection {
  edges: Array<UserEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int'];
}

/** What an administrator sees of one user. */
export interface UserDetail {
  user: User;
  mailboxes: Array<Mailbox>;
  /** Sign-in sessions of the API and web console, newest first. */
  sessions: Array<SessionInfo>;
  appPasswords: Array<AppPassword>;
  /** The user's latest events, newest first (up to 50). */
  recentEvents: Array<AdminEvent>;
}

export interface UserEdge {
  cursor: Scalars['String'];
  node: User;
}

export interface UserOrder {
  field: UserOrderField;
  descending?: Maybe<Scalars['Boolean']>;
}

export type UserOrderField = 'address' | 'storageUsed' | 'created';

/** A field left out keeps its current value; null puts it back to its default (start and end: open). */
export interface VacationInput {
  enabled: Scalars['Boolean'];
  /** One line, at most 200 characters; empty: 'Auto:' and the original subject. */
  subject?: Maybe<Scalars['String']>;
  /** At most 20,000 characters; needed when enabled. */
  text?: Maybe<Scalars['String']>;
  start?: Maybe<Scalars['DateTime']>;
  /** After start. */
  end?: Maybe<Scalars['DateTime']>;
  /** 1 to 30 (default 7). */
  days?: Maybe<Scalars['Int']>;
}

/** A vacation (out-of-office) reply: at most one per sender per days, never to lists or automatic mail. */
export interface VacationSettings {
  enabled: Scalars['Boolean'];
  subject: Scalars['String'];
  text: Scalars['String'];
  /** Replies start at this time (null: now) and stop after end (null: until disabled). */
  start?: Maybe<Scalars['DateTime']>;
  end?: Maybe<Scalars['DateTime']>;
  /** Days before the same sender is answered again (RFC 5230 :days, 1 to 30). */
  days: Scalars['Int'];
}

/** One delivery of an event to one receiver (see docs/operations.md, Webhook outbox). */
export interface WebhookDelivery {
  /** The idempotency id the receiver sees (body id, header x-wildduck-delivery), the same on every attempt. */
  id: Scalars['ID'];
  /** The event type, e.g. SPAM or NOT_SPAM. */
  type: Scalars['String'];
  /** The receiver, without credentials or query string. */
  url: Scalars['String'];
  state: WebhookDeliveryState;
  /** Attempts made so far. */
  attempts: Scalars['Int'];
  /** Why the last attempt failed (the receiver's status and the start of its answer, or the network error). */
  lastError?: Maybe<Scalars['String']>;
  lastAttemptAt?: Maybe<Scalars['DateTime']>;
  /** When a pending delivery is tried next (or its current attempt's lease ends). */
  nextAttemptAt?: Maybe<Scalars['DateTime']>;
  failedAt?: Maybe<Scalars['DateTime']>;
  createdAt: Scalars['DateTime'];
}

export type WebhookDeliveryState = 'PENDING' | 'FAILED';

export interface WebhookOutbox {
  /** Deliveries waiting, over all instances. */
  pending: Scalars['Int'];
  /** Deliveries that gave up and are kept for inspection. */
  failed: Scalars['Int'];
  /** When the oldest waiting delivery was queued; null when none waits. */
  oldestPendingAt?: Maybe<Scalars['DateTime']>;
  /** Failed deliveries (newest first), then waiting ones that have failed at least once. */
  recent: Array<WebhookDelivery>;
}
