import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  createPaymentToken: (_, args, ctx) => ctx.tokens.createToken(ctx.viewer, args.card),
  authorizePayment: (_, args, ctx) => ctx.payments.authorize(ctx.viewer, args),
  capturePayment: (_, args, ctx) => ctx.payments.capture(ctx.viewer, args.orderId),
  voidPayment: (_, args, ctx) => ctx.payments.void(ctx.viewer, args.orderId),
  refundPayment: (_, args, ctx) => ctx.payments.refund(ctx.viewer, args),
};
