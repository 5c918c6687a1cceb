import type { PlaceOrderResultResolvers } from '../__generated__/resolvers-types.ts';

export const PlaceOrderResult: PlaceOrderResultResolvers = {
  __resolveType: (result) => result.__typename,
};
