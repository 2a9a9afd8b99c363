import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { createUser, storeContext, webhookOutboxStore } from '@wildduck/store';
import { MemoryChangeBus, type ChangeBus } from '@wildduck/change-bus';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { WebhookOutbox, type WebhookTarget } from '@wildduck/webhooks';
import { MailOutboxSender } from '@wildduck/delivery';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiApp } from '../src/app.js';
import { startGraphQL } from '../src/graphql/server.js';
import type { ApiServices } from '../src/graphql/context.js';
import { SIGN_IN_LIMITS } from '../src/services.js';
import { userFileRoutes } from '../src/rest/user-routes.js';

/** The API (REST + GraphQL + graphql-ws) on a real store, on a free port, for one test file. */
export interface ApiHarness {
  store: TestDatabase;
  services: ApiServices;
  bus: ChangeBus;
  /** http://127.0.0.1:<port> */
  url: string;
  /** POST /graphql; answers the parsed GraphQL response. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<{ data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  /** Creates a user directly in the store; answers its id. */
  createUser(
    address: string,
    options?: { password?: string; role?: 'user' | 'admin'; quota?: number | null },
  ): Promise<string>;
  /** Signs in through GraphQL and answers the session token. */
  signIn(address: string, password?: string): Promise<string>;
  /** A graphql-ws client with this token (close it with `dispose()`). */
  wsClient(token: string | null): Client;
  close(): Promise<void>;
}

export const PASSWORD = 'secretpass';

export async function startApi(
  label: string,
  options: {
    apiToken?: string;
    bus?: ChangeBus;
    /** Webhook receivers: the API gets an outbox on the test database, its worker polling quickly. */
    webhookTargets?: WebhookTarget[];
    /** Also runs the filters' outbox sender (as a mail server on the same store would), polling quickly. */
    smarthost?: string;
  } = {},
): Promise<ApiHarness> {
  const store = await openTestDatabase(label);
  await applySchema(store.db);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const bus = options.bus ?? new MemoryChangeBus();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const webhooks = options.webhookTargets
    ? new WebhookOutbox({
        targets: options.webhookTargets,
        store: webhookOutboxStore(store.db),
        logger,
        retry: { initialDelayMs: 20 },
        pollIntervalMs: 20,
      }).start()
    : undefined;
  const services: ApiServices = {
    db: store.db,
    store: storeContext(store.db),
    bus,
    logger,
    apiToken: options.apiToken,
    publicUrl: url,
    signInLimiters: {
      user: new MemoryRateLimiter(SIGN_IN_LIMITS.perUser),
      address: new MemoryRateLimiter(SIGN_IN_LIMITS.perAddress),
    },
    ...(webhooks ? { webhooks } : {}),
    ...(options.smarthost ? { smarthost: options.smarthost } : {}),
    serverName: 'api.test.example',
  };
  const mailOutbox = options.smarthost
    ? new MailOutboxSender({
        deps: {
          ctx: services.store,
          bus,
          serverName: 'mx.test.example',
          smarthost: options.smarthost,
          logger,
        },
        pollIntervalMs: 50,
      }).start()
    : undefined;
  const graphql = await startGraphQL(services, server);
  server.on(
    'request',
    createApiApp({
      db: store.db,
      logger,
      apiToken: options.apiToken,
      store: services.store,
      graphql: graphql.handler,
      userRoutes: userFileRoutes(services),
    }),
  );
  const clients: Client[] = [];

  const harness: ApiHarness = {
    store,
    services,
    bus,
    url,
    async gql(query, variables = {}, token = null) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    async createUser(address, userOptions = {}) {
      const user = await createUser(store.db, {
        address,
        password: userOptions.password ?? PASSWORD,
        role: userOptions.role ?? 'user',
        quota: userOptions.quota ?? null,
      });
      return user._id.toHexString();
    },
    async signIn(address, password = PASSWORD) {
      const answer = await harness.gql<{ signIn: { token: string } }>(
        'mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { token } }',
        { u: address, p: password },
      );
      if (!answer.data?.signIn) throw new Error(`signIn failed: ${JSON.stringify(answer.errors)}`);
      return answer.data.signIn.token;
    },
    wsClient(token) {
      const client = createClient({
        url: `${url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
      await graphql.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await webhooks?.close();
      await mailOutbox?.close();
      await bus.close();
      await store.drop();
    },
  };
  return harness;
}
