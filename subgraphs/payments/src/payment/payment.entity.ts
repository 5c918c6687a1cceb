import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { PAYMENT_STATUSES } from './payment.status.ts';

/**
 * The payment of one order (`orderId` is unique: every operation is
 * idempotent per order). Amounts are integers in minor units of `currency`.
 * Of the card only brand and last 4 are kept; `providerRef` is the
 * provider's id of the charge. A FAILED payment is an issuer's decline and
 * says why in `failureReason`.
 */
export const Payment = defineEntity({
  name: 'Payment',
  tableName: 'payments',
  properties: {
    id: p.uuid().primary(),
    orderId: p.uuid().unique(),
    userId: p.uuid(),
    status: p.enum(PAYMENT_STATUSES),
    amount: p.integer(),
    refundedAmount: p.integer().default(0),
    currency: p.string().length(3),
    cardBrand: p.text(),
    cardLast4: p.string().length(4),
    providerRef: p.text(),
    failureReason: p.text().nullable(),
    failureMessage: p.text().nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p.datetime(3).onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Payment = InferEntity<typeof Payment>;

/** A refund applied to a payment, once per idempotency key. */
export const PaymentRefund = defineEntity({
  name: 'PaymentRefund',
  tableName: 'payment_refunds',
  properties: {
    id: p.uuid().primary(),
    payment: () => p.manyToOne(Payment),
    idempotencyKey: p.text().unique(),
    amount: p.integer(),
    providerRef: p.text(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type PaymentRefund = InferEntity<typeof PaymentRefund>;
