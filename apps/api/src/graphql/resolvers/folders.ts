import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLContext } from '../context.js';
import { requireUser } from '../viewer.js';
import { deleteMailboxToTrash, emptyMailbox } from '../../mail/folder-actions.js';

/**
 * Resolvers of the folder mutations of schema/webmail.ts: delete a folder tree to Trash, empty
 * Trash or Junk. Create and rename are in mail-mutations.ts.
 */
export const folderResolvers: IResolvers<unknown, GraphQLContext> = {
  Mutation: {
    deleteMailboxToTrash: (_root, args: { id: string }, ctx: GraphQLContext) =>
      deleteMailboxToTrash(ctx, requireUser(ctx.viewer, 'write'), args.id),
    emptyMailbox: (_root, args: { id: string }, ctx: GraphQLContext) =>
      emptyMailbox(ctx, requireUser(ctx.viewer, 'write'), args.id),
  },
};
