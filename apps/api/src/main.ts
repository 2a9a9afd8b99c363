import { createServer } from 'node:http';
import { loadConfig, databaseNameFor, ConfigError } from '@wildduck/config';
import { configurePasswordHashing, connectStore } from '@wildduck/store';
import { applySchema } from '@wildduck/schema';
import {
  countBusReconnects,
  createRegistry,
  httpMetrics,
  mongoCheck,
  redisCheck,
  schemaCheck,
} from '@wildduck/observability';
import { createApiApp } from './app.js';
import { createApiLogger } from './logger.js';
import { startGraphQL } from './graphql/server.js';
import { openApiServices } from './services.js';
import { userFileRoutes } from './rest/user-routes.js';

/** Starts the API process: configuration, store, schema, HTTP listener; stops cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createApiLogger(config.logLevel);
  configurePasswordHashing(config.passwordHash);
  if (!config.mongodb.uri) {
    throw new ConfigError(
      'Invalid configuration: MONGODB_URI is not set (run `npm start`, which starts the embedded store, or point it at MongoDB).',
    );
  }
  const store = await connectStore(config.mongodb.uri, databaseNameFor(config));
  await applySchema(store.db);
  const registry = createRegistry('api');
  const services = openApiServices(config, store.db, logger, registry);
  const server = createServer();
  const graphql = await startGraphQL(services, server);
  countBusReconnects(registry, services.bus);
  const redis = redisCheck(config.redis.url);
  let draining = false;
  server.on(
    'request',
    createApiApp({
      db: store.db,
      logger,
      apiToken: config.api.token,
      store: services.store,
      bus: services.bus,
      graphql: graphql.handler,
      userRoutes: userFileRoutes(services),
      health: {
        readiness: [mongoCheck(store.db), redis, schemaCheck(store.db)],
        registry,
        draining: () => draining,
        http: httpMetrics(registry),
      },
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.api.port, config.bindHost, resolve);
  });
  logger.info(
    { host: config.bindHost, port: config.api.port },
    `API listening on http://${config.bindHost}:${config.api.port}`,
  );

  const stop = async (signal: string) => {
    logger.info({ signal }, 'API stopping');
    draining = true;
    server.closeIdleConnections();
    await graphql.stop();
    await new Promise((resolve) => server.close(resolve));
    await services.close();
    await redis.close();
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
