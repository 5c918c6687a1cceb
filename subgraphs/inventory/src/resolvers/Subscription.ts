import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';
import type { StockLevel } from '../stock/stock-level.ts';

export const Subscription: SubscriptionResolvers = {
  stockChanged: {
    subscribe: (_, args, ctx) => ctx.stock.streamLevels(args.skus),
    // Each event is the level itself (mercurius' default would look for a `stockChanged` key on it).
    resolve: (level: StockLevel) => level,
  },
};
