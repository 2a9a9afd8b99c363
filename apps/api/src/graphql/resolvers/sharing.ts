import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLContext } from '../context.js';
import { requireAdmin, requireUser } from '../viewer.js';
import {
  adminMailboxAccess,
  adminSetMailboxAccess,
  rightsArgument,
  shareMailbox,
  type AdminSharedMailbox,
} from '../../mail/sharing.js';

/**
 * Resolvers of schema/sharing.ts but the Mailbox fields (resolvers/mail.ts): each checks the
 * caller and hands over to mail/sharing.ts. Query.sharedMailboxes is in resolvers/mail.ts too.
 */
export const sharingResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    adminMailboxAccess: (_root, args: { userId: string }, ctx: GraphQLContext) => {
      requireAdmin(ctx.viewer);
      return adminMailboxAccess(ctx, args.userId);
    },
  },
  Mutation: {
    shareMailbox: (
      _root,
      args: { mailboxId: string; with: string; access?: string | null; rights?: string | null },
      ctx: GraphQLContext,
    ) => {
      const viewer = requireUser(ctx.viewer, 'write');
      const rights = rightsArgument(args.access, args.rights);
      return shareMailbox(ctx, viewer, args.mailboxId, args.with, rights);
    },
    adminSetMailboxAccess: (
      _root,
      args: { mailboxId: string; with: string; rights: string },
      ctx: GraphQLContext,
    ) => {
      requireAdmin(ctx.viewer);
      return adminSetMailboxAccess(ctx, args.mailboxId, args.with, args.rights);
    },
  },
  AdminSharedMailbox: {
    mailbox: (entry: AdminSharedMailbox) => entry.mailbox,
    access: (entry: AdminSharedMailbox) => entry.shares,
  },
};
