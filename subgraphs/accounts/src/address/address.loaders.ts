import { createGroupLoader } from '@shop/platform';
import type { AddressRepository } from './address.repository.ts';

/** Per-request loaders: the address books of every user in a response cost one statement. */
export function createAddressLoaders(repository: AddressRepository) {
  return {
    addressesByUserId: createGroupLoader((userIds: readonly string[]) => repository.findByUserIds(userIds), (address) => address.userId),
  };
}
export type AddressLoaders = ReturnType<typeof createAddressLoaders>;
