import { GraphQLScalarType, Kind } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLContext } from '../context.js';
import { translateFailures } from '../failures.js';
import { accountSecurityResolvers } from './account-security.js';
import { adminResolvers } from './admin.js';
import { adminFeedResolvers } from './admin-feed.js';
import { authResolvers } from './auth.js';
import { bulkMessagesResolvers } from './bulk-messages.js';
import { changesResolvers } from './changes.js';
import { consistencyResolvers } from './consistency.js';
import { folderResolvers } from './folders.js';
import { identityResolvers } from './identities.js';
import { mailResolvers } from './mail.js';
import { mailMutationResolvers } from './mail-mutations.js';
import { mailSettingsResolvers } from './mail-settings.js';
import { mailboxAddressResolvers } from './mailbox-addresses.js';
import { sharingResolvers } from './sharing.js';
import { threadResolvers } from './threads.js';
import { webhookResolvers } from './webhooks.js';

/** ISO 8601 text on the wire, Date inside. */
const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: (value) => parseDate(String(value)),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('a DateTime is written as an ISO 8601 string');
    return parseDate(ast.value);
  },
});

function parseDate(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new TypeError(`not an ISO 8601 date: ${text}`);
  return date;
}

/**
 * Every resolver module, merged by root type; the failures the domain modules throw are worded for
 * GraphQL on the way out (failures.ts).
 */
export function allResolvers(): IResolvers<unknown, GraphQLContext>[] {
  return [
    { DateTime },
    ...[
      authResolvers,
      mailResolvers,
      mailMutationResolvers,
      adminResolvers,
      consistencyResolvers,
      webhookResolvers,
      changesResolvers,
      mailSettingsResolvers,
      accountSecurityResolvers,
      folderResolvers,
      threadResolvers,
      identityResolvers,
      adminFeedResolvers,
      bulkMessagesResolvers,
      mailboxAddressResolvers,
      sharingResolvers,
    ].map((resolvers) => translateFailures(resolvers)),
  ];
}
