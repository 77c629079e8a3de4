/**
 * The HTTP server: Yoga for GraphQL (GraphiQL, POST/GET, SSE subscriptions), graphql-ws on the same path
 * and port, and the JSON routes beside them. `stop()` drains in-flight work before closing the database.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { schema } from '../schema/index.js';
import type { GraphQLContext } from '../schema/context.js';
import { createLoaders } from '../schema/loaders.js';
import type { Principal } from './auth/roles.js';
import { handleAnalyze } from './http/analyze.js';
import { authenticateHeader, authorizationFromConnectionParams, unauthenticatedError } from './http/auth.js';
import { handleHealth } from './http/health.js';
import { sendJson } from './http/json.js';
import { enforceBodyLimit, queryLimitPlugins } from './http/request-limits.js';
import { useSharedSubscriptions } from './http/shared-subscriptions.js';
import type { Services } from './services.js';

export const GRAPHQL_PATH = '/graphql';

type ServerContext = { req?: IncomingMessage; res?: ServerResponse; principal?: Principal };

const GRAPHIQL_QUERY = `# Add your key under Headers: {"Authorization": "Bearer <token>"}
query RecentAlerts {
  viewer { name role }
  alerts(first: 10) {
    edges { node { id status format message iocs { role ioc { type value } } } }
  }
}
`;

export interface App {
  yoga: YogaServerInstance<ServerContext, GraphQLContext>;
  server: Server;
  /** Listens on `port` (0 for any) and `host`; resolves with the bound port. */
  start(port: number, host: string): Promise<number>;
  stop(): Promise<void>;
}

export function buildApp(services: Services): App {
  const startedAt = Date.now();
  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: { title: 'Vigil', defaultQuery: GRAPHIQL_QUERY },
    logging: services.logger,
    plugins: [...queryLimitPlugins(), useSharedSubscriptions()],
    // Loaders are made here, per request (and per graphql-ws operation), never shared between them.
    context: ({ request, principal }) => {
      if (principal) return { principal, services, loaders: createLoaders(services.batchQueries) };
      const auth = authenticateHeader(services.apiKeys, request.headers.get('authorization'));
      if (!auth.ok) throw unauthenticatedError();
      return { principal: auth.principal, services, loaders: createLoaders(services.batchQueries) };
    },
  });

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return handleHealth(res, services, startedAt);
    if (path === '/api/analyze') {
      return void handleAnalyze(req, res, services).catch((error: unknown) => {
        services.logger.error({ err: error }, 'POST /api/analyze failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.end();
      });
    }
    if (path === GRAPHQL_PATH) {
      if (enforceBodyLimit(req, res, services.config.maxRequestBytes)) void yoga.handle(req, res);
      return;
    }
    sendJson(res, 404, { error: `no route ${path}; GraphQL is at ${GRAPHQL_PATH}` });
  });

  const wsServer = new WebSocketServer({ server, path: GRAPHQL_PATH, maxPayload: services.config.maxRequestBytes });
  const wsPrincipals = new WeakMap<object, Principal>();
  const wsDisposable = useServer(
    {
      onConnect: (ctx) => {
        const auth = authenticateHeader(services.apiKeys, authorizationFromConnectionParams(ctx.connectionParams));
        if (!auth.ok) return false; // graphql-ws closes with 4403 Forbidden
        wsPrincipals.set(ctx.extra.socket, auth.principal);
        return true;
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const principal = wsPrincipals.get(ctx.extra.socket);
        if (!principal) return [unauthenticatedError()];
        const enveloped = yoga.getEnveloped({ req: ctx.extra.request, principal, params } as ServerContext);
        const document = enveloped.parse(params.query);
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        return {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
    },
    wsServer,
  );

  let stopping: Promise<void> | undefined;

  return {
    yoga,
    server,
    start: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          services.enrichment.startFeeds();
          const resumed = services.pipeline.start();
          if (resumed > 0) services.logger.info({ resumed }, 'resuming unfinished pipeline jobs');
          services.notifications.deliverer.start();
          services.actions.start();
          const resumedRuns = services.runs.start();
          if (resumedRuns > 0) services.logger.info({ resumedRuns }, 'resuming unfinished playbook runs');
          resolve((server.address() as AddressInfo).port);
        });
      }),
    stop: () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        for (const client of wsServer.clients) client.close(1001, 'server shutting down');
        await wsDisposable.dispose();
        services.enrichment.stop();
        await services.notifications.deliverer.close();
        const drained = await services.pipeline.close(services.config.shutdownTimeoutMs);
        if (!drained) services.logger.warn('shutdown timeout: unfinished jobs stay pending and resume at the next start');
        // Long-lived SSE streams would hold server.close() open forever.
        server.closeAllConnections();
        await closed;
        await new Promise<void>((resolve) => wsServer.close(() => resolve()));
        // Steps in flight record their outcome; past the shutdown timeout they stay RUNNING and resume at the next start.
        await services.runs.close(services.config.shutdownTimeoutMs);
        // Last before the database: executions in flight (bounded by the executor timeout) record their outcome.
        await services.actions.close();
        services.database.close();
      })()),
  };
}

type EnvelopedRoot = { execute: (args: unknown) => never; subscribe: (args: unknown) => never };
