import type { IResolvers } from '@graphql-tools/utils';
import { checkConsistency, parseObjectId, repairConsistency, type Finding } from '@wildduck/store';
import type { GraphQLContext } from '../context.js';
import { notFound } from '../errors.js';
import { requireAdmin } from '../viewer.js';

/** Resolvers of schema/consistency.ts: the store's consistency check and repair, for admins. */
export const consistencyResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    async consistencyCheck(_root, args: { userId?: string | null }, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      const report = await checkConsistency(ctx.db, scopeOf(args.userId));
      return { findings: report.findings.map(findingResult), scope: report.scope };
    },
  },
  Mutation: {
    async repairConsistency(_root, args: { userId?: string | null }, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      const report = await checkConsistency(ctx.db, scopeOf(args.userId));
      const changes = await repairConsistency(ctx.store, report.findings);
      ctx.logger.info(
        { findings: report.findings.length, changed: changes.filter((change) => change.changed).length },
        'consistency repaired',
      );
      return changes.map((change) => ({ ...change, finding: findingResult(change.finding) }));
    },
  },
};

/** One user (NOT_FOUND for an id that cannot be one) or, without an id, the whole store. */
function scopeOf(userId: string | null | undefined): {
  user?: NonNullable<ReturnType<typeof parseObjectId>>;
} {
  if (userId === null || userId === undefined) return {};
  const user = parseObjectId(userId);
  if (!user) throw notFound('No such user');
  return { user };
}

function findingResult(finding: Finding) {
  return {
    kind: finding.kind,
    userId: finding.user?.toHexString() ?? null,
    mailboxId: finding.mailbox?.toHexString() ?? null,
    ids: finding.ids,
    expected: String(finding.expected),
    actual: String(finding.actual),
    repairable: finding.repairable,
  };
}
