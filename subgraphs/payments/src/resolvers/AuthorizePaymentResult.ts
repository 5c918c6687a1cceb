import type { AuthorizeResult } from '../payment/payment.service.ts';

export const AuthorizePaymentResult = {
  __resolveType: (result: AuthorizeResult) => (result.kind === 'authorized' ? 'PaymentAuthorized' : 'PaymentDeclined'),
};
