import type { Context } from '../context.ts';
import type { StockLevel } from '../stock/stock-level.ts';

// A Variant here is its stock level: inventory knows nothing else about a
// variant, and loading the level while resolving the reference lets all the
// variants of an `_entities` call share one read.
export const Variant = {
  __resolveReference: (ref: { sku: string }, _: unknown, ctx: Context) => ctx.loaders.loadStockLevel(ref.sku),
  stock: (level: StockLevel) => level,
};
