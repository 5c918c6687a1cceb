import type { GraphQLResolveInfo } from 'graphql';
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

export const Variant = {
  __resolveReference: (ref: { sku: string }, ctx: Context) => ctx.products.findVariantByReference(ref.sku),
  price: (variant: VariantEntity) => money(variant),
  salePrice: async (variant: VariantEntity, _: unknown, ctx: Context, info: GraphQLResolveInfo) => {
    const salePrice = await salePriceOf(variant, ctx, info);
    return salePrice ? moneyOf(salePrice.amount, variant.currency) : null;
  },
  effectivePrice: async (variant: VariantEntity, _: unknown, ctx: Context, info: GraphQLResolveInfo) =>
    moneyOf(effectivePrice(variant.priceAmount, await salePriceOf(variant, ctx, info), ctx.now).amount, variant.currency),
  product: (variant: VariantEntity, _: unknown, ctx: Context) => ctx.loaders.productById.load(variant.product.id),
};
