import type { ProductResolvers } from '../__generated__/resolvers-types.ts';
import { isInStock } from '../stock/stock.service.ts';

// The parent is the gateway's representation of a product: its key plus the
// `@requires` fields (the `Product` mapper in codegen.ts).
export const Product: ProductResolvers = {
  // Inventory stores nothing per product: the reference is the whole object,
  // and inStock reads its variants' levels through the per-request loader.
  __resolveReference: (ref) => ref,
  inStock: async (product, _, ctx) => {
    if (!product.variants) throw new Error(`Product ${product.id} was resolved without its required variants { sku }`);
    return isInStock(await ctx.loaders.loadStockLevels(product.variants.map((v) => v.sku)));
  },
};
