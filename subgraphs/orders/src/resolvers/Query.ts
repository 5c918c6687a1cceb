import type { Context } from '../context.ts';

export const Query = {
  order: (_: unknown, args: { id: string }, ctx: Context) => ctx.orders.findOrder(ctx.viewer, args.id),
};
