import type { OrderResolvers } from '../__generated__/resolvers-types.ts';

// No __resolveReference: this subgraph knows an order only by its id, so the
// representation the gateway sends is the whole object.
export const Order: OrderResolvers = {
  payment: (order, _, ctx) => ctx.payments.findPaymentOfOrder(ctx.viewer, order.id),
};
