import { createBatchLoader } from '@shop/platform';
import type { PaymentRepository } from './payment.repository.ts';

/** Per-request loaders: one statement per key type however many payments a response holds. */
export function createPaymentLoaders(repository: PaymentRepository) {
  return {
    paymentById: createBatchLoader((ids: readonly string[]) => repository.findByIds(ids), (payment) => payment.id),
    paymentByOrderId: createBatchLoader((orderIds: readonly string[]) => repository.findByOrderIds(orderIds), (payment) => payment.orderId),
  };
}
export type PaymentLoaders = ReturnType<typeof createPaymentLoaders>;
