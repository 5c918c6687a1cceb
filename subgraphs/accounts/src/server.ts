import { createSubgraphService, readSchemaFile, serviceDatabase, type KeyValueStore, type SubgraphDeps } from '@shop/platform';
import type { Resolvers } from './__generated__/resolvers-types.ts';
import { Address as AddressEntity } from './address/address.entity.ts';
import { ApiClient as ApiClientEntity } from './api-client/api-client.entity.ts';
import { SignInLimiter } from './auth/sign-in-limiter.ts';
import { DEFAULT_SETTINGS, type AccountsSettings } from './config.ts';
import { createContext, type Context, type ContextRuntime } from './context.ts';
import { migrations } from './migrations/index.ts';
import { ApiClient } from './resolvers/ApiClient.ts';
import { AuthPayload } from './resolvers/AuthPayload.ts';
import { Mutation } from './resolvers/Mutation.ts';
import { Query } from './resolvers/Query.ts';
import { SigningKey } from './resolvers/SigningKey.ts';
import { User } from './resolvers/User.ts';
import { RefreshToken as RefreshTokenEntity } from './session/refresh-token.entity.ts';
import { createJwksHandler, JWKS_PATH } from './signing-key/jwks.handler.ts';
import { SigningKey as SigningKeyEntity } from './signing-key/signing-key.entity.ts';
import { SigningKeyRepository } from './signing-key/signing-key.repository.ts';
import { SigningKeyService } from './signing-key/signing-key.service.ts';
import { createPasswordHasher, type PasswordHasher } from './user/password.ts';
import { User as UserEntity } from './user/user.entity.ts';

export const typeDefs = readSchemaFile(new URL('./schema.graphql', import.meta.url));
export const resolvers: Resolvers = { Query, Mutation, User, AuthPayload, SigningKey, ApiClient };
export const entities = [UserEntity, AddressEntity, RefreshTokenEntity, SigningKeyEntity, ApiClientEntity];

export interface AccountsDeps extends SubgraphDeps {
  /** Sign-in rate-limit counters (Redis, or the in-process stand-in). */
  store: KeyValueStore;
  /** Defaults are production values; tests lower the hash cost and the limits. */
  settings?: Partial<AccountsSettings>;
  /** Overrides the hasher built from `settings.passwordHashCost` (tests use a cheaper cost than config allows). */
  hasher?: PasswordHasher;
}

/** Builds the accounts subgraph (schema, resolvers, per-request context, JWKS and health routes); never listens. */
export async function createServer(deps: AccountsDeps) {
  const settings = { ...DEFAULT_SETTINGS, ...deps.settings };
  const runtime: ContextRuntime = {
    orm: deps.orm,
    hasher: deps.hasher ?? createPasswordHasher(settings.passwordHashCost),
    limiter: new SignInLimiter(deps.store, {
      maxFailuresPerAccount: settings.signInMaxFailuresPerAccount,
      maxAttemptsPerIp: settings.signInMaxAttemptsPerIp,
      windowSeconds: settings.signInWindowSeconds,
    }),
    keyCache: new Map(),
    accessTokens: { issuer: settings.jwtIssuer, audience: settings.jwtAudience, ttlSeconds: settings.accessTokenTtlSeconds },
    sessions: { refreshTokenTtlDays: settings.refreshTokenTtlDays },
  };
  // The first start creates the first signing key, so the JWKS is never empty once the service is up.
  await new SigningKeyService(new SigningKeyRepository(deps.orm.em.fork()), runtime.keyCache, runtime.accessTokens).ensureSigningKey();

  return createSubgraphService<Context>({
    typeDefs,
    resolvers,
    deps,
    readiness: [['redis', () => deps.store.ping()]],
    context: (request) => createContext(runtime, request),
    routes: { [JWKS_PATH]: createJwksHandler(deps.orm, runtime.keyCache, runtime.accessTokens) },
  });
}

/** The accounts service's ORM over its own schema, with its migrations registered. */
export const openDatabase = serviceDatabase(entities, migrations);
