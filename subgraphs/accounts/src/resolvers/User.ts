import type { UserResolvers } from '../__generated__/resolvers-types.ts';

export const User: UserResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.userById.load(ref.id),
  email: (user, _, ctx) => ctx.users.emailOf(user),
  addresses: (user, _, ctx) => ctx.addresses.addressesOf(user.id),
};
