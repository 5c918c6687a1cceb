import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

export const Query: QueryResolvers = {
  me: (_, _args, ctx) => ctx.users.me(ctx.viewer),
  user: (_, args, ctx) => ctx.users.findUser(ctx.viewer, args.id),
  signingKeys: (_, _args, ctx) => ctx.signingKeys.list(ctx.viewer),
  apiClients: (_, _args, ctx) => ctx.apiClients.list(ctx.viewer),
  apiClientByKey: (_, args, ctx) => ctx.apiClients.findByKey(ctx.viewer, args.key),
};
