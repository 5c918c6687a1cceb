import type { ProductResolvers } from '../__generated__/resolvers-types.ts';
import { freshUntil, markPrivate } from '../cache-control.ts';
import { nextChangeAt } from '../live-sale/live-sale.rules.ts';
import { money } from './money.ts';

export const Product: ProductResolvers = {
  __resolveReference: async (ref, ctx, info) => {
    const product = await ctx.products.findProductByReference(ref.id);
    // Only a draft's owner (or an admin) gets it back: that answer is theirs alone.
    if (product?.status === 'DRAFT') markPrivate(info);
    return product;
  },
  price: (product) => money(product),
  seller: (product) => ({ __typename: 'User', id: product.sellerId }),
  variants: (product, _, ctx) => ctx.loaders.variantsByProductId.load(product.id),
  categories: async (product, _, ctx) => (await ctx.loaders.categoriesByProductId.load(product.id)).map((link) => link.category),
  images: (product, _, ctx) => ctx.loaders.imagesByProductId.load(product.id),
  liveSale: async (product, _, ctx, info) => {
    const link = await ctx.loaders.liveSaleByProductId.load(product.id);
    if (!link) return null;
    freshUntil(info, nextChangeAt(link.sale, ctx.now), ctx.now);
    return link.sale;
  },
  createdAt: (product) => product.createdAt.toISOString(),
  updatedAt: (product) => product.updatedAt.toISOString(),
  publishedAt: (product) => product.publishedAt?.toISOString() ?? null,
};
