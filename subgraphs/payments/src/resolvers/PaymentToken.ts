import type { PaymentTokenResolvers } from '../__generated__/resolvers-types.ts';

export const PaymentToken: PaymentTokenResolvers = {
  expiresAt: (token) => token.expiresAt.toISOString(),
};
