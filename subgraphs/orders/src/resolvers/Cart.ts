import type { CartResolvers } from '../__generated__/resolvers-types.ts';

export const Cart: CartResolvers = {
  updatedAt: (cart) => cart.updatedAt?.toISOString() ?? null,
};
