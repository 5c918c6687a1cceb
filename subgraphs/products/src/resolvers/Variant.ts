import type { Context } from '../context.ts';
import type { Variant as VariantEntity } from '../product/product.entity.ts';
import { money } from './money.ts';

export const Variant = {
  __resolveReference: (ref: { sku: string }, ctx: Context) => ctx.loaders.variantBySku.load(ref.sku),
  price: (variant: VariantEntity) => money(variant),
  product: (variant: VariantEntity, _: unknown, ctx: Context) => ctx.loaders.productById.load(variant.product.id),
};
