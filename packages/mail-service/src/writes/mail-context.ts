import type { ChangeBus } from '@wildduck/change-bus';
import type { StoreContext } from '@wildduck/store';
import type { MailboxLists } from '../views/mailbox-lists.js';
import type { MailboxViews } from '../views/mailbox-views.js';
import type { AdminEventSink } from '../admin-events/recorder.js';
import type { JunkReporter } from './junk-reporter.js';

/**
 * What this process keeps of the store in memory. A write made here is shown there before the
 * write returns, so the command that made it already sees it (other instances hear of it on the
 * bus a moment later).
 */
export interface ProcessState {
  /** The open mailboxes' views (IMAP). */
  views?: MailboxViews;
  /** The active users' mailbox lists (IMAP LIST). */
  lists?: MailboxLists;
  /** Told of every mailbox this process writes to, before the write is announced. */
  onMailboxWrite?: (user: string, mailbox: string) => void;
}

/**
 * What every write of the mail service needs: the store, the change bus, and what this process
 * holds in memory. A delivery server's `{ ctx, bus }` is one as it is; IMAP adds its views.
 */
export interface MailContext {
  ctx: StoreContext;
  bus: ChangeBus;
  local?: ProcessState;
  /** Reports moves into and out of Junk (SPAM / NOT_SPAM); none: moves are not reported. */
  junkReporter?: JunkReporter;
  /** Deliveries and their failures go to the administrators' feed here (admin-events/recorder.ts). */
  adminEvents?: AdminEventSink;
}
