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
