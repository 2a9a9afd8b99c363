import type { CollectionSpec } from '../types.js';
import { users } from './users.js';
import { mailboxes } from './mailboxes.js';
import { messages } from './messages.js';
import { messageSearch } from './message-search.js';
import { journal } from './journal.js';
import { partFiles, partChunks } from './parts.js';
import { sessions } from './sessions.js';
import { accessTokens } from './access-tokens.js';
import { subscriptions } from './subscriptions.js';
import { webhookOutbox, webhookClaims } from './webhook-outbox.js';
import { storeLocks } from './store-locks.js';
import { appPasswords } from './app-passwords.js';
import { twoFactor } from './two-factor.js';
import { sieveScripts } from './sieve-scripts.js';
import { mailSettings } from './mail-settings.js';
import { vacationReplies } from './vacation-replies.js';
import { mailOutbox, mailOutboxClaims } from './mail-outbox.js';
import { identities, contacts } from './identities.js';
import { mailboxAcl, privateSeen } from './mailbox-acl.js';
import { mailboxAddresses } from './mailbox-addresses.js';

export {
  users,
  mailboxes,
  messages,
  messageSearch,
  journal,
  partFiles,
  partChunks,
  sessions,
  accessTokens,
  subscriptions,
  webhookOutbox,
  webhookClaims,
  storeLocks,
  appPasswords,
  twoFactor,
  sieveScripts,
  mailSettings,
  vacationReplies,
  mailOutbox,
  mailOutboxClaims,
  identities,
  contacts,
  mailboxAcl,
  privateSeen,
  mailboxAddresses,
};
export { JOURNAL_RETENTION_SECONDS } from './journal.js';
export { PARTS_BUCKET } from './parts.js';
export { SESSION_LIFETIME_SECONDS } from './sessions.js';
export { WEBHOOK_FAILED_RETENTION_SECONDS } from './webhook-outbox.js';

/** Every collection of the product, in the order they are applied. */
export const collections: readonly CollectionSpec[] = [
  users,
  mailboxes,
  messages,
  messageSearch,
  journal,
  partFiles,
  partChunks,
  sessions,
  accessTokens,
  subscriptions,
  webhookOutbox,
  webhookClaims,
  storeLocks,
  appPasswords,
  twoFactor,
  sieveScripts,
  mailSettings,
  vacationReplies,
  mailOutbox,
  mailOutboxClaims,
  identities,
  contacts,
  mailboxAcl,
  privateSeen,
  mailboxAddresses,
];
