import type { Context } from '../context.ts';
import type { PlaceOrderInput } from '../checkout/checkout.input.ts';

export const Mutation = {
  placeOrder: (_: unknown, args: { input: PlaceOrderInput }, ctx: Context) => ctx.checkout.placeOrder(ctx.viewer, args.input),
  cancelOrder: (_: unknown, args: { id: string }, ctx: Context) => ctx.checkout.cancelOrder(ctx.viewer, args.id),
};
