import type { AuthorizePaymentResultResolvers } from '../__generated__/resolvers-types.ts';

export const AuthorizePaymentResult: AuthorizePaymentResultResolvers = {
  __resolveType: (result) => (result.kind === 'authorized' ? 'PaymentAuthorized' : 'PaymentDeclined'),
};
