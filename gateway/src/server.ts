import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  apolloHandler,
  createErrorFormatter,
  createHttpService,
  createIdentitySigner,
  type Logger,
} from '@shop/platform';
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
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
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
  http.route('/graphql', apolloHandler(apollo, ({ req }) => createContext(req, { verifier, signer })));
  return {
    apollo,
    http,
    listen: (port: number, host?: string) => http.listen(port, host),
    async close() {
      await http.close();
      await apollo.stop();
    },
  };
}
