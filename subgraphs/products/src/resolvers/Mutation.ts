import type { CreateCategoryInput } from '../category/category.service.ts';
import type { Context } from '../context.ts';
import type { ScheduleLiveSaleInput } from '../live-sale/live-sale.rules.ts';
import type { CreateProductInput, UpdateProductInput, UpdateVariantInput, VariantInput } from '../product/product.input.ts';

export const Mutation = {
  createProduct: (_: unknown, args: { input: CreateProductInput }, ctx: Context) => ctx.products.createProduct(args.input),
  updateProduct: (_: unknown, args: { id: string; input: UpdateProductInput }, ctx: Context) => ctx.products.updateProduct(args.id, args.input),
  publishProduct: (_: unknown, args: { id: string }, ctx: Context) => ctx.products.publishProduct(args.id),
  archiveProduct: (_: unknown, args: { id: string }, ctx: Context) => ctx.products.archiveProduct(args.id),
  addVariant: (_: unknown, args: { productId: string; input: VariantInput }, ctx: Context) => ctx.products.addVariant(args.productId, args.input),
  updateVariant: (_: unknown, args: { sku: string; input: UpdateVariantInput }, ctx: Context) => ctx.products.updateVariant(args.sku, args.input),
  createCategory: (_: unknown, args: { input: CreateCategoryInput }, ctx: Context) => ctx.categories.createCategory(args.input),
  scheduleLiveSale: (_: unknown, args: { input: ScheduleLiveSaleInput }, ctx: Context) => ctx.liveSales.scheduleLiveSale(args.input),
  cancelLiveSale: (_: unknown, args: { id: string }, ctx: Context) => ctx.liveSales.cancelLiveSale(args.id),
};
