import type { IResolvers } from '@graphql-tools/utils';
import { findMailboxById, parseObjectId } from '@wildduck/store';
import { decodeCursor, encodeCursor, freshState } from '../../changes/cursor.js';
import { changeHub } from '../../changes/feed.js';
import { listFollowedMailboxes } from '../../changes/journal-reads.js';
import { ChangeFeedFailure, ChangeSubscription, type MailboxChange } from '../../changes/subscription.js';
import type { GraphQLContext } from '../context.js';
import { withGraphQLFailures } from '../subscription-failures.js';
import { notFound } from '../errors.js';
import { requireUser } from '../viewer.js';

interface MailboxChangesArgs {
  since?: string | null;
  mailboxId?: string | null;
}

/** Resolvers of schema/changes.ts: the live change feed (apps/api/src/changes/). */
export const changesResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    async changesCursor(_root: unknown, _args: unknown, ctx: GraphQLContext) {
      const viewer = requireUser(ctx.viewer, 'subscribe');
      const mailboxes = await listFollowedMailboxes(ctx.db, viewer.userId);
      return encodeCursor(freshState(viewer.userId.toHexString(), mailboxes));
    },
  },
  Subscription: {
    mailboxChanges: {
      async subscribe(_root: unknown, args: MailboxChangesArgs, ctx: GraphQLContext) {
        const viewer = requireUser(ctx.viewer, 'subscribe');
        let mailbox: string | undefined;
        if (args.mailboxId !== null && args.mailboxId !== undefined) {
          const id = parseObjectId(args.mailboxId);
          // another user's mailbox is as unknown as a made-up id
          if (!id || !(await findMailboxById(ctx.db, viewer.userId, id))) throw notFound('No such mailbox');
          mailbox = id.toHexString();
        }
        const since = args.since ? decodeCursor(args.since, viewer.userId.toHexString()) : undefined;
        const subscription = await ChangeSubscription.open(changeHub(ctx), {
          user: viewer.userId,
          ...(mailbox ? { mailbox } : {}),
          ...(since ? { since } : {}),
        });
        return withGraphQLFailures(
          subscription,
          (error): error is ChangeFeedFailure => error instanceof ChangeFeedFailure,
        );
      },
      resolve: (change: MailboxChange) => change,
    },
  },
};
