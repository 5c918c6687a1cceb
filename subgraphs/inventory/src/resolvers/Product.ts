import type { Context } from '../context.ts';
import { isInStock } from '../stock/stock.service.ts';

/** A product as the gateway represents it: its key plus the `@requires` fields. */
interface ProductReference {
  id: string;
  variants?: { sku: string }[];
}

export const Product = {
  // Inventory stores nothing per product: the reference is the whole object,
  // and inStock reads its variants' levels through the per-request loader.
  __resolveReference: (ref: ProductReference) => ref,
  inStock: async (product: ProductReference, _: unknown, ctx: Context) => {
    if (!product.variants) throw new Error(`Product ${product.id} was resolved without its required variants { sku }`);
    return isInStock(await ctx.loaders.loadStockLevels(product.variants.map((v) => v.sku)));
  },
};
