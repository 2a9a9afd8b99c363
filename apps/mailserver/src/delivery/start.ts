import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { SMTPServer } from 'smtp-server';
import type { Config } from '@wildduck/config';
import type { MailRuntime } from '../runtime.js';
import type { TlsFiles } from '../tls.js';
import type { MailMetrics, MailProtocol } from '@wildduck/observability';
import { trackSmtpServer } from '../observability/smtp.js';
import { createDeliveryServer } from './delivery-server.js';
import { createSubmissionServer } from './submission-server.js';
import { acceptProxiedConnections, proxyProtocolFor } from '../proxy-protocol.js';
import { limitConnections, type ConnectionLimits } from './connection-limits.js';

/**
 * Starts LMTP, the SMTP maildrop and SMTP submission, each unless switched off; returns their
 * closers, which drain (observability/smtp.ts): idle connections go at once, messages in DATA get
 * up to `config.shutdownGraceMs`.
 */
export async function startDeliveryServers(
  config: Config,
  runtime: Pick<MailRuntime, 'ctx' | 'bus' | 'userLimiter' | 'addressLimiter'> &
    Partial<Pick<MailRuntime, 'mailOutbox' | 'adminEvents'>>,
  tls: TlsFiles,
  logger: Logger,
  metrics?: MailMetrics,
): Promise<(() => Promise<void>)[]> {
  const serverName = config.serverName ?? hostname();
  const deps = {
    ctx: runtime.ctx,
    bus: runtime.bus,
    onStoreError: (error: unknown) => logger.warn({ err: error }, 'storing a delivered message failed'),
    // filter follow-ups written by a delivery here are sent by this process's sender at once
    ...(runtime.mailOutbox ? { mailOutbox: runtime.mailOutbox } : {}),
  };
  const servers: {
    name: string;
    protocol: MailProtocol;
    port: number;
    server: SMTPServer;
    limits: ConnectionLimits;
  }[] = [];
  if (config.lmtp.enabled)
    servers.push({
      name: 'LMTP',
      protocol: 'lmtp',
      port: config.lmtp.port,
      // LMTP comes from the MTAs, a few addresses with many connections each: the total only
      limits: { maxConnections: config.lmtp.maxConnections, maxConnectionsPerAddress: 0 },
      server: createDeliveryServer({
        ...deps,
        ...feedOf(runtime, 'lmtp'),
        mode: 'lmtp',
        serverName,
        ...(config.submission.smarthost ? { smarthost: config.submission.smarthost } : {}),
        logger: logger.child({ protocol: 'lmtp' }),
      }),
    });
  if (config.smtp.enabled)
    servers.push({
      name: 'SMTP maildrop',
      protocol: 'smtp',
      port: config.smtp.port,
      limits: config.smtp,
      server: createDeliveryServer({
        ...deps,
        ...feedOf(runtime, 'smtp'),
        mode: 'smtp',
        serverName,
        ...(config.submission.smarthost ? { smarthost: config.submission.smarthost } : {}),
        tls,
        logger: logger.child({ protocol: 'smtp' }),
      }),
    });
  if (config.submission.enabled)
    servers.push({
      name: 'SMTP submission',
      protocol: 'submission',
      port: config.submission.port,
      limits: config.submission,
      server: createSubmissionServer({
        ...deps,
        ...feedOf(runtime, 'submission'),
        serverName,
        tls,
        logger: logger.child({ protocol: 'submission' }),
        ...(config.submission.smarthost ? { smarthost: config.submission.smarthost } : {}),
        allowInsecureAuth: config.submission.allowInsecureAuth,
        userLimiter: runtime.userLimiter,
        addressLimiter: runtime.addressLimiter,
      }),
    });
  for (const { protocol, server, limits } of servers)
    limitConnections(server, limits, logger.child({ protocol }));
  const tracked = servers.map(({ protocol, server }) =>
    trackSmtpServer(server, protocol, { ...(metrics ? { metrics } : {}), logger }),
  );
  const proxyProtocol = proxyProtocolFor(config, logger);
  for (const { server } of servers) acceptProxiedConnections(server, proxyProtocol);
  for (const { name, port, server } of servers) {
    await listen(server, port, config.bindHost);
    // a client's broken connection is reported here; without a listener it would end the process
    server.on('error', (error: Error) => logger.warn({ err: error, protocol: name }, 'connection error'));
    logger.info(`${name} listening on ${config.bindHost}:${port}`);
  }
  return tracked.map((server) => () => server.drain(config.shutdownGraceMs));
}

/** The admin feed for one protocol's deliveries (and its sign-ins), when the runtime has one. */
function feedOf(runtime: Partial<Pick<MailRuntime, 'adminEvents'>>, protocol: string) {
  return runtime.adminEvents ? { adminEvents: runtime.adminEvents.withProtocol(protocol) } : {};
}

function listen(server: SMTPServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
