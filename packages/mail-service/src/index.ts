export { changeHub, ChangeHub, UserFeed, type FeedSubscriber } from './feed/change-hub.js';
export {
  CHANGE_LOG_LIMIT,
  MailboxView,
  type SortRecordSink,
  type ViewChange,
  type ViewListener,
  type ViewMessage,
} from './views/mailbox-view.js';
export {
  MailboxViews,
  VIEW_LINGER_MS,
  type HeldView,
  type MailboxViewsOptions,
} from './views/mailbox-views.js';
export { searchView, viewCanSearch } from './views/view-search.js';
export { MailboxLists, MAILBOX_LIST_IDLE_MS } from './views/mailbox-lists.js';
export { SharedJournalReads } from './feed/shared-journal-reads.js';

// writes: every mail change is stored, journalled and announced here (transports never publish)
export type { MailContext, ProcessState } from './writes/mail-context.js';
export {
  announceAccountChange,
  announceMailboxChange,
  type AccountChange,
  type AccountChangeKind,
} from './writes/announce.js';
export {
  createMailbox,
  deleteMailbox,
  deleteEmptiedMailbox,
  renameMailbox,
  setSubscription,
  specialUseMailbox,
} from './writes/mailboxes.js';
export {
  expungeMessages,
  removeMessagesById,
  setFlags,
  storeMessage,
  transferMessages,
  type MailUser,
} from './writes/messages.js';
export { moveAllMessages, removeAllMessages } from './writes/mailbox-contents.js';
export {
  appendMessages,
  discardAppend,
  type AppendInput,
  type AppendMessagesOutcome,
} from './writes/appends.js';
export { appendMessagesInBatch } from './writes/append-batch.js';
export { deleteUser } from './writes/users.js';
export { JunkReporter, type JunkReporterOptions, type ReportMailbox } from './writes/junk-reporter.js';
export { openWebhookOutbox, type WebhookOutboxSetup } from './writes/webhook-outbox.js';
export { openSharedLocks, type SharedLocks } from './upkeep/shared-locks.js';

// accounts
export {
  signIn,
  MAX_SIGN_IN_PASSWORD_LENGTH,
  TWO_FACTOR_APP_PASSWORD_HINT,
  type SignInLimiters,
  type SignInOptions,
  type SignInOutcome,
  type SignInProtocol,
} from './accounts/sign-in.js';
export { signInLimited, countSignInFailure } from './accounts/sign-in-limiters.js';
export {
  APP_PASSWORD_SCOPES,
  DEFAULT_APP_PASSWORD_SCOPES,
  MAX_APP_PASSWORDS_PER_USER,
  MAX_APP_PASSWORD_NAME_LENGTH,
  createAppPassword,
  listAppPasswords,
  revokeAppPassword,
  type CreateAppPasswordOutcome,
} from './accounts/app-passwords.js';
export {
  RECOVERY_CODE_COUNT,
  TOTP_ISSUER,
  TOTP_PERIOD_SECONDS,
  beginTwoFactorSetup,
  checkTwoFactorCode,
  confirmTwoFactorSetup,
  removeTwoFactor,
  renewRecoveryCodes,
  twoFactorEnabled,
  twoFactorStatus,
  type ConfirmTwoFactorOutcome,
  type TwoFactorCheck,
  type TwoFactorUser,
} from './accounts/two-factor.js';
export {
  startWriteHealer,
  type WriteHealer,
  type WriteHealerOptions,
  type HealerLogger,
} from './upkeep/write-healer.js';

// Sieve filters at delivery: load (cached per user by the user document's stamp), plan, file
export {
  loadUserFilters,
  SETTINGS_SCRIPT_NAME,
  type NamedScript,
  type UserFilters,
} from './filters/user-filters.js';
export {
  keepPlan,
  planDelivery,
  type DeliveryPlan,
  type FilingCopy,
  type VacationReply,
} from './filters/delivery-plan.js';
export { mailboxForFiling, noteFilterFailure, type FilingTarget } from './filters/filing.js';
export type { SieveHeaderField, SieveMessage } from '@wildduck/sieve';

// filters: the Sieve the mail settings (rules, forwarding, vacation) run as at delivery
export { settingsToSieve, vacationActive } from './filters/settings-script.js';

// conversations: the webmail's threads, grouped in memory (pure)
export {
  groupConversations,
  conversationsByName,
  newestFirst,
  type Conversation,
  type ConversationRecord,
} from './conversations/conversation-groups.js';
export { conversationSubject } from './conversations/conversation-subject.js';
// the administrators' event feed: one buffering recorder per process, storage sampled once a minute
export {
  adminFeedChannel,
  ADMIN_FEED_KIND,
  AdminEventRecorder,
  FLUSH_MS as ADMIN_EVENT_FLUSH_MS,
  type AdminEventRecorderOptions,
  type AdminEventSink,
} from './admin-events/recorder.js';
export { startStorageSampler, type StorageSampler } from './admin-events/storage-sampler.js';

// sharing: other users' mailboxes (RFC 4314 access lists)
export {
  OTHER_USERS_NAMESPACE,
  SHARED_FOLDERS_NAMESPACE,
  isSharedName,
  parseSharedName,
  sharedMailboxName,
  type SharedName,
  type SharedNamespace,
} from './sharing/shared-paths.js';
export {
  ACL_CHANGED,
  GROUP_ACL_CHANNEL,
  MailboxAccess,
  type AccessibleMailbox,
} from './sharing/mailbox-access.js';
export {
  changeMailboxAccess,
  readAccessList,
  rightsOfIdentifier,
  type AccessEntry,
  type AccessFailure,
} from './sharing/access-writes.js';
export {
  planFlagChange,
  readerSeen,
  setFlagsAs,
  type FlagChangePlan,
  type FlagsRefused,
} from './sharing/shared-flags.js';
export { transferAcrossOwners, type CrossOwnerOutcome } from './sharing/cross-owner-transfer.js';
