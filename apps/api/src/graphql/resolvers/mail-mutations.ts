import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLContext } from '../context.js';
import { requireUser } from '../viewer.js';
import type { ComposeInput } from '../../mail/compose.js';
import { changeFlags, deleteMessages, moveToMailbox } from '../../mail/message-actions.js';
import { createUserMailbox, deleteUserMailbox, renameUserMailbox } from '../../mail/mailbox-actions.js';
import { saveDraft, sendMessage } from '../../mail/sending.js';

/**
 * Resolvers of the Mutation fields of schema/mail.ts: each checks the caller's scope and calls one
 * domain function (src/mail/); its RequestFailures become GraphQL errors (graphql/failures.ts).
 */
export const mailMutationResolvers: IResolvers<unknown, GraphQLContext> = {
  Mutation: {
    setFlags: (_root, args: { ids: string[]; flags: string[] }, ctx: GraphQLContext) =>
      changeFlags(ctx, requireUser(ctx.viewer, 'write'), args.ids, args.flags, 'add'),
    clearFlags: (_root, args: { ids: string[]; flags: string[] }, ctx: GraphQLContext) =>
      changeFlags(ctx, requireUser(ctx.viewer, 'write'), args.ids, args.flags, 'remove'),
    moveMessages: (_root, args: { ids: string[]; mailboxId: string }, ctx: GraphQLContext) =>
      moveToMailbox(ctx, requireUser(ctx.viewer, 'write'), args.ids, args.mailboxId),
    deleteMessages: (_root, args: { ids: string[] }, ctx: GraphQLContext) =>
      deleteMessages(ctx, requireUser(ctx.viewer, 'write'), args.ids),
    createMailbox: (_root, args: { path: string }, ctx: GraphQLContext) =>
      createUserMailbox(ctx, requireUser(ctx.viewer, 'write'), args.path),
    renameMailbox: (_root, args: { id: string; path: string }, ctx: GraphQLContext) =>
      renameUserMailbox(ctx, requireUser(ctx.viewer, 'write'), args.id, args.path),
    deleteMailbox: (_root, args: { id: string }, ctx: GraphQLContext) =>
      deleteUserMailbox(ctx, requireUser(ctx.viewer, 'write'), args.id),
    send: (_root, args: { input: ComposeInput }, ctx: GraphQLContext) =>
      sendMessage(ctx, requireUser(ctx.viewer, 'send'), args.input, ctx.remoteAddress),
    saveDraft: (_root, args: { input: ComposeInput; replaceId?: string | null }, ctx: GraphQLContext) =>
      saveDraft(ctx, requireUser(ctx.viewer, 'write'), args.input, args.replaceId ?? null),
  },
};
