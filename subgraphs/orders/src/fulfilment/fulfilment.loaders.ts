import { createBatchLoader } from '@shop/platform';
import type { FulfilmentRepository } from './fulfilment.repository.ts';

/** Per request: one statement for the shipments of every order in a response. */
export function createFulfilmentLoaders(repository: FulfilmentRepository) {
  return {
    fulfilmentByOrderId: createBatchLoader((ids: readonly string[]) => repository.findFulfilments(ids), (row) => row.orderId),
  };
}
export type FulfilmentLoaders = ReturnType<typeof createFulfilmentLoaders>;
