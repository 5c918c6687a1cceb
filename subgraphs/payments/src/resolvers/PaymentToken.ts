import type { CardToken } from '../provider/payment-provider.ts';

export const PaymentToken = {
  expiresAt: (token: CardToken) => token.expiresAt.toISOString(),
};
