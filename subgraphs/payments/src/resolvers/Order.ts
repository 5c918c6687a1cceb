import type { Context } from '../context.ts';

// No __resolveReference: this subgraph knows an order only by its id, so the
// representation the gateway sends is the whole object.
export const Order = {
  payment: (order: { id: string }, _: unknown, ctx: Context) => ctx.payments.findPaymentOfOrder(ctx.viewer, order.id),
};
