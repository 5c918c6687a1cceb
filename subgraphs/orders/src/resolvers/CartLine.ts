import type { CartLineResolvers } from '../__generated__/resolvers-types.ts';

export const CartLine: CartLineResolvers = {
  variant: (line) => ({ __typename: 'Variant', sku: line.sku }),
};
