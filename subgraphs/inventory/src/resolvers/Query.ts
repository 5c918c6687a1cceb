import type { QueryResolvers } from '../__generated__/resolvers-types.ts';
import { checkSkuList } from '../stock/stock.service.ts';

export const Query: QueryResolvers = {
  stockLevels: (_, args, ctx) => ctx.loaders.loadStockLevels(checkSkuList(args.skus)),
};
