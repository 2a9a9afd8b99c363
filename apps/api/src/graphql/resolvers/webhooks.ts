import type { IResolvers } from '@graphql-tools/utils';
import { redactWebhookUrl } from '@wildduck/webhooks';
import {
  retryFailedWebhookDelivery,
  webhookOutboxSummary,
  type WebhookDeliveryRecord,
} from '@wildduck/store';
import type { GraphQLContext } from '../context.js';
import { badInput } from '../errors.js';
import { requireAdmin } from '../viewer.js';

/** Resolvers of schema/webhooks.ts: the webhook outbox, for admins. */
export const webhookResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    async webhookOutbox(_root, args: { recent?: number | null }, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      const recent = args.recent ?? 20;
      if (!Number.isInteger(recent) || recent < 0 || recent > 100)
        throw badInput('recent must be between 0 and 100', 'recent');
      const summary = await webhookOutboxSummary(ctx.db, { recent });
      return { ...summary, recent: summary.recent.map(deliveryResult) };
    },
  },
  Mutation: {
    async retryWebhookDelivery(_root, args: { id: string }, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      const retried = await retryFailedWebhookDelivery(ctx.db, args.id);
      if (retried) {
        ctx.logger.info({ delivery: args.id }, 'failed webhook delivery queued again by an admin');
        ctx.webhooks?.wake();
      }
      return retried;
    },
  },
};

function deliveryResult(delivery: WebhookDeliveryRecord) {
  return {
    id: delivery.id,
    type: delivery.type,
    url: redactWebhookUrl(delivery.url),
    state: delivery.state === 'failed' ? 'FAILED' : 'PENDING',
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    lastAttemptAt: delivery.lastAttemptAt,
    nextAttemptAt: delivery.nextAttemptAt,
    failedAt: delivery.failedAt,
    createdAt: delivery.created,
  };
}
