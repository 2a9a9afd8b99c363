import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Db } from 'mongodb';
import type { Config } from '@wildduck/config';
import { InProcessLockManager, storeContext } from '@wildduck/store';
import { createChangeBus } from '@wildduck/change-bus';
import { createRateLimiter, RedisLockManager } from '@wildduck/coordination';
import { WebhookDispatcher } from '@wildduck/webhooks';
import type { ApiServices } from './graphql/context.js';

/** Failed sign-ins allowed per account and per client address, per window (as for IMAP). */
export const SIGN_IN_LIMITS = {
  perUser: { attempts: 10, windowSeconds: 300 },
  perAddress: { attempts: 100, windowSeconds: 300 },
};

/** The API's connections to Redis (bus, locks, limits) and its settings; `close` ends them. */
export function openApiServices(
  config: Config,
  db: Db,
  logger: Logger,
): ApiServices & { close(): Promise<void> } {
  const redisUrl = config.redis.url;
  const locks = redisUrl
    ? new RedisLockManager(redisUrl, { fallback: new InProcessLockManager() })
    : new InProcessLockManager();
  const bus = createChangeBus(redisUrl);
  const user = createRateLimiter(redisUrl, 'signin-user', SIGN_IN_LIMITS.perUser);
  const address = createRateLimiter(redisUrl, 'signin-address', SIGN_IN_LIMITS.perAddress);
  const webhooks = config.webhooks.urls.length
    ? new WebhookDispatcher({
        targets: config.webhooks.urls.map((url) => ({ url, secret: config.webhooks.secret! })),
        logger: logger.child({ component: 'webhooks' }),
      })
    : undefined;
  return {
    db,
    store: storeContext(db, locks),
    bus,
    logger,
    apiToken: config.api.token,
    publicUrl: config.api.publicUrl ?? `http://${config.bindHost}:${config.api.port}`,
    signInLimiters: { user, address },
    ...(webhooks ? { webhooks } : {}),
    ...(config.submission.smarthost ? { smarthost: config.submission.smarthost } : {}),
    serverName: config.serverName ?? hostname(),
    async close() {
      await webhooks?.close();
      await bus.close();
      await user.close();
      await address.close();
      if (locks instanceof RedisLockManager) await locks.close();
    },
  };
}
