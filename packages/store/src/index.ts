export { connectStore, type StoreConnection } from './database.js';
export { createUser, findUserByAddress, type NewUser, type UserDocument } from './users.js';
export { authenticateUser } from './authenticate.js';
export {
  DEFAULT_MAILBOXES,
  createDefaultMailboxes,
  listMailboxes,
  newMailboxDocument,
  type MailboxDocument,
} from './mailboxes.js';
export {
  PATH_DELIMITER,
  createMailbox,
  findMailbox,
  findMailboxById,
  findMailboxForAdmin,
  findSpecialUseMailbox,
  renameMailbox,
  setSubscribed,
  mailboxCounters,
  validateMailboxPath,
  type MailboxCounters,
  type MailboxFailure,
  type MailboxOutcome,
} from './mailbox-ops.js';
export { dropSubscription, keepSubscription, keptSubscriptions } from './subscriptions.js';
export {
  appendMessage,
  DEFAULT_APPEND_SETTINGS,
  type AppendSettings,
  type AppendOptions,
  type AppendOutcome,
  type AppendFailure,
} from './append.js';
export { appendMessageBatch, type AppendBatchOutcome, type BatchMessage } from './append-batch.js';
export { storeContext, userLock, type StoreContext } from './context.js';
export { InProcessLockManager, LockTimeoutError, type LockManager } from './locks.js';
export { StoreLockManager, type StoreLockOptions } from './store-locks.js';
export {
  readMessages,
  searchMessages,
  snapshotMailbox,
  gridFsBodyOpener,
  openMessageSource,
  type MessageFields,
  type MessageRecord,
  type MailboxSnapshot,
} from './read.js';
export { searchFilter, type MessageQuery } from './search.js';
export {
  updateFlags,
  normalizeFlags,
  applyFlagUpdate,
  SYSTEM_FLAGS,
  type FlagUpdate,
  type FlagUpdateResult,
} from './flags.js';
export { copyMessages, moveMessages, type TransferOutcome, type TransferFailure } from './transfer.js';
export {
  expungeDeleted,
  removeMessages,
  deleteMailboxAndMessages,
  findRemovable,
} from './message-removal.js';
export {
  storageUsage,
  reserveStorage,
  releaseStorage,
  crossesQuotaWarning,
  QUOTA_WARNING_RATIO,
  type QuotaReading,
  type StorageUsage,
} from './quota.js';
export {
  ADMIN_EVENT_RETENTION_MS,
  ADMIN_EVENT_TYPES,
  adminEventDocument,
  deleteExpiredAdminEvents,
  insertAdminEvents,
  readAdminEventsSince,
  readRecentAdminEvents,
  readUserAdminEvents,
  type AdminEventDocument,
  type AdminEventType,
  type NewAdminEvent,
} from './admin-events.js';
export {
  deleteOldStorageSamples,
  readStorageSamples,
  totalStorage,
  writeStorageSample,
  type SampleScale,
  type StatsSampleDocument,
} from './stats-samples.js';
export {
  readChanges,
  recordChanges,
  deleteExpiredJournalEntries,
  JOURNAL_GAP_TIMEOUT_MS,
  JOURNAL_PAGE_SIZE,
  journalPage,
  type JournalEntry,
  type JournalKind,
  type JournalRead,
} from './journal.js';
export { allocateUids, allocateModseqs, type Allocation } from './counters.js';
export {
  storePart,
  openPart,
  acquireParts,
  releaseParts,
  listParts,
  sweepAbandonedUploads,
  type StoredPart,
} from './parts.js';
export {
  configurePasswordHashing,
  DEFAULT_PASSWORD_HASHING,
  hashPassword,
  passwordNeedsRehash,
  verifyPassword,
  type PasswordHashing,
} from './passwords.js';
export { normalizeAddress } from './address.js';
export { parseObjectId, toNumber } from './ids.js';
export { AddressTakenError, StoreError, UserExistsError, isDuplicateKeyError } from './errors.js';
export {
  createMailboxAddress,
  deleteMailboxAddress,
  findMailboxAddress,
  listMailboxAddressesOfMailbox,
  listMailboxAddressesOfUser,
  type MailboxAddressDocument,
} from './mailbox-addresses.js';
export { junkVerdict, reportedMessages, type JunkVerdict, type ReportedMessage } from './junk-reports.js';
export {
  findUserMessage,
  listMessagePage,
  findThreadMessages,
  MESSAGE_SUMMARY_PROJECTION,
  type MessageView,
  type MessagePage,
} from './message-views.js';
export {
  loadListRecords,
  probeNewestMessages,
  readListRecords,
  type MatchFields,
  type MessageListRecord,
} from './message-list-records.js';
export { compileMatcher, type MessageMatcher } from './search-memory.js';
export { SEARCH_VERSION } from './search-index.js';
export {
  findUserById,
  updateUser,
  endUserSessions,
  listUsers,
  messageCounts,
  deleteUserAndData,
  serverStats,
  type UserChanges,
  type UserSummary,
  type UserOrderField,
  type UserPage,
  type ServerStats,
} from './user-admin.js';
export { findSubmittedCopy, SENT_DUPLICATE_WINDOW_MS } from './sent-copies.js';
export {
  loadMailboxView,
  loadViewMessages,
  readViewMessages,
  type LoadedMailboxView,
  type MailboxViewLoadOptions,
  type ViewMessageRecord,
} from './mailbox-view-load.js';
export {
  readSortRecords,
  readSomeSortRecords,
  type MessageSortRecord,
  type SortAddressRecord,
} from './sort-records.js';
export {
  insertSession,
  findLiveSession,
  deleteSession,
  listUserSessions,
  type SessionDocument,
} from './sessions.js';
export {
  insertAccessToken,
  listUserAccessTokens,
  countUserAccessTokens,
  deleteUserAccessToken,
  findAccessTokenByHash,
  noteAccessTokenUse,
  type AccessTokenDocument,
  type AccessTokenScope,
} from './access-tokens.js';
export {
  insertAppPassword,
  listUserAppPasswords,
  countUserAppPasswords,
  deleteUserAppPassword,
  findUserAppPassword,
  noteAppPasswordUse,
  type AppPasswordDocument,
  type AppPasswordScope,
} from './app-passwords.js';
export {
  findTwoFactor,
  savePendingTwoFactorSecret,
  enableTwoFactor,
  advanceTwoFactorStep,
  useRecoveryCode,
  replaceRecoveryCodes,
  deleteTwoFactor,
  type TwoFactorDocument,
} from './two-factor.js';
export { setOwnPassword } from './account-password.js';
export {
  UPLOADS_BUCKET,
  openUploadSink,
  findUserUploadFile,
  openUploadContent,
  findUploadsBefore,
  deleteUpload,
  type UploadFile,
  type UploadMetadata,
} from './upload-files.js';
export { messageIdsByUid } from './message-ids.js';
export { readAccountLog, type AccountLogEntry } from './account-log.js';
export { mailboxPath, mailboxPaths, listMailboxPositions, type MailboxPosition } from './mailbox-paths.js';
export { findMessageSummaries } from './message-summaries.js';
export { findMessagePlaces, findThreadingHeaders, type MessagePlace } from './message-places.js';
export { findUserStanding, type UserStanding } from './user-standing.js';
export { countUserMessages } from './user-message-count.js';
export { checkConsistency, CONSISTENCY_DEFAULTS, type ConsistencyOptions } from './consistency-check.js';
export {
  type Finding,
  type FindingKind,
  type CheckScope,
  type ConsistencyReport,
} from './consistency-findings.js';
export { repairConsistency, type RepairChange } from './consistency-repair.js';
export {
  enqueueWebhookDeliveries,
  claimWebhookDeliveries,
  completeWebhookDelivery,
  retryWebhookDeliveryLater,
  failWebhookDelivery,
  retryFailedWebhookDelivery,
  sweepWebhookOutbox,
  webhookOutboxSummary,
  countWebhookDeliveries,
  webhookOutboxStore,
  type NewWebhookDelivery,
  type ClaimedWebhookDelivery,
  type WebhookDeliveryRecord,
  type WebhookOutboxSummary,
} from './webhook-outbox.js';
export {
  enqueueMailOutbox,
  claimMailOutbox,
  completeMailOutboxEntry,
  retryMailOutboxEntryLater,
  sweepMailOutboxClaims,
  countMailOutbox,
  type MailOutboxKind,
  type MailOutboxContent,
  type NewMailOutboxEntry,
  type ClaimedMailOutboxEntry,
} from './mail-outbox.js';
export { finishWrite, isStoreUnreachable, isTemporaryFailure } from './write-completion.js';
export {
  getMailSettings,
  setVacation,
  setForwarding,
  setFilterRules,
  recordFilterError,
  clearFilterError,
  defaultMailSettings,
  mailSettingsLock,
  MAIL_SETTINGS_LIMITS,
  type MailSettings,
  type VacationSettings,
  type ForwardingSettings,
  type FilterRule,
  type FilterRuleInput,
  type FilterAction,
  type FilterActionType,
  type FilterField,
  type FilterMatch,
  type FilterError,
} from './mail-settings.js';
export {
  SIEVE_SCRIPT_LIMITS,
  listSieveScripts,
  getSieveScript,
  getActiveSieveScript,
  putSieveScript,
  activateSieveScript,
  deleteSieveScript,
  renameSieveScript,
  sieveSpaceAvailable,
  sieveScriptNameProblem,
  type SieveScriptDocument,
} from './sieve-scripts.js';
export { touchFiltersStamp } from './filters-stamp.js';
export {
  claimVacationReply,
  sweepVacationReplies,
  vacationReplyKey,
  type VacationReplyDocument,
} from './vacation-replies.js';
export { readMessageSummaries, searchMailboxUids } from './conversation-reads.js';
export {
  MAX_IDENTITIES,
  identitiesLock,
  readIdentities,
  writeIdentities,
  type StoredIdentity,
} from './identities.js';
export { MAX_CONTACTS_PER_USER, recordContacts, suggestContacts, type Contact } from './contacts.js';
export {
  sendInCommands,
  statementsInFlight,
  STATEMENTS_PER_COMMAND,
  STATEMENTS_IN_FLIGHT,
} from './write-commands.js';
export {
  ACL_GROUPS,
  ALL_RIGHTS,
  canonicalRights,
  deleteAclOfUser,
  deleteMailboxAcl,
  effectiveRights,
  hasRights,
  readMailboxAcl,
  readSharesBy,
  readSharesOf,
  unionRights,
  writeAclEntry,
  type AclDocument,
  type AclGroup,
} from './mailbox-acl.js';
export {
  UidRanges,
  readPrivateSeen,
  readerFlags,
  updatePrivateSeen,
  type PrivateSeenChange,
} from './private-seen.js';
export { findByUids, POINT_READS } from './message-lookup.js';
