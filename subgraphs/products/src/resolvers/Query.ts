import type { GraphQLResolveInfo } from 'graphql';
import { markPrivate } from '../cache-control.ts';
import type { Context } from '../context.ts';
import type { ListLiveSalesArgs } from '../live-sale/live-sale-list.ts';
import type { ListProductsArgs } from '../product/product-list.ts';

export const Query = {
  products: (_: unknown, args: ListProductsArgs, ctx: Context, info: GraphQLResolveInfo) => {
    // Drafts and archived products are listed only to their seller or an admin.
    if (args.filter?.statuses?.some((status) => status !== 'PUBLISHED')) markPrivate(info);
    return ctx.products.listProducts(args);
  },
  product: async (_: unknown, args: { id: string }, ctx: Context, info: GraphQLResolveInfo) => {
    const product = await ctx.products.findProduct(args.id);
    if (product && product.status !== 'PUBLISHED') markPrivate(info);
    return product;
  },
  categories: (_: unknown, args: { parentId?: string | null }, ctx: Context) => ctx.categories.listCategories(args.parentId),
  category: (_: unknown, args: { id?: string | null; slug?: string | null }, ctx: Context) => ctx.categories.findCategory(args),
  liveSales: (_: unknown, args: ListLiveSalesArgs, ctx: Context) => ctx.liveSales.listLiveSales(args),
  liveSale: (_: unknown, args: { id: string }, ctx: Context) => ctx.liveSales.findLiveSale(args.id),
  variantPrices: (_: unknown, args: { skus: string[] }, ctx: Context) => ctx.products.variantPrices(args.skus),
};
