import type { QueryResolvers } from '../__generated__/resolvers-types.ts';
import { markPrivate } from '../cache-control.ts';

export const Query: QueryResolvers = {
  products: (_, args, ctx, info) => {
    // Drafts and archived products are listed only to their seller or an admin.
    if (args.filter?.statuses?.some((status) => status !== 'PUBLISHED')) markPrivate(info);
    return ctx.products.listProducts(args);
  },
  product: async (_, args, ctx, info) => {
    const product = await ctx.products.findProduct(args.id);
    if (product && product.status !== 'PUBLISHED') markPrivate(info);
    return product;
  },
  categories: (_, args, ctx) => ctx.categories.listCategories(args.parentId),
  category: (_, args, ctx) => ctx.categories.findCategory(args),
  liveSales: (_, args, ctx) => ctx.liveSales.listLiveSales(args),
  liveSale: (_, args, ctx) => ctx.liveSales.findLiveSale(args.id),
  variantPrices: (_, args, ctx) => ctx.products.variantPrices(args.skus),
};
