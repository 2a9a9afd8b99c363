import type { IResolvers } from '@graphql-tools/utils';
import {
  ADMIN_EVENT_TYPES,
  findUserById,
  listMailboxes,
  listUserAppPasswords,
  listUserSessions,
  parseObjectId,
  readRecentAdminEvents,
  readUserAdminEvents,
  type AdminEventType,
  type SessionDocument,
} from '@wildduck/store';
import { decodeAdminCursor, encodeAdminCursor, freshAdminState } from '../../admin-feed/cursor.js';
import { viewsNewestFirst, type AdminEventView } from '../../admin-feed/events.js';
import { statsHistory, type StatsRange } from '../../admin-feed/stats-history.js';
import { AdminFeedFailure, AdminFeedSubscription } from '../../admin-feed/subscription.js';
import type { GraphQLContext } from '../context.js';
import { withGraphQLFailures } from '../subscription-failures.js';
import { badInput } from '../errors.js';
import { requireAdmin } from '../viewer.js';

/** The user's latest events in userDetail. */
const USER_EVENTS = 50;
const MAX_RECENT = 200;

function typesOf(
  types: readonly AdminEventType[] | null | undefined,
): ReadonlySet<AdminEventType> | undefined {
  if (!types?.length) return undefined;
  return new Set(types.filter((type) => ADMIN_EVENT_TYPES.includes(type)));
}

/** Resolvers of schema/admin-feed.ts: the administrators' live feed, history and user detail. */
export const adminFeedResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    adminEventsCursor(_root, _args, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      return encodeAdminCursor(freshAdminState());
    },

    async recentAdminEvents(
      _root,
      args: { first?: number | null; types?: AdminEventType[] | null },
      ctx: GraphQLContext,
    ) {
      requireAdmin(ctx.viewer);
      const first = args.first ?? 50;
      if (!Number.isInteger(first) || first < 1 || first > MAX_RECENT)
        throw badInput(`"first" must be 1 to ${MAX_RECENT}`, 'first');
      return viewsNewestFirst(await readRecentAdminEvents(ctx.db, first, typesOf(args.types)));
    },

    async statsHistory(_root, args: { range: StatsRange }, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      return statsHistory(ctx.db, ctx.statsCounters, args.range);
    },

    async userDetail(_root, args: { id: string }, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      const id = parseObjectId(args.id);
      const user = id && (await findUserById(ctx.db, id));
      if (!id || !user) return null;
      const [mailboxes, sessions, appPasswords, events] = await Promise.all([
        listMailboxes(ctx.db, id),
        listUserSessions(ctx.db, id),
        listUserAppPasswords(ctx.db, id),
        readUserAdminEvents(ctx.db, id, USER_EVENTS),
      ]);
      return {
        user,
        mailboxes,
        sessions: sessions.map(sessionInfo),
        appPasswords: appPasswords.sort((a, b) => b.created.getTime() - a.created.getTime()),
        recentEvents: viewsNewestFirst(events),
      };
    },
  },

  Subscription: {
    adminEvents: {
      subscribe(
        _root,
        args: { since?: string | null; types?: AdminEventType[] | null },
        ctx: GraphQLContext,
      ) {
        requireAdmin(ctx.viewer);
        const since = args.since ? decodeAdminCursor(args.since) : undefined;
        const types = typesOf(args.types);
        const subscription = new AdminFeedSubscription({
          db: ctx.db,
          bus: ctx.bus,
          logger: ctx.logger,
          ...(since ? { since } : {}),
          ...(types ? { types } : {}),
        });
        return withGraphQLFailures(
          subscription,
          (error): error is AdminFeedFailure => error instanceof AdminFeedFailure,
        );
      },
      resolve: (event: AdminEventView) => event,
    },
  },
};

function sessionInfo(session: SessionDocument) {
  return {
    id: session._id.toHexString(),
    client: session.client ?? null,
    created: session.created,
    expires: session.expires,
    remote: session.remoteAddress,
  };
}
