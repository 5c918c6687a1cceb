import type { GraphQLResolveInfo } from 'graphql';
import type { VariantResolvers } from '../__generated__/resolvers-types.ts';
import { freshUntil } from '../cache-control.ts';
import type { Context } from '../context.ts';
import { effectivePrice, nextChangeAt, type SalePrice } from '../live-sale/live-sale.rules.ts';
import type { Variant as VariantEntity } from '../product/product.entity.ts';
import { money, moneyOf } from './money.ts';

/** Loads the variant's sale price and keeps the response fresh only until that sale starts or ends. */
async function salePriceOf(variant: VariantEntity, ctx: Context, info: GraphQLResolveInfo): Promise<SalePrice | null> {
  const salePrice = await ctx.loaders.salePriceBySku.load(variant.sku);
  if (salePrice) freshUntil(info, nextChangeAt({ ...salePrice, cancelledAt: null }, ctx.now), ctx.now);
  return salePrice;
}

export const Variant: VariantResolvers = {
  __resolveReference: (ref, ctx) => ctx.products.findVariantByReference(ref.sku),
  price: (variant) => money(variant),
  salePrice: async (variant, _, ctx, info) => {
    const salePrice = await salePriceOf(variant, ctx, info);
    return salePrice ? moneyOf(salePrice.amount, variant.currency) : null;
  },
  effectivePrice: async (variant, _, ctx, info) =>
    moneyOf(effectivePrice(variant.priceAmount, await salePriceOf(variant, ctx, info), ctx.now).amount, variant.currency),
  product: async (variant, _, ctx) => {
    const product = await ctx.loaders.productById.load(variant.product.id);
    // variants.product_id is a foreign key, so this only fires if the database breaks that promise.
    if (!product) throw new Error(`Product ${variant.product.id} of variant ${variant.sku} does not exist.`);
    return product;
  },
};
