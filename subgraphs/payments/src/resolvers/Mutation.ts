import type { Context } from '../context.ts';
import type { AuthorizeArgs, RefundArgs } from '../payment/payment.service.ts';
import type { CardDetails } from '../provider/payment-provider.ts';

export const Mutation = {
  createPaymentToken: (_: unknown, args: { card: CardDetails }, ctx: Context) => ctx.tokens.createToken(ctx.viewer, args.card),
  authorizePayment: (_: unknown, args: AuthorizeArgs, ctx: Context) => ctx.payments.authorize(ctx.viewer, args),
  capturePayment: (_: unknown, args: { orderId: string }, ctx: Context) => ctx.payments.capture(ctx.viewer, args.orderId),
  voidPayment: (_: unknown, args: { orderId: string }, ctx: Context) => ctx.payments.void(ctx.viewer, args.orderId),
  refundPayment: (_: unknown, args: RefundArgs, ctx: Context) => ctx.payments.refund(ctx.viewer, args),
};
