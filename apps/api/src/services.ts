import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Db } from 'mongodb';
import type { Config } from '@wildduck/config';
import { countWebhookDeliveries, storeContext, type StoreContext } from '@wildduck/store';
import { createChangeBus, type ChangeBus } from '@wildduck/change-bus';
import {
  createExpiringRecords,
  createPeriodCounters,
  createRateLimiter,
  type ExpiringRecords,
  type PeriodCounters,
  type RateLimiter,
} from '@wildduck/coordination';
import {
  AdminEventRecorder,
  MailboxAccess,
  MailboxLists,
  changeHub,
  openSharedLocks,
  openWebhookOutbox,
  startWriteHealer,
  type AdminEventSink,
} from '@wildduck/mail-service';
import { webhookMetrics, type Registry } from '@wildduck/observability';
import type { WebhookOutbox } from '@wildduck/webhooks';

/** What the API's handlers (GraphQL resolvers, REST routes) share for the life of the process. */
export interface ApiServices {
  db: Db;
  store: StoreContext;
  bus: ChangeBus;
  logger: Logger;
  /** The server's API_TOKEN (acts as an administrator), when set. */
  apiToken: string | undefined;
  /** Base URL clients reach the API at (download links). */
  publicUrl: string;
  /** Failed sign-ins per account and per client address. */
  signInLimiters: { user: RateLimiter; address: RateLimiter; events?: AdminEventSink };
  /** The administrators' feed: this process's sign-ins and sends, written in batches. */
  adminEvents?: AdminEventRecorder;
  /** Deliveries per minute, hour and day (the admin charts). */
  statsCounters?: PeriodCounters;
  /** The outbox SPAM / NOT_SPAM webhooks go through, when configured (its worker runs here too). */
  webhooks?: WebhookOutbox;
  /** Smarthost for mail to outside addresses (GraphQL send); unset: local recipients only. */
  smarthost?: string;
  /** Our name in Received: and Message-ID. */
  serverName: string;
  /** What undoing a bulk move needs, for a minute (Redis; absent: kept in this process). */
  bulkUndo?: ExpiringRecords;
  /**
   * Which mailboxes each user can reach, their own and those shared with them (RFC 4314), kept
   * in memory for the process; absent, one is made per bus (mail/mailbox-access.ts).
   */
  mailboxAccess?: MailboxAccess;
}

/** Failed sign-ins allowed per account and per client address, per window (as for IMAP). */
export const SIGN_IN_LIMITS = {
  perUser: { attempts: 10, windowSeconds: 300 },
  perAddress: { attempts: 100, windowSeconds: 300 },
};

/**
 * The API's connections to Redis (bus, locks, limits), its webhook outbox worker and its settings;
 * `close` ends them. With a `registry`, the webhook outbox is counted on /metrics.
 */
export function openApiServices(
  config: Config,
  db: Db,
  logger: Logger,
  registry?: Registry,
): ApiServices & { close(): Promise<void> } {
  const redisUrl = config.redis.url;
  const shared = openSharedLocks(db, redisUrl, logger);
  const bus = createChangeBus(redisUrl);
  const user = createRateLimiter(redisUrl, 'signin-user', SIGN_IN_LIMITS.perUser);
  const address = createRateLimiter(redisUrl, 'signin-address', SIGN_IN_LIMITS.perAddress);
  const store = storeContext(db, shared.locks);
  // named by the database, as the mail servers' (runtime.ts): one count per deployment
  const statsCounters = createPeriodCounters(redisUrl, `deliveries:${db.databaseName}`);
  const adminEvents = new AdminEventRecorder({
    db,
    bus,
    counters: statsCounters,
    logger: logger.child({ component: 'admin-events' }),
  });
  const bulkUndo = createExpiringRecords(redisUrl, 'bulk-undo');
  // counters left off by writes that stopped halfway are repaired (mail-service write-healer.ts)
  const healer = startWriteHealer({ ctx: store, logger, bus });
  const hub = changeHub(bus);
  const mailboxAccess = new MailboxAccess(db, hub, new MailboxLists(db, hub));
  const metrics = registry && webhookMetrics(registry, () => countWebhookDeliveries(db));
  const webhooks = openWebhookOutbox({
    ctx: store,
    urls: config.webhooks.urls,
    secret: config.webhooks.secret,
    logger,
    ...(metrics ? { onOutcome: metrics.outcome } : {}),
  });
  return {
    db,
    store,
    bus,
    logger,
    apiToken: config.api.token,
    publicUrl: config.api.publicUrl ?? `http://${config.bindHost}:${config.api.port}`,
    signInLimiters: { user, address, events: adminEvents },
    adminEvents,
    statsCounters,
    ...(webhooks ? { webhooks } : {}),
    ...(config.submission.smarthost ? { smarthost: config.submission.smarthost } : {}),
    serverName: config.serverName ?? hostname(),
    bulkUndo,
    mailboxAccess,
    async close() {
      healer.stop();
      mailboxAccess.close();
      await adminEvents.close();
      await statsCounters.close();
      await bulkUndo.close();
      await webhooks?.close();
      await bus.close();
      await user.close();
      await address.close();
      await shared.close();
    },
  };
}
