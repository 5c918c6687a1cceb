import type { GraphQLResolveInfo } from 'graphql';
import { freshUntil, markPrivate } from '../cache-control.ts';
import type { Context } from '../context.ts';
import { nextChangeAt } from '../live-sale/live-sale.rules.ts';
import type { Product as ProductEntity } from '../product/product.entity.ts';
import { money } from './money.ts';

export const Product = {
  __resolveReference: async (ref: { id: string }, ctx: Context, info: GraphQLResolveInfo) => {
    const product = await ctx.products.findProductByReference(ref.id);
    // Only a draft's owner (or an admin) gets it back: that answer is theirs alone.
    if (product?.status === 'DRAFT') markPrivate(info);
    return product;
  },
  price: (product: ProductEntity) => money(product),
  seller: (product: ProductEntity) => ({ __typename: 'User', id: product.sellerId }),
  variants: (product: ProductEntity, _: unknown, ctx: Context) => ctx.loaders.variantsByProductId.load(product.id),
  categories: async (product: ProductEntity, _: unknown, ctx: Context) =>
    (await ctx.loaders.categoriesByProductId.load(product.id)).map((link) => link.category),
  images: (product: ProductEntity, _: unknown, ctx: Context) => ctx.loaders.imagesByProductId.load(product.id),
  liveSale: async (product: ProductEntity, _: unknown, ctx: Context, info: GraphQLResolveInfo) => {
    const link = await ctx.loaders.liveSaleByProductId.load(product.id);
    if (!link) return null;
    freshUntil(info, nextChangeAt(link.sale, ctx.now), ctx.now);
    return link.sale;
  },
  createdAt: (product: ProductEntity) => product.createdAt.toISOString(),
  updatedAt: (product: ProductEntity) => product.updatedAt.toISOString(),
  publishedAt: (product: ProductEntity) => product.publishedAt?.toISOString() ?? null,
};
