import type { UserResolvers } from '../__generated__/resolvers-types.ts';

// No __resolveReference: this subgraph stores nothing about a user beyond the
// id, so the representation the gateway sends is the whole object.
export const User: UserResolvers = {
  orders: (user, args, ctx) => ctx.orders.listOrdersOfUser(ctx.viewer, user.id, args),
  cart: (user, _, ctx) => ctx.cart.getCart(ctx.viewer, user.id),
};
