import { pino } from 'pino';
import { loadConfig, databaseNameFor, ConfigError } from '@wildduck/config';
import { connectStore } from '@wildduck/store';
import { applySchema } from '@wildduck/schema';

/**
 * Starts one mail server process against the shared store. The IMAP, LMTP and SMTP listeners are
 * wired in by their own issues; until then the process connects, applies the schema and waits.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: { service: 'mailserver' } });
  if (!config.mongodb.uri) {
    throw new ConfigError('Invalid configuration: MONGODB_URI is not set (run `npm start`, or set it to the store the other processes use).');
  }
  const store = await connectStore(config.mongodb.uri, databaseNameFor(config));
  const report = await applySchema(store.db);
  for (const entry of report.unsupported) {
    logger.info({ feature: entry.feature, fallback: entry.fallback }, 'store lacks a feature; using the fallback');
  }
  logger.info({ redis: config.redis.url ?? 'in-process bus' }, 'mail server connected to the store; no protocol listeners yet');

  const keepAlive = setInterval(() => {}, 1 << 30);
  const stop = async (signal: string) => {
    logger.info({ signal }, 'mail server stopping');
    clearInterval(keepAlive);
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
