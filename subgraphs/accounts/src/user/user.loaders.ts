import { createBatchLoader } from '@shop/platform';
import type { UserRepository } from './user.repository.ts';

/** Per-request loaders: one statement for all the users a request references. */
export function createUserLoaders(repository: UserRepository) {
  return {
    userById: createBatchLoader((ids: readonly string[]) => repository.findByIds(ids), (user) => user.id),
  };
}
export type UserLoaders = ReturnType<typeof createUserLoaders>;
