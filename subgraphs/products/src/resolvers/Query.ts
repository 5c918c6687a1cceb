import type { Context } from '../context.ts';
import type { ListProductsArgs } from '../product/product.service.ts';

export const Query = {
  products: (_: unknown, args: ListProductsArgs, ctx: Context) => ctx.products.listProducts(args),
  product: (_: unknown, args: { id: string }, ctx: Context) => ctx.loaders.productById.load(args.id),
};
