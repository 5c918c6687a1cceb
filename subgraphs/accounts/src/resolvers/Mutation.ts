import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  signUp: (_, args, ctx) => ctx.auth.signUp(args.input),
  signIn: (_, args, ctx) => ctx.auth.signIn(args.input),
  refreshSession: (_, args, ctx) => ctx.auth.refreshSession(args.refreshToken),
  signOut: (_, args, ctx) => ctx.auth.signOut(args.refreshToken),
  addAddress: (_, args, ctx) => ctx.addresses.addAddress(ctx.viewer, args.input),
  setDefaultAddress: (_, args, ctx) => ctx.addresses.setDefaultAddress(ctx.viewer, args.id),
  setUserRole: (_, args, ctx) => ctx.users.setRole(ctx.viewer, args.userId, args.role),
  rotateSigningKey: (_, _args, ctx) => ctx.signingKeys.rotate(ctx.viewer),
  retireSigningKey: (_, args, ctx) => ctx.signingKeys.retire(ctx.viewer, args.kid),
  createApiClient: (_, args, ctx) => ctx.apiClients.create(ctx.viewer, args.input),
  revokeApiClient: (_, args, ctx) => ctx.apiClients.revoke(ctx.viewer, args.id),
};
