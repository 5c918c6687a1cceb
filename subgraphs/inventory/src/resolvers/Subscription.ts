import type { Context } from '../context.ts';
import type { StockLevel } from '../stock/stock-level.ts';

export const Subscription = {
  stockChanged: {
    subscribe: (_: unknown, args: { skus: string[] }, ctx: Context) => ctx.stock.streamLevels(args.skus),
    // Each event is the level itself (mercurius' default would look for a `stockChanged` key on it).
    resolve: (level: StockLevel) => level,
  },
};
