import type { Context } from '../context.ts';
import type { Order as OrderEntity } from '../order/order.entity.ts';
import { money } from './money.ts';

export const Order = {
  __resolveReference: (ref: { id: string }, ctx: Context) => ctx.orders.findOrder(ctx.viewer, ref.id),
  placedAt: (order: OrderEntity) => order.placedAt.toISOString(),
  total: (order: OrderEntity) => money(order.totalAmount, order.currency),
  items: (order: OrderEntity, _: unknown, ctx: Context) => ctx.loaders.itemsByOrderId.load(order.id),
  customer: (order: OrderEntity) => ({ __typename: 'User', id: order.userId }),
};
