import type { OrderResolvers } from '../__generated__/resolvers-types.ts';
import { hasRole } from '@shop/platform';
import { authorizedPaymentOf } from '../checkout/checkout-outcome.ts';
import { money } from './money.ts';

export const Order: OrderResolvers = {
  __resolveReference: (ref, ctx) => ctx.orders.findOrder(ctx.viewer, ref.id),
  placedAt: (order) => order.placedAt.toISOString(),
  total: (order) => money(order.totalAmount, order.currency),
  items: (order, _, ctx) => ctx.loaders.itemsByOrderId.load(order.id),
  customer: (order) => ({ __typename: 'User', id: order.userId }),
  fulfilment: (order, _, ctx) => ctx.fulfilmentLoaders.fulfilmentByOrderId.load(order.id),
  refunded: async (order, _, ctx) => {
    const refunds = await ctx.refundLoaders.refundsByOrderId.load(order.id);
    return money(refunds.reduce((sum, r) => sum + (r.status === 'SUCCEEDED' ? r.amount : 0), 0), order.currency);
  },
  refunds: async (order, _, ctx) => (hasRole(ctx.viewer, 'ADMIN') ? ctx.refundLoaders.refundsByOrderId.load(order.id) : []),
  // Asked of orders only in the checkout's answer (`OrderPlaced.order @provides`): the order was read for its own
  // customer there. Just placed, the payment is known to be AUTHORIZED; otherwise payments tells.
  payment: (order, _, ctx) => authorizedPaymentOf(order) ?? ctx.payments.paymentOfOrder(order.id),
};
