import type { PaymentResolvers } from '../__generated__/resolvers-types.ts';
import { money } from './money.ts';

export const Payment: PaymentResolvers = {
  __resolveReference: (ref, ctx) => ctx.payments.findPayment(ctx.viewer, ref.id),
  amount: (payment) => money(payment.amount, payment.currency),
  refunded: (payment) => money(payment.refundedAmount, payment.currency),
  card: (payment) => ({ brand: payment.cardBrand, last4: payment.cardLast4 }),
  createdAt: (payment) => payment.createdAt.toISOString(),
};
