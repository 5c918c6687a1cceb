import { createGroupLoader } from '@shop/platform';
import type { RefundRepository } from './refund.repository.ts';

/** Per request: one statement for the refunds of every order in a response. */
export function createRefundLoaders(repository: RefundRepository) {
  return {
    refundsByOrderId: createGroupLoader((ids: readonly string[]) => repository.findOfOrders(ids), (row) => row.orderId),
  };
}
export type RefundLoaders = ReturnType<typeof createRefundLoaders>;
