import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLContext } from '../context.js';
import { requireUser } from '../viewer.js';
import { runBulkAction, type BulkAction } from '../../mail/bulk-actions.js';
import type { MessageSelectionInput } from '../../mail/bulk-selection.js';
import { undoMoves } from '../../mail/bulk-undo.js';

/**
 * Mutation.bulkMessages and Mutation.undoBulk of schema/webmail.ts: one action on a selection of
 * the user's messages chosen on the server (src/mail/bulk-actions.ts), and its undo.
 */
export const bulkMessagesResolvers: IResolvers<unknown, GraphQLContext> = {
  Mutation: {
    bulkMessages: (
      _root,
      args: { selection: MessageSelectionInput; action: BulkAction; targetMailboxId?: string | null },
      ctx: GraphQLContext,
    ) =>
      runBulkAction(ctx, requireUser(ctx.viewer, 'write'), args.selection, args.action, args.targetMailboxId),
    undoBulk: (_root, args: { token: string }, ctx: GraphQLContext) =>
      undoMoves(ctx, requireUser(ctx.viewer, 'write'), args.token),
  },
};
