import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  createProduct: (_, args, ctx) => ctx.products.createProduct(args.input),
  updateProduct: (_, args, ctx) => ctx.products.updateProduct(args.id, args.input),
  publishProduct: (_, args, ctx) => ctx.products.publishProduct(args.id),
  archiveProduct: (_, args, ctx) => ctx.products.archiveProduct(args.id),
  addVariant: (_, args, ctx) => ctx.products.addVariant(args.productId, args.input),
  updateVariant: (_, args, ctx) => ctx.products.updateVariant(args.sku, args.input),
  createCategory: (_, args, ctx) => ctx.categories.createCategory(args.input),
  scheduleLiveSale: (_, args, ctx) => ctx.liveSales.scheduleLiveSale(args.input),
  cancelLiveSale: (_, args, ctx) => ctx.liveSales.cancelLiveSale(args.id),
};
