import type { MikroORM, RequestContext, RequestScope } from '@shop/platform';
import { createAddressLoaders, type AddressLoaders } from './address/address.loaders.ts';
import { AddressService } from './address/address.service.ts';
import { ApiClientService } from './api-client/api-client.service.ts';
import { AuthService } from './auth/auth.service.ts';
import type { SignInLimiter } from './auth/sign-in-limiter.ts';
import { createPrivateAccess } from './private-access.ts';
import { createRepositories, createTransaction } from './repositories.ts';
import type { SessionOptions } from './session/session.service.ts';
import { SigningKeyService, type AccessTokenOptions, type SigningKeyCache } from './signing-key/signing-key.service.ts';
import type { PasswordHasher } from './user/password.ts';
import { createUserLoaders, type UserLoaders } from './user/user.loaders.ts';
import { UserService } from './user/user.service.ts';

/** Everything a resolver may use, built fresh for each request. */
export interface Context extends RequestContext {
  loaders: UserLoaders & AddressLoaders;
  users: UserService;
  addresses: AddressService;
  auth: AuthService;
  signingKeys: SigningKeyService;
  apiClients: ApiClientService;
}

/** What lives as long as the server and is shared by its requests. */
export interface ContextRuntime {
  orm: MikroORM;
  hasher: PasswordHasher;
  limiter: SignInLimiter;
  keyCache: SigningKeyCache;
  accessTokens: AccessTokenOptions;
  sessions: SessionOptions;
}

export function createContext(runtime: ContextRuntime, request: RequestScope): Context {
  const em = runtime.orm.em.fork();
  const repositories = createRepositories(em);
  const transaction = createTransaction(em);
  const userLoaders = createUserLoaders(repositories.users);
  const addressLoaders = createAddressLoaders(repositories.addresses);
  // The caller and the client's address come from the gateway's signed token
  // only; an x-forwarded-for header from anyone is ignored.
  const { caller, viewer } = request;
  const access = createPrivateAccess(viewer);
  return {
    em,
    viewer,
    loaders: { ...userLoaders, ...addressLoaders },
    users: new UserService(repositories.users, userLoaders, access),
    addresses: new AddressService(addressLoaders, transaction, access),
    auth: new AuthService({
      repositories,
      transaction,
      hasher: runtime.hasher,
      limiter: runtime.limiter,
      keyCache: runtime.keyCache,
      accessTokens: runtime.accessTokens,
      sessions: runtime.sessions,
      access,
      // A caller without the gateway's token (only possible outside production) is limited by its own address.
      clientIp: caller?.clientAddress ?? request.remoteAddress,
    }),
    signingKeys: new SigningKeyService(repositories.signingKeys, runtime.keyCache, runtime.accessTokens),
    apiClients: new ApiClientService(repositories.apiClients),
  };
}
