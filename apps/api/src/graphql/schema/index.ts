import { adminTypeDefs } from './admin.js';
import { consistencyTypeDefs } from './consistency.js';
import { authTypeDefs } from './auth.js';
import { baseTypeDefs } from './base.js';
import { changeTypeDefs } from './changes.js';
import { mailTypeDefs } from './mail.js';
import { settingsTypeDefs } from './settings.js';
import { webhookTypeDefs } from './webhooks.js';
import { webmailTypeDefs } from './webmail.js';
import { adminFeedTypeDefs } from './admin-feed.js';
import { mailboxAddressTypeDefs } from './mailbox-addresses.js';
import { sharingTypeDefs } from './sharing.js';

/** The whole SDL, in modules; `npm run schema -w apps/api` prints it to apps/api/schema.graphql. */
export const typeDefs = [
  baseTypeDefs,
  authTypeDefs,
  mailTypeDefs,
  adminTypeDefs,
  consistencyTypeDefs,
  webhookTypeDefs,
  changeTypeDefs,
  settingsTypeDefs,
  webmailTypeDefs,
  adminFeedTypeDefs,
  mailboxAddressTypeDefs,
  sharingTypeDefs,
];
