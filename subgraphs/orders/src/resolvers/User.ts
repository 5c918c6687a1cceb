import type { Context } from '../context.ts';
import type { ListOrdersArgs } from '../order/order.service.ts';

// No __resolveReference: this subgraph stores nothing about a user beyond the
// id, so the representation the gateway sends is the whole object.
export const User = {
  orders: (user: { id: string }, args: ListOrdersArgs, ctx: Context) => ctx.orders.listOrdersOfUser(ctx.viewer, user.id, args),
};
