import type { IResolvers } from '@graphql-tools/utils';
import { hasRights, parseObjectId, toNumber } from '@wildduck/store';
import { decodeCursor, encodeCursor, freshState } from '../../changes/cursor.js';
import { changeHub } from '../../changes/feed.js';
import { listFollowedMailboxes } from '../../changes/journal-reads.js';
import { ChangeFeedFailure, ChangeSubscription, type MailboxChange } from '../../changes/subscription.js';
import type { GraphQLContext } from '../context.js';
import { withGraphQLFailures } from '../subscription-failures.js';
import { notFound } from '../errors.js';
import { mailboxAccessOf, reachableMailbox } from '../../mail/mailbox-access.js';
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
      // and the mailboxes others share with the viewer, which a subscription may follow by id
      const shared = (await mailboxAccessOf(ctx).sharedWith(viewer.userId))
        .filter((each) => hasRights(each.rights, 'r'))
        .map((each) => ({
          id: each.mailbox._id!.toHexString(),
          highestModseq: toNumber(each.mailbox.highestModseq ?? 0),
        }));
      return encodeCursor(freshState(viewer.userId.toHexString(), [...mailboxes, ...shared]));
    },
  },
  Subscription: {
    mailboxChanges: {
      async subscribe(_root: unknown, args: MailboxChangesArgs, ctx: GraphQLContext) {
        const viewer = requireUser(ctx.viewer, 'subscribe');
        let mailbox: string | undefined;
        // whose feed: the viewer's, or the owner's of a mailbox shared with the viewer
        let owner = viewer.userId;
        if (args.mailboxId !== null && args.mailboxId !== undefined) {
          const id = parseObjectId(args.mailboxId);
          // a mailbox the viewer cannot reach is as unknown as a made-up id
          if (!id) throw notFound('No such mailbox');
          const target = await reachableMailbox(ctx, viewer, id.toHexString(), 'mailboxId', 'r');
          mailbox = id.toHexString();
          owner = target.owner;
        }
        const shared = !owner.equals(viewer.userId);
        // cursors are the viewer's, whosever feed is followed (changesCursor names shared mailboxes too)
        const since = args.since ? decodeCursor(args.since, viewer.userId.toHexString()) : undefined;
        const access = mailboxAccessOf(ctx);
        const subscription = await ChangeSubscription.open(changeHub(ctx), {
          user: owner,
          ...(mailbox ? { mailbox } : {}),
          ...(since ? { since } : {}),
          ...(shared
            ? {
                reader: {
                  id: viewer.userId,
                  allowed: async () => {
                    const now = await access.byId(viewer.userId, viewer.address, mailbox!);
                    return !!now && hasRights(now.rights, 'r');
                  },
                },
              }
            : {}),
          // account-wide: the mailboxes others share with the viewer come along (on their owners' feeds)
          ...(mailbox
            ? {}
            : {
                shared: {
                  list: async () =>
                    (await access.sharedWith(viewer.userId))
                      .filter((each) => hasRights(each.rights, 'r'))
                      .map((each) => ({ id: each.mailbox._id!.toHexString(), owner: each.owner })),
                  allowed: async (id: string) => {
                    const now = await access.byId(viewer.userId, viewer.address, id);
                    return !!now && !now.owner.equals(viewer.userId) && hasRights(now.rights, 'r');
                  },
                },
              }),
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
