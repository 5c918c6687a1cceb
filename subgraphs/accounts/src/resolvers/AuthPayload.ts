import type { AuthPayloadResolvers } from '../__generated__/resolvers-types.ts';

export const AuthPayload: AuthPayloadResolvers = {
  accessTokenExpiresAt: (payload) => payload.accessTokenExpiresAt.toISOString(),
};
