import type { EntityManager } from '@shop/platform';
import { AddressRepository } from './address/address.repository.ts';
import { ApiClientRepository } from './api-client/api-client.repository.ts';
import { RefreshTokenRepository } from './session/refresh-token.repository.ts';
import { SigningKeyRepository } from './signing-key/signing-key.repository.ts';
import { UserRepository } from './user/user.repository.ts';

/** Every repository of the service over one EntityManager (a request's fork, or a transaction's). */
export function createRepositories(em: EntityManager) {
  return {
    users: new UserRepository(em),
    addresses: new AddressRepository(em),
    refreshTokens: new RefreshTokenRepository(em),
    signingKeys: new SigningKeyRepository(em),
    apiClients: new ApiClientRepository(em),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;

/** Runs `work` in one database transaction, with repositories bound to it; commits when it resolves, rolls back when it throws. */
export type Transaction = <T>(work: (repositories: Repositories) => Promise<T>) => Promise<T>;

export function createTransaction(em: EntityManager): Transaction {
  return (work) => em.transactional((tx) => work(createRepositories(tx)));
}
