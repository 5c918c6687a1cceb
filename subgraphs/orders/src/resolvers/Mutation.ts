import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  placeOrder: (_, args, ctx) => ctx.checkout.placeOrder(ctx.viewer, args.input),
  cancelOrder: (_, args, ctx) => ctx.checkout.cancelOrder(ctx.viewer, args.id),
};
