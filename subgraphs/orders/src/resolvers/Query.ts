import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

export const Query: QueryResolvers = {
  order: (_, args, ctx) => ctx.orders.findOrder(ctx.viewer, args.id),
  ordersToFulfill: (_, args, ctx) => ctx.fulfilment.listToFulfil(ctx.viewer, args),
  webhooks: (_, __, ctx) => ctx.webhooks.list(ctx.viewer),
  webhook: (_, args, ctx) => ctx.webhooks.find(ctx.viewer, args.id),
};
