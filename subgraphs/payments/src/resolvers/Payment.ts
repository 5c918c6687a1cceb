import type { Context } from '../context.ts';
import type { Payment as PaymentEntity } from '../payment/payment.entity.ts';
import { money } from './money.ts';

export const Payment = {
  __resolveReference: (ref: { id: string }, ctx: Context) => ctx.payments.findPayment(ctx.viewer, ref.id),
  amount: (payment: PaymentEntity) => money(payment.amount, payment.currency),
  refunded: (payment: PaymentEntity) => money(payment.refundedAmount, payment.currency),
  card: (payment: PaymentEntity) => ({ brand: payment.cardBrand, last4: payment.cardLast4 }),
  createdAt: (payment: PaymentEntity) => payment.createdAt.toISOString(),
};
