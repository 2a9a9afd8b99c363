export {
  deliverCopies,
  withdrawCopies,
  type DeliveryDeps,
  type DeliveryResult,
  type DeliveryTarget,
} from './deliver.js';
export { fanOut, type Branch } from './fan-out.js';
export { deliveryKey, findLocalRecipient, type LocalRecipient } from './recipients.js';
export { replies, SmtpReply, worstReply } from './replies.js';
export { relayToSmarthost, type RelayOutcome } from './relay.js';
export { deliveryHeaders, formatMailDate, receivedHeader, type TraceInfo } from './trace-headers.js';
export { prepareSubmittedHeaders, type HeaderProblem, type SubmittedHeaders } from './submitted-headers.js';
export { HeaderTooLargeError, readHeaderBlock, type SplitMessage } from './header-block-reader.js';
export { nonDeliveryReport, type NonDeliveryFacts } from './non-delivery-report.js';
export {
  sentMailbox,
  specialUseMailbox,
  submitMessage,
  type Sender,
  type Submission,
  type SubmitDeps,
  type SubmitRecipients,
  type SubmitResult,
} from './submit.js';
export {
  deliverFiltered,
  type FilteredDelivery,
  type FilteredRecipient,
  type RecipientOutcome,
} from './filtered-delivery.js';
export type { FilterDeps, FilterLogger } from './filter-followups.js';
export {
  MailOutboxSender,
  MAIL_OUTBOX_GIVE_UP_AFTER_MS,
  MAIL_OUTBOX_RETRY_DELAYS_MS,
  type MailOutboxSenderOptions,
} from './mail-outbox-sender.js';
