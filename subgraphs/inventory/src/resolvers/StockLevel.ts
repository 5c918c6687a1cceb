import type { StockLevel as StockLevelValue } from '../stock/stock-level.ts';

export const StockLevel = {
  // The variant of a level is the level itself (see Variant.ts); the gateway
  // fetches the variant's catalogue fields from products by sku.
  variant: (level: StockLevelValue) => level,
};
