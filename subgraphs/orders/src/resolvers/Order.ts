import type { OrderResolvers } from '../__generated__/resolvers-types.ts';
import { money } from './money.ts';

export const Order: OrderResolvers = {
  __resolveReference: (ref, ctx) => ctx.orders.findOrder(ctx.viewer, ref.id),
  placedAt: (order) => order.placedAt.toISOString(),
  total: (order) => money(order.totalAmount, order.currency),
  items: (order, _, ctx) => ctx.loaders.itemsByOrderId.load(order.id),
  customer: (order) => ({ __typename: 'User', id: order.userId }),
};
