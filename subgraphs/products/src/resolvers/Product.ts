import type { Context } from '../context.ts';
import type { Product as ProductEntity } from '../product/product.entity.ts';
import { money } from './money.ts';

export const Product = {
  __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.productById.load(ref.id),
  price: (product: ProductEntity) => money(product),
  seller: (product: ProductEntity) => ({ __typename: 'User', id: product.sellerId }),
  variants: (product: ProductEntity, _: unknown, ctx: Context) => ctx.loaders.variantsByProductId.load(product.id),
  createdAt: (product: ProductEntity) => product.createdAt.toISOString(),
};
