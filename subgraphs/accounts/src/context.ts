import type { IncomingMessage } from 'node:http';
import type { EntityManager, IdentityVerifier, MikroORM, Viewer } from '@shop/platform';
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
export interface Context {
  em: EntityManager;
  /** Who is calling, from the gateway-signed `x-viewer-token` only; null when anonymous. */
  viewer: Viewer | null;
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
  identity: IdentityVerifier;
  hasher: PasswordHasher;
  limiter: SignInLimiter;
  keyCache: SigningKeyCache;
  accessTokens: AccessTokenOptions;
  sessions: SessionOptions;
}

/**
 * The client's address as the gateway reports it in `x-forwarded-for`. Only
 * the last entry is taken: it is the one written by the hop that called us
 * (the gateway, which sets it to the address it saw); earlier entries could
 * come from the client itself. Without the header, the peer's address.
 */
export function clientIpFrom(req: IncomingMessage): string | undefined {
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((part) => part.trim()).filter(Boolean);
  return forwarded.at(-1) ?? req.socket.remoteAddress;
}

export async function createContext(runtime: ContextRuntime, req: IncomingMessage): Promise<Context> {
  const em = runtime.orm.em.fork();
  const repositories = createRepositories(em);
  const transaction = createTransaction(em);
  const userLoaders = createUserLoaders(repositories.users);
  const addressLoaders = createAddressLoaders(repositories.addresses);
  const viewer = await runtime.identity.viewerFrom(req.headers);
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
      clientIp: clientIpFrom(req),
    }),
    signingKeys: new SigningKeyService(repositories.signingKeys, runtime.keyCache, runtime.accessTokens),
    apiClients: new ApiClientService(repositories.apiClients),
  };
}
