import { badUserInput, requireRole, settleListItems } from '@shop/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  createPaymentToken: (_, args, ctx) => ctx.tokens.createToken(ctx.viewer, args.card),
  authorizePayment: (_, args, ctx) => ctx.payments.authorize(ctx.viewer, args),
  // One call for a batch of orders, each authorized as alone; a failure is null at its index, with its error.
  authorizePayments: async (_, args, ctx) => {
    requireRole(ctx.viewer, 'SERVICE', 'ADMIN');
    if (args.requests.length < 1 || args.requests.length > 500) throw badUserInput('"requests" must hold 1 to 500 authorizations.', 'requests');
    // Each on an EntityManager of its own: they run concurrently.
    return settleListItems(args.requests.map((request) => ctx.isolatedPayments().authorize(ctx.viewer, request)));
  },
  capturePayment: (_, args, ctx) => ctx.payments.capture(ctx.viewer, args.orderId),
  voidPayment: (_, args, ctx) => ctx.payments.void(ctx.viewer, args.orderId),
  refundPayment: (_, args, ctx) => ctx.payments.refund(ctx.viewer, args),
};
