import type { Logger } from 'pino';
import { databaseNameFor, type Config } from '@wildduck/config';
import {
  connectStore,
  deleteExpiredJournalEntries,
  sweepAbandonedUploads,
  sweepVacationReplies,
  storeContext,
  type StoreConnection,
  type StoreContext,
} from '@wildduck/store';
import { applySchema } from '@wildduck/schema';
import { createChangeBus, type ChangeBus } from '@wildduck/change-bus';
import { createPeriodCounters, createRateLimiter, type RateLimiter } from '@wildduck/coordination';
import type { ImapServerOptions } from '@wildduck/imap-core';
import {
  AdminEventRecorder,
  openSharedLocks,
  startStorageSampler,
  startWriteHealer,
} from '@wildduck/mail-service';
import { MailOutboxSender } from '@wildduck/delivery';
import { hostname } from 'node:os';

/** Everything a mail server process shares between its protocols. */
export interface MailRuntime {
  store: StoreConnection;
  ctx: StoreContext;
  bus: ChangeBus;
  userLimiter: RateLimiter;
  addressLimiter: RateLimiter;
  /** Sends the filters' redirects, vacation replies and rejection notices from the store's outbox. */
  mailOutbox: MailOutboxSender;
  /** The administrators' feed: deliveries and sign-ins of this process, written in batches. */
  adminEvents: AdminEventRecorder;
  close(): Promise<void>;
}

/** Failed logins allowed per account, and per client address (which may front many users), per window. */
export const LOGIN_LIMITS = {
  perUser: { attempts: 10, windowSeconds: 300 },
  perAddress: { attempts: 100, windowSeconds: 300 },
};
/** The connection limits and timeouts of both IMAP listeners (plain and TLS), from the configuration. */
export function imapLimits(config: Config) {
  return {
    maxConnections: config.imap.maxConnections,
    maxConnectionsPerAddress: config.imap.maxConnectionsPerAddress,
    preAuthTimeoutMs: config.imap.preAuthTimeoutMs,
    outputStallTimeoutMs: config.imap.outputStallTimeoutMs,
  } satisfies Partial<ImapServerOptions>;
}

/**
 * How often this process deletes expired journal entries (FerretDB has no TTL indexes) and the
 * leftovers of uploads whose clean-up could not reach the store.
 */
const SWEEP_MS = 15 * 60 * 1000;

/** Connects to MongoDB and Redis (or their single-node stand-ins) and applies the schema. */
export async function openRuntime(config: Config, logger: Logger): Promise<MailRuntime> {
  if (!config.mongodb.uri) throw new Error('MONGODB_URI is not set');
  const store = await connectStore(config.mongodb.uri, databaseNameFor(config));
  const report = await applySchema(store.db);
  for (const entry of report.unsupported)
    logger.info(
      { feature: entry.feature, fallback: entry.fallback },
      'the store lacks a feature; using the fallback',
    );
  const redisUrl = config.redis.url;
  const shared = openSharedLocks(store.db, redisUrl, logger);
  const ctx = storeContext(store.db, shared.locks);
  const bus = createChangeBus(redisUrl);
  // what writes that stopped halfway (store away, an instance killed) left is repaired
  const healer = startWriteHealer({ ctx, logger, bus });
  // what any instance's deliveries (and the API's sends) left in the outbox goes out from here
  const mailOutbox = new MailOutboxSender({
    deps: {
      ctx,
      bus,
      serverName: config.serverName ?? hostname(),
      ...(config.submission.smarthost ? { smarthost: config.submission.smarthost } : {}),
      logger: logger.child({ component: 'mail-outbox' }),
    },
  }).start();
  // the admin feed and charts: deliveries counted per minute in Redis, storage sampled by one instance
  // named by the database: deployments (and test runs) sharing a Redis count apart
  const counters = createPeriodCounters(redisUrl, `deliveries:${store.db.databaseName}`);
  const adminEvents = new AdminEventRecorder({
    db: store.db,
    bus,
    counters,
    logger: logger.child({ component: 'admin-events' }),
  });
  const sampler = startStorageSampler({ db: store.db, counters, logger });
  const userLimiter = createRateLimiter(redisUrl, 'login-user', LOGIN_LIMITS.perUser);
  const addressLimiter = createRateLimiter(redisUrl, 'login-address', LOGIN_LIMITS.perAddress);
  const sweep = setInterval(() => {
    deleteExpiredJournalEntries(store.db).catch((error: unknown) =>
      logger.warn({ err: error }, 'journal sweep failed'),
    );
    sweepAbandonedUploads(store.db)
      .then((swept) => {
        if (swept.chunks || swept.files) logger.info(swept, 'deleted abandoned uploads');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'upload sweep failed'));
    // vacation replies whose period is over (FerretDB has no TTL index)
    sweepVacationReplies(store.db).catch((error: unknown) =>
      logger.warn({ err: error }, 'vacation reply sweep failed'),
    );
  }, SWEEP_MS);
  sweep.unref();
  return {
    store,
    ctx,
    bus,
    userLimiter,
    addressLimiter,
    mailOutbox,
    adminEvents,
    async close() {
      clearInterval(sweep);
      healer.stop();
      sampler.stop();
      await mailOutbox.close();
      await adminEvents.close();
      await counters.close();
      await bus.close();
      await userLimiter.close();
      await addressLimiter.close();
      await shared.close();
      await store.close();
    },
  };
}
