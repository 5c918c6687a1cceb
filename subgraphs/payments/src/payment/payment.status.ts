/**
 * Payment lifecycle rules, pure so they can be tested without a database.
 *
 *   AUTHORIZED -> CAPTURED | VOIDED
 *   CAPTURED -> PARTIALLY_REFUNDED | REFUNDED
 *   PARTIALLY_REFUNDED -> PARTIALLY_REFUNDED | REFUNDED
 *   FAILED (the issuer declined), VOIDED, REFUNDED: final
 */
export const PAYMENT_STATUSES = ['AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED', 'PARTIALLY_REFUNDED', 'FAILED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Statuses in which the money has been taken (and may be refunded in part or in full). */
const CAPTURED_STATUSES: readonly PaymentStatus[] = ['CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

export function isCaptured(status: PaymentStatus): boolean {
  return CAPTURED_STATUSES.includes(status);
}

/** How much of the payment can still be refunded: nothing unless captured. */
export function refundableAmount(payment: { status: PaymentStatus; amount: number; refundedAmount: number }): number {
  return isCaptured(payment.status) ? payment.amount - payment.refundedAmount : 0;
}

/** The status after refunding `refund` more on top of what was refunded before. */
export function statusAfterRefund(payment: { amount: number; refundedAmount: number }, refund: number): PaymentStatus {
  const total = payment.refundedAmount + refund;
  if (refund <= 0 || total > payment.amount) throw new RangeError(`Cannot refund ${refund} of ${payment.amount - payment.refundedAmount} left.`);
  return total === payment.amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
}
