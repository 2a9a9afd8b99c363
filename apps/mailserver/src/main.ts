import { pino } from 'pino';
import { loadConfig, ConfigError } from '@wildduck/config';
import { configurePasswordHashing, countWebhookDeliveries, isTemporaryFailure } from '@wildduck/store';
import { ImapServer } from '@wildduck/imap-core';
import { imapLimits, openRuntime } from './runtime.js';
import { loadOrCreateCertificate } from './tls.js';
import { StoreImapBackend } from './imap/store-backend.js';
import { startDeliveryServers } from './delivery/start.js';
import { startManageSieve } from './managesieve/start.js';
import { proxyProtocolFor } from './proxy-protocol.js';
import { JunkReporter, openWebhookOutbox } from '@wildduck/mail-service';
import { countBusReconnects, createRegistry, mailMetrics, webhookMetrics } from '@wildduck/observability';
import { imapObserver } from './observability/imap.js';
import { startMailHealth } from './observability/health.js';

/**
 * One mail server process against the shared store: IMAP with STARTTLS and IMAP over TLS, LMTP,
 * SMTP, submission and ManageSieve (each protocol can be switched off), all stopped cleanly on
 * SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: { service: 'mailserver' } });
  configurePasswordHashing(config.passwordHash);
  if (!config.mongodb.uri) {
    throw new ConfigError(
      'Invalid configuration: MONGODB_URI is not set (run `npm start`, or set it to the store the other processes use).',
    );
  }
  const runtime = await openRuntime(config, logger);
  const registry = createRegistry('mailserver');
  const metrics = mailMetrics(registry);
  countBusReconnects(registry, runtime.bus);
  const tls = await loadOrCreateCertificate({ ...config.tls, dataDir: config.dataDir });
  const closers: (() => Promise<void>)[] = [];
  // SPAM / NOT_SPAM from the store's outbox; this instance's worker sends what any instance queued
  const webhooks = openWebhookOutbox({
    ctx: runtime.ctx,
    urls: config.webhooks.urls,
    secret: config.webhooks.secret,
    logger,
    onOutcome: webhookMetrics(registry, () => countWebhookDeliveries(runtime.ctx.db)).outcome,
  });
  const junkReporter = new JunkReporter({
    ctx: runtime.ctx,
    bus: runtime.bus,
    ...(webhooks ? { webhooks } : {}),
    apiUrl: config.api.publicUrl ?? `http://${config.bindHost}:${config.api.port}`,
    logger,
  });

  if (config.imap.enabled) {
    const backend = new StoreImapBackend({
      ctx: runtime.ctx,
      bus: runtime.bus,
      userLimiter: runtime.userLimiter,
      addressLimiter: runtime.addressLimiter,
      junkReporter,
      adminEvents: runtime.adminEvents,
    });
    const common = {
      backend,
      tls,
      allowPlaintextLogin: config.imap.allowPlaintextLogin,
      logger: logger.child({ protocol: 'imap' }),
      proxyProtocol: proxyProtocolFor(config, logger),
      // the store out of reach (or a lock held across its outage) answers NO [UNAVAILABLE], not [SERVERBUG]
      isUnavailable: isTemporaryFailure,
      ...imapLimits(config),
    };
    const imap = new ImapServer({ ...common, observer: imapObserver(metrics, 'imap') });
    const imaps = new ImapServer({ ...common, secure: true, observer: imapObserver(metrics, 'imaps') });
    await imap.listen(config.imap.port, config.bindHost);
    await imaps.listen(config.imap.tlsPort, config.bindHost);
    closers.push(
      () => imap.close(),
      () => imaps.close(),
    );
    logger.info(
      `IMAP listening on ${config.bindHost}:${config.imap.port} (STARTTLS) and ${config.bindHost}:${config.imap.tlsPort} (TLS)`,
    );
  }

  closers.push(...(await startDeliveryServers(config, runtime, tls, logger, metrics)));
  closers.push(...(await startManageSieve(config, runtime, tls, logger)));

  let stopping = false;
  const health = await startMailHealth({ config, runtime, registry, draining: () => stopping, logger });
  // SIGTERM: /healthz and /readyz answer 503 at once; every listener stops accepting; IMAP sessions
  // get BYE; LMTP/SMTP close idle connections and let messages in DATA finish (SHUTDOWN_GRACE_MS)
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'mail server stopping');
    await Promise.allSettled(closers.map((close) => close()));
    await health.close();
    await webhooks?.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
