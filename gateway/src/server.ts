import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  apolloHandler,
  createErrorFormatter,
  createHttpService,
  createCachedSigner,
  graphqlMetricsPlugin,
  createIdentitySigner,
  createKeyValueStore,
  RedisKeyValueStore,
  redisReady,
  createPubSub,
  operationLimitsPlugin,
  GATEWAY_SERVICE,
  type Logger,
  type RequestHandler,
} from '@shop/platform';
import type { IncomingMessage } from 'node:http';
import { ApqCache, createOperationPolicy, loadManifest } from './persisted-queries.ts';
import { parseTrustedProxies } from './client-address.ts';
import { createClientResolver, headerValue, type Client } from './client-identity.ts';
import { finalizeCacheHeaders } from './cache-headers.ts';
import { createPartnerDirectory } from './partners.ts';
import { createPurchaseAdmission } from './plugins/purchase-admission.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createAccessTokenVerifier, type AccessTokenVerifier } from './auth.ts';
import type { GatewayConfig } from './config.ts';
import { createContext, type GatewayContext } from './context.ts';
import { createGateway, SubgraphDataSource } from './gateway.ts';
import { createSubgraphBreakers } from './subgraph-client.ts';
import { createExplorerRoutes } from './explorer/explorer.handler.ts';
import { Metrics } from './metrics.ts';
import { SubscriptionPlanner } from './subscription-planner.ts';
import { createReadSharing } from './read-sharing.ts';
import { ResponseCache } from './response-cache.ts';
import { createSubscriptionAdmission } from './subscription-admission.ts';
import { createConnectionSlots } from './connection-slots.ts';
import { GraphQLError } from 'graphql';
import { createSubscriptionServer, type SubscriptionLimits } from './subscriptions.ts';
import type { ServiceMap } from '@apollo/gateway';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  /** Overrides the JWKS-backed verifier (tests). */
  verifier?: AccessTokenVerifier;
  subscriptionLimits?: Partial<SubscriptionLimits>;
}

/** Builds the gateway: supergraph executor, edge context, HTTP routes. Never listens. */
export async function createServer(deps: GatewayDeps) {
  const { config, logger } = deps;
  const manifest = loadManifest(config.persistedQueriesPath);
  const breakers = createSubgraphBreakers(config.circuitBreaker, logger);
  const { gateway, queryPlans, close: closeGateway } = createGateway({
    supergraphPath: config.supergraphPath,
    subgraphUrls: config.subgraphUrls,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    breakers,
    executor: config.executor,
    logger,
    warmOperations: () => manifest.byId.values(),
  });
  let loaded = false;
  // Subscriptions are planned and enriched outside @apollo/gateway (which
  // refuses them) from the same supergraph, rebuilt whenever it changes.
  let planner: SubscriptionPlanner | undefined;
  let services: ServiceMap = {};
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    loaded = true;
    try {
      planner = new SubscriptionPlanner(coreSupergraphSdl);
      services = Object.fromEntries(
        [...planner.subgraphUrls].map(([name, url]) => [name, new SubgraphDataSource(name, config.subgraphUrls[name] ?? url, config.subgraphTimeoutMs, breakers)]),
      );
    } catch (error) {
      logger.error({ err: error }, 'could not build the subscription planner');
    }
  });
  const metrics = new Metrics()
    .describe('gateway_subscription_upstreams_opened_total', 'Upstream subscriptions opened to subgraphs')
    .describe('gateway_subscription_enrichments_total', 'Subscription events enriched through the rest of the query plan')
    .describe('gateway_subscription_events_delivered_total', 'Subscription event frames written to clients')
    .describe('gateway_subscription_events_coalesced_total', 'Subscription events replaced by a newer one for the same entity before enrichment')
    .describe('gateway_subscription_slow_consumers_total', 'Clients disconnected for not reading their events')
    .describe('gateway_subscription_clients', 'Client subscriptions open')
    .describe('gateway_subscription_upstreams', 'Shared upstream subscriptions open')
    .describe('gateway_http_requests_total', 'GraphQL HTTP requests that reached the gateway');
  // Served on the metrics port by the kit (see platform/src/run-service.ts), never on the public one.
  const http = createHttpService({
    logger,
    readiness: [
      [
        'supergraph',
        async () => {
          if (!loaded) throw new Error('supergraph not loaded');
        },
      ],
    ],
  });
  const store = createKeyValueStore(config.redisUrl, 'gateway');
  // Its connection does not queue commands while it connects (it fails fast when Redis is down): wait for it
  // (at most 5 s, then start degraded) so that the first requests after a start do not fail on APQ or rate limits.
  if (store instanceof RedisKeyValueStore) await redisReady(store.redis);
  const policy = createOperationPolicy({ manifest, mode: config.operationMode, logger });
  const purchaseAdmission = createPurchaseAdmission(config.purchaseAdmission);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // APQ: registered documents live in Redis for a week, shared by every replica.
    persistedQueries: { cache: new ApqCache(store), ttl: 7 * 24 * 3600 },
    introspection: config.introspection,
    // main.ts owns SIGTERM; Apollo's own handler would race it.
    stopOnTerminationSignals: false,
    // Apollo's CSRF prevention lets a GET through only with a header a browser
    // cannot send cross-site without a CORS preflight. Partners' `x-api-key` is
    // such a header, so partner GETs need nothing else, while a plain
    // cross-site GET from a browser with cookies is still refused.
    csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'x-api-key'] },
    formatError: createErrorFormatter(logger, config.nodeEnv === 'production'),
    // Decided by our config, not by whatever NODE_ENV the process happens to have.
    includeStacktraceInErrorResponses: config.nodeEnv !== 'production',
    parseOptions: { maxTokens: config.operationLimits.maxTokens },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: http.server }),
      ApolloServerPluginLandingPageDisabled(),
      graphqlMetricsPlugin(),
      operationLimitsPlugin(config.operationLimits),
      purchaseAdmission.plugin,
    ],
  });
  await apollo.start();
  const verifier =
    deps.verifier ?? createAccessTokenVerifier({ jwksUrl: config.jwksUrl, issuer: config.jwtIssuer, audience: config.jwtAudience });
  const signer = config.identityPrivateKey ? createCachedSigner(await createIdentitySigner(config.identityPrivateKey, GATEWAY_SERVICE)) : undefined;
  if (!signer) logger.warn('INTERNAL_IDENTITY_PRIVATE_KEY is not set: subgraphs will see every caller as anonymous');
  const partners = createPartnerDirectory({
    accountsUrl: config.subgraphUrls.accounts ?? planner?.subgraphUrls.get('accounts') ?? 'http://localhost:4001/graphql',
    signer,
    logger,
  });
  const limiter = createRateLimiter({ store, limits: config.rateLimits, logger });
  const clients = createClientResolver({
    trustedProxies: parseTrustedProxies(config.trustedProxies),
    verifier,
    partners,
    limiter,
  });
  const subscriptionLimits = { ...config.subscriptions, ...deps.subscriptionLimits };
  const connectionSlots = createConnectionSlots({ store, logger, leaseMs: subscriptionLimits.connectionLeaseMs });
  const subscriptions = createSubscriptionServer({
    httpServer: http.server,
    path: '/graphql',
    logger,
    metrics,
    anonymousToken: async () => signer?.sign(null),
    admission: createSubscriptionAdmission({
      clients,
      policy,
      operationLimits: config.operationLimits,
      limits: subscriptionLimits,
      slots: connectionSlots,
      production: config.nodeEnv === 'production',
      schema: () => {
        if (!planner) throw new GraphQLError('The gateway has not loaded its supergraph yet.', { extensions: { code: 'SERVICE_UNAVAILABLE' } });
        return planner.apiSchema;
      },
    }),
    planner: () => planner,
    services: () => services,
    subgraphUrl: (name) => config.subgraphUrls[name],
    limits: subscriptionLimits,
  });
  const pubsub = config.responseCache ? createPubSub(config.redisUrl, 'gateway') : undefined;
  const share = createReadSharing({
    dedup: config.inflightDedup,
    cache: pubsub ? new ResponseCache({ store, pubsub, logger }) : undefined,
  });
  // The client admitted in `prepare`, for the context of the same request.
  const admitted = new WeakMap<IncomingMessage, Client>();
  const execute = apolloHandler(
    apollo,
    async ({ req }) => {
      const client = admitted.get(req);
      if (!client) throw new Error('request reached execution without being admitted');
      return createContext(req, client, signer);
    },
    {
      prepare: async (request, req) => {
        // At capacity, a purchase is refused before anything else is spent on it.
        const early = purchaseAdmission.refuseEarly(request.body);
        if (early) throw early;
        const client = await clients.admit(req, { authorization: headerValue(req.headers.authorization), apiKey: headerValue(req.headers['x-api-key']) });
        admitted.set(req, client);
        return policy(request, { partner: client.partner });
      },
      share,
      finalize: finalizeCacheHeaders,
    },
  );
  const graphql: RequestHandler = (req, res) => {
    metrics.inc('gateway_http_requests_total', { method: req.method ?? 'GET' });
    return execute(req, res);
  };
  // Browsers opening /graphql get the GraphiQL explorer (when enabled); every other request is GraphQL.
  const explorer = createExplorerRoutes(config, { logger });
  http.route('/graphql', explorer.graphql(graphql));
  for (const [path, handler] of Object.entries(explorer.routes)) http.route(path, handler);
  return {
    apollo,
    http,
    queryPlans,
    readiness: http.readiness,
    metrics,
    subscriptions,
    listen: (port: number, host?: string) => http.listen(port, host),
    async close() {
      await subscriptions.close();
      connectionSlots.close();
      await http.close();
      await apollo.stop();
      await closeGateway();
      await limiter.close();
      await pubsub?.close();
      await store.close();
    },
  };
}
