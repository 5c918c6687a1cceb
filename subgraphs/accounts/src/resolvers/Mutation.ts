import type { AddressInput } from '../address/address.service.ts';
import type { CreateApiClientInput } from '../api-client/api-client.service.ts';
import type { SignInInput, SignUpInput } from '../auth/auth.service.ts';
import type { Context } from '../context.ts';

export const Mutation = {
  signUp: (_: unknown, args: { input: SignUpInput }, ctx: Context) => ctx.auth.signUp(args.input),
  signIn: (_: unknown, args: { input: SignInInput }, ctx: Context) => ctx.auth.signIn(args.input),
  refreshSession: (_: unknown, args: { refreshToken: string }, ctx: Context) => ctx.auth.refreshSession(args.refreshToken),
  signOut: (_: unknown, args: { refreshToken: string }, ctx: Context) => ctx.auth.signOut(args.refreshToken),
  addAddress: (_: unknown, args: { input: AddressInput }, ctx: Context) => ctx.addresses.addAddress(ctx.viewer, args.input),
  setDefaultAddress: (_: unknown, args: { id: string }, ctx: Context) => ctx.addresses.setDefaultAddress(ctx.viewer, args.id),
  setUserRole: (_: unknown, args: { userId: string; role: string }, ctx: Context) => ctx.users.setRole(ctx.viewer, args.userId, args.role),
  rotateSigningKey: (_: unknown, _args: unknown, ctx: Context) => ctx.signingKeys.rotate(ctx.viewer),
  retireSigningKey: (_: unknown, args: { kid: string }, ctx: Context) => ctx.signingKeys.retire(ctx.viewer, args.kid),
  createApiClient: (_: unknown, args: { input: CreateApiClientInput }, ctx: Context) => ctx.apiClients.create(ctx.viewer, args.input),
  revokeApiClient: (_: unknown, args: { id: string }, ctx: Context) => ctx.apiClients.revoke(ctx.viewer, args.id),
};
