import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Db } from 'mongodb';
import { storeContext, type StoreContext } from '@wildduck/store';
import { MemoryChangeBus, type ChangeBus } from '@wildduck/change-bus';
import {
  livenessAnswer,
  metricsAnswer,
  readinessAnswer,
  type HealthAnswer,
  type HealthOptions,
  type HttpMetrics,
} from '@wildduck/observability';
import { ApiError, errorBody } from './rest/api-error.js';
import { requireApiAccess } from './rest/access.js';
import { userRoutes } from './rest/users.js';
import { messageRoutes } from './rest/messages.js';
import { adminUserRoutes } from './rest/admin-users.js';

/** What the HTTP application needs from the process that runs it. */
export interface ApiAppOptions {
  db: Db;
  logger: Logger;
  apiToken: string | undefined;
  /** The store with the process's locks (admin deletes and updates); default: in-process locks on `db`. */
  store?: StoreContext;
  /** Where an admin's deletion of a user is announced (so open sessions end); default: this process only. */
  bus?: ChangeBus;
  /** The GraphQL endpoint (HTTP part), mounted at /graphql with its own authentication. */
  graphql?: RequestHandler;
  /** More routes with their own authentication (user uploads and downloads), before the REST guard. */
  userRoutes?: RequestHandler;
  /**
   * What /readyz checks (MongoDB, Redis, schema), the registry /metrics serves, and whether the
   * process is draining (/healthz and /readyz then answer 503). Without it /readyz answers like
   * /healthz and /metrics is not served.
   */
  health?: HealthOptions & { http?: HttpMetrics };
}

/** Largest JSON body we read: a user record is far smaller. */
const MAX_JSON_BODY = '64kb';

/** Builds the express application: health, the REST calls, and JSON errors for everything else. */
export function createApiApp(options: ApiAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
    }),
  );
  const http = options.health?.http;
  if (http)
    app.use((req, res, next) => {
      const started = performance.now();
      res.once('finish', () =>
        http.observe(req.method, res.statusCode, (performance.now() - started) / 1000),
      );
      next();
    });
  app.get('/healthz', (_req, res) => {
    send(res, livenessAnswer(options.health ?? {}));
  });
  // no token needed: balancers and orchestrators probe it
  app.get('/readyz', (_req, res, next) => {
    readinessAnswer(options.health ?? { readiness: [] })
      .then((answer) => send(res, answer))
      .catch(next);
  });
  if (options.graphql) app.use('/graphql', options.graphql);
  if (options.userRoutes) app.use(options.userRoutes);
  // every body is read as JSON whatever its content type: `curl -d` sends form encoding by default
  app.use(express.json({ type: () => true, limit: MAX_JSON_BODY, strict: false }));
  app.use(requireApiAccess(options.apiToken));
  const registry = options.health?.registry;
  // behind the API token (or loopback only without one), as it says how busy the platform is
  if (registry)
    app.get('/metrics', (_req, res, next) => {
      metricsAnswer(registry)
        .then((answer) => send(res, answer))
        .catch(next);
    });
  app.use(userRoutes(options.db));
  app.use(
    adminUserRoutes({
      ctx: options.store ?? storeContext(options.db),
      bus: options.bus ?? new MemoryChangeBus(),
    }),
  );
  app.use(messageRoutes(options.db));
  app.use((req, _res, next) =>
    next(new ApiError(404, 'NOT_FOUND', `No such API call: ${req.method} ${req.path}`)),
  );
  app.use(errorHandler);
  return app;
}

function send(res: express.Response, answer: HealthAnswer): void {
  res.status(answer.status).type(answer.contentType).set('cache-control', 'no-store').send(answer.body);
}

const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const answer = toApiError(error);
  if (answer.status >= 500) req.log.error({ err: error }, 'request failed');
  // a streamed answer that failed half-way can only be cut, so the client sees it is incomplete
  if (res.headersSent) return void res.destroy();
  res.status(answer.status).json(errorBody(answer));
};

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const type = (error as { type?: string }).type;
  if (type === 'entity.parse.failed')
    return new ApiError(400, 'INVALID_JSON', 'The request body is not valid JSON');
  if (type === 'entity.too.large')
    return new ApiError(413, 'BODY_TOO_LARGE', `The request body is larger than ${MAX_JSON_BODY}`);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new ApiError(415, 'UNSUPPORTED_ENCODING', 'The request body must be UTF-8 JSON');
  }
  return new ApiError(500, 'INTERNAL_ERROR', 'The server failed to handle this request; it has been logged');
}
