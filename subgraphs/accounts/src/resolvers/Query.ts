import type { Context } from '../context.ts';

export const Query = {
  me: (_: unknown, _args: unknown, ctx: Context) => ctx.users.me(ctx.viewer),
  user: (_: unknown, args: { id: string }, ctx: Context) => ctx.users.findUser(ctx.viewer, args.id),
  signingKeys: (_: unknown, _args: unknown, ctx: Context) => ctx.signingKeys.list(ctx.viewer),
  apiClients: (_: unknown, _args: unknown, ctx: Context) => ctx.apiClients.list(ctx.viewer),
  apiClientByKey: (_: unknown, args: { key: string }, ctx: Context) => ctx.apiClients.findByKey(ctx.viewer, args.key),
};
