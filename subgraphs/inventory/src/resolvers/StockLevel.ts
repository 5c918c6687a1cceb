import type { StockLevelResolvers } from '../__generated__/resolvers-types.ts';

export const StockLevel: StockLevelResolvers = {
  // The variant of a level is the level itself (see Variant.ts); the gateway
  // fetches the variant's catalogue fields from products by sku.
  variant: (level) => level,
};
