import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  apolloHandler,
  createErrorFormatter,
  createHttpService,
  createIdentitySigner,
  createKeyValueStore,
  type Logger,
} from '@shop/platform';
import { ApqCache, createOperationPolicy, loadManifest } from './persisted-queries.ts';
import { createAccessTokenVerifier, type AccessTokenVerifier } from './auth.ts';
import type { GatewayConfig } from './config.ts';
import { createContext, type GatewayContext } from './context.ts';
import { createGateway } from './gateway.ts';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  /** Overrides the JWKS-backed verifier (tests). */
  verifier?: AccessTokenVerifier;
}

/** Builds the gateway: supergraph executor, edge context, HTTP routes. Never listens. */
export async function createServer(deps: GatewayDeps) {
  const { config, logger } = deps;
  const gateway = createGateway({
    supergraphPath: config.supergraphPath,
    subgraphUrls: config.subgraphUrls,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    logger,
  });
  let loaded = false;
  gateway.onSchemaLoadOrUpdate(() => {
    loaded = true;
  });
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
  const policy = createOperationPolicy({ manifest: loadManifest(config.persistedQueriesPath), mode: config.operationMode, logger });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // APQ: registered documents live in Redis for a week, shared by every replica.
    persistedQueries: { cache: new ApqCache(store), ttl: 7 * 24 * 3600 },
    introspection: config.introspection,
    csrfPrevention: true,
    formatError: createErrorFormatter(logger, config.nodeEnv === 'production'),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer: http.server }), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  const verifier =
    deps.verifier ?? createAccessTokenVerifier({ jwksUrl: config.jwksUrl, issuer: config.jwtIssuer, audience: config.jwtAudience });
  const signer = config.identityPrivateKey ? await createIdentitySigner(config.identityPrivateKey) : undefined;
  if (!signer) logger.warn('INTERNAL_IDENTITY_PRIVATE_KEY is not set: subgraphs will see every caller as anonymous');
  http.route('/graphql', apolloHandler(apollo, ({ req }) => createContext(req, { verifier, signer }), { prepare: (request) => policy(request, {}) }));
  return {
    apollo,
    http,
    listen: (port: number, host?: string) => http.listen(port, host),
    async close() {
      await http.close();
      await apollo.stop();
      await store.close();
    },
  };
}
