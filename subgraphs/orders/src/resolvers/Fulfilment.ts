import type { FulfilmentResolvers } from '../__generated__/resolvers-types.ts';

export const Fulfilment: FulfilmentResolvers = {
  fulfilledAt: (row) => row.fulfilledAt.toISOString(),
};
