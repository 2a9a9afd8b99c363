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
export {
  appendMessages,
  discardAppend,
  type AppendInput,
  type AppendMessagesOutcome,
} from './writes/appends.js';
export { deleteUser } from './writes/users.js';
export { JunkReporter, type JunkReporterOptions, type ReportMailbox } from './writes/junk-reporter.js';
export { openWebhookOutbox, type WebhookOutboxSetup } from './writes/webhook-outbox.js';
export { openSharedLocks, type SharedLocks } from './upkeep/shared-locks.js';

// accounts
export {
  signIn,
  MAX_SIGN_IN_PASSWORD_LENGTH,
  type SignInLimiters,
  type SignInOutcome,
} from './accounts/sign-in.js';
export {
  startWriteHealer,
  type WriteHealer,
  type WriteHealerOptions,
  type HealerLogger,
} from './upkeep/write-healer.js';

// filters: the Sieve the mail settings (rules, forwarding, vacation) run as at delivery
export { settingsToSieve, vacationActive } from './filters/settings-script.js';
