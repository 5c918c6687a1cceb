import type { Context } from '../context.ts';
import { checkSkuList } from '../stock/stock.service.ts';

export const Query = {
  stockLevels: (_: unknown, args: { skus: string[] }, ctx: Context) => ctx.loaders.loadStockLevels(checkSkuList(args.skus)),
};
