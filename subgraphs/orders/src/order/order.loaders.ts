import { createBatchLoader, createGroupLoader } from '@shop/platform';
import type { OrderPageRequest, OrderRepository } from './order.repository.ts';

export type OrderPageKey = Omit<OrderPageRequest, 'pageKey'>;

/**
 * Per-request loaders: one statement per entity type however many orders a
 * response holds. Pages are keyed by a string so that equal requests share a
 * result and distinct ones (several users in one `_entities` call) still go
 * out as one statement.
 */
export function createOrderLoaders(repository: OrderRepository) {
  const pages = createGroupLoader(
    (keys: readonly string[]) => repository.findPages(keys.map((pageKey) => ({ pageKey, ...(JSON.parse(pageKey) as OrderPageKey) }))),
    (row) => row.pageKey,
  );
  return {
    orderById: createBatchLoader((ids: readonly string[]) => repository.findByIds(ids), (order) => order.id),
    itemsByOrderId: createGroupLoader((ids: readonly string[]) => repository.findItemsByOrderIds(ids), (item) => item.order.id),
    /** Up to `limit` orders of one user after a keyset position, newest first. */
    loadOrdersPage: async (request: OrderPageKey) => {
      const rows = await pages.load(JSON.stringify({ userId: request.userId, limit: request.limit, after: request.after }));
      return rows.map((row) => row.order);
    },
  };
}
export type OrderLoaders = ReturnType<typeof createOrderLoaders>;
