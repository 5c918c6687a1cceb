import type { SigningKeyResolvers } from '../__generated__/resolvers-types.ts';

export const SigningKey: SigningKeyResolvers = {
  createdAt: (key) => key.createdAt.toISOString(),
  retiredAt: (key) => key.retiredAt?.toISOString() ?? null,
};
