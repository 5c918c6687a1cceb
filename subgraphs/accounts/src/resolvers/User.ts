import type { Context } from '../context.ts';
import type { User as UserEntity } from '../user/user.entity.ts';

export const User = {
  __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.userById.load(ref.id),
  email: (user: UserEntity, _: unknown, ctx: Context) => ctx.users.emailOf(user),
  addresses: (user: UserEntity, _: unknown, ctx: Context) => ctx.addresses.addressesOf(user.id),
};
