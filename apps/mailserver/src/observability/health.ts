import type { Logger } from 'pino';
import type { Config } from '@wildduck/config';
import {
  mongoCheck,
  redisCheck,
  schemaCheck,
  startHealthServer,
  type Registry,
} from '@wildduck/observability';
import type { MailRuntime } from '../runtime.js';

/** The mail server's health listener, once started. */
export interface MailHealth {
  /** The bound port, or undefined when switched off or the port was taken. */
  port: number | undefined;
  close(): Promise<void>;
}

/**
 * Serves /healthz, /readyz (MongoDB answers a ping, Redis answers PING or none is configured, the
 * schema is applied) and /metrics on bindHost:HEALTH_PORT, unless HEALTH_ENABLED is false. A port
 * that is taken (a second instance on one machine with the default) is logged, not fatal: the mail
 * protocols matter more than their probes.
 */
export async function startMailHealth(options: {
  config: Config;
  runtime: MailRuntime;
  registry: Registry;
  draining: () => boolean;
  logger: Logger;
}): Promise<MailHealth> {
  const { config, runtime, logger } = options;
  if (!config.health.enabled) return { port: undefined, close: () => Promise.resolve() };
  const redis = redisCheck(config.redis.url);
  try {
    const server = await startHealthServer({
      port: config.health.port,
      host: config.bindHost,
      registry: options.registry,
      draining: options.draining,
      readiness: [mongoCheck(runtime.store.db), redis, schemaCheck(runtime.store.db)],
    });
    logger.info(`health on http://${config.bindHost}:${server.port} (/healthz, /readyz, /metrics)`);
    return {
      port: server.port,
      async close() {
        await server.close();
        await redis.close();
      },
    };
  } catch (error) {
    await redis.close();
    logger.error(
      { err: error, port: config.health.port },
      `the health listener could not start on ${config.bindHost}:${config.health.port} (set HEALTH_PORT, or HEALTH_ENABLED=false); serving mail without it`,
    );
    return { port: undefined, close: () => Promise.resolve() };
  }
}
