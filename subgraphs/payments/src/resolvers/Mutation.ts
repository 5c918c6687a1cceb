import { badUserInput, listItems, requireRole } from '@shop/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  createPaymentToken: (_, args, ctx) => ctx.tokens.createToken(ctx.viewer, args.card),
  authorizePayment: (_, args, ctx) => ctx.payments.authorize(ctx.viewer, args),
  // One call for a batch of orders, each decided as alone; a failure is null at its index, with its error.
  authorizePayments: async (_, args, ctx) => {
    requireRole(ctx.viewer, 'SERVICE', 'ADMIN');
    checkBatchSize(args.requests.length, 'requests', 'authorizations');
    return listItems(await ctx.payments.authorizeMany(ctx.viewer, args.requests));
  },
  capturePayment: (_, args, ctx) => ctx.payments.capture(ctx.viewer, args.orderId),
  capturePayments: async (_, args, ctx) => {
    requireRole(ctx.viewer, 'SERVICE', 'ADMIN');
    checkBatchSize(args.orderIds.length, 'orderIds', 'orders');
    return listItems(await ctx.payments.captureMany(ctx.viewer, args.orderIds));
  },
  voidPayment: (_, args, ctx) => ctx.payments.void(ctx.viewer, args.orderId),
  refundPayment: (_, args, ctx) => ctx.payments.refund(ctx.viewer, args),
};

const MAX_BATCH = 500;

function checkBatchSize(size: number, field: string, what: string): void {
  if (size < 1 || size > MAX_BATCH) throw badUserInput(`"${field}" must hold 1 to ${MAX_BATCH} ${what}.`, field);
}
