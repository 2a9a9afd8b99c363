import type { Server as HttpServer } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type RequestHandler } from 'express';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { parse, specifiedRules, validate, GraphQLError, type GraphQLFormattedError } from 'graphql';
import { buildSchema } from './build-schema.js';
import { SIGN_IN_CLIENT_HEADER, type ApiServices, type GraphQLContext } from './context.js';
import { bearerToken, resolveViewer } from '../auth/credentials.js';
import { costErrors, depthLimit } from './limits.js';

/** GraphQL over HTTP and over graphql-ws, both at /graphql. */
export interface GraphQLEndpoint {
  /** Mount at /graphql. */
  handler: RequestHandler;
  /** Stops subscriptions and the Apollo server. */
  stop(): Promise<void>;
}

/**
 * Starts Apollo Server for HTTP requests and a graphql-ws server on the same HTTP server and path
 * for subscriptions; both resolve the caller from the bearer token the same way.
 */
export async function startGraphQL(services: ApiServices, httpServer: HttpServer): Promise<GraphQLEndpoint> {
  const schema = buildSchema();
  // depth and cost limits (limits.ts), the same over HTTP and graphql-ws
  const validationRules = [depthLimit()];
  const sockets = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const subscriptions = useServer<Record<string, unknown>, { context?: GraphQLContext }>(
    {
      schema,
      onSubscribe: (_ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document, [...specifiedRules, ...validationRules]);
        if (errors.length) return errors;
        const refused = costErrors(schema, document, payload.operationName, payload.variables);
        if (refused.length) return refused;
        return {
          schema,
          document,
          ...(payload.operationName ? { operationName: payload.operationName } : {}),
          ...(payload.variables ? { variableValues: payload.variables } : {}),
        };
      },
      context: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const token = bearerToken(typeof raw === 'string' ? raw : null);
        return {
          ...services,
          viewer: await resolveViewer(services, token),
          token,
          remoteAddress: ctx.extra.request.socket.remoteAddress ?? '',
        } satisfies GraphQLContext;
      },
    },
    sockets,
  );

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    // stack traces never leave the server; unexpected errors are logged with the request
    includeStacktraceInErrorResponses: false,
    validationRules,
    formatError: (formatted: GraphQLFormattedError, error: unknown) => {
      const code = formatted.extensions?.code;
      if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
        services.logger.error({ err: error }, 'GraphQL resolver failed');
        return {
          message: 'Internal server error; it has been logged',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        };
      }
      return formatted;
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ document, request }) {
              const [refused] = costErrors(schema, document, request.operationName, request.variables);
              if (refused) {
                throw new GraphQLError(refused.message, {
                  ...(refused.nodes ? { nodes: refused.nodes } : {}),
                  extensions: { ...refused.extensions, http: { status: 400 } },
                });
              }
            },
          };
        },
      },
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await subscriptions.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  const router = express.Router();
  router.use(
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const token = bearerToken(req.get('authorization'));
        return {
          ...services,
          viewer: await resolveViewer(services, token),
          token,
          remoteAddress: req.socket.remoteAddress ?? '',
          signInClient: req.get(SIGN_IN_CLIENT_HEADER) === 'web' ? 'web' : 'api',
        } satisfies GraphQLContext;
      },
    }),
  );
  return {
    handler: router,
    async stop() {
      await apollo.stop();
      sockets.close();
    },
  };
}
