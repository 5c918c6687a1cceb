import type { Order } from '../order/order.entity.ts';
import type { PaymentState } from '../remote/payments.client.ts';

/**
 * The answer a checkout gave, stored on the order (`orders.outcome`) when the
 * saga decides it, so that a retry with the same idempotency key gets the
 * same answer: the order, one of the expected failures, or an error.
 */
export type CheckoutOutcome =
  /** `paymentId`: the payment authorized for the order, when the checkout that placed it knew it (the batched path). */
  | { type: 'OrderPlaced'; paymentId?: string }
  | { type: 'InsufficientStock'; sku: string; available: number; message: string }
  | { type: 'PaymentDeclined'; reason: string; message: string }
  | { type: 'Failed'; code: CheckoutErrorCode; message: string };

/**
 * Error codes of checkout beyond the platform's:
 * - CHECKOUT_FAILED: the checkout was called off for a technical reason;
 *   nothing was charged (or the charge was refunded). Stored: the same key
 *   gets the same error; place the order again with a new key.
 * - CHECKOUT_PENDING: the checkout is still being settled (for example a
 *   service did not answer and the sweeper will finish it). Not stored:
 *   retry with the same key to learn the outcome.
 * - SERVICE_UNAVAILABLE: nothing was started (the cart could not be
 *   priced); retrying with the same key is safe.
 */
export const CheckoutErrorCode = {
  CHECKOUT_FAILED: 'CHECKOUT_FAILED',
  CHECKOUT_PENDING: 'CHECKOUT_PENDING',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;
export type CheckoutErrorCode = (typeof CheckoutErrorCode)[keyof typeof CheckoutErrorCode];

/** The reason stored in `extensions.reason` of the BAD_USER_INPUT error for a key reused with another cart. */
export const IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED';

export const ABORTED_OUTCOME: CheckoutOutcome = {
  type: 'Failed',
  code: 'CHECKOUT_FAILED',
  message: 'The checkout was interrupted and called off; nothing was charged. Place the order again with a new idempotency key.',
};

/**
 * The payment of an order placed by a batched checkout, as orders knows it
 * without asking payments: AUTHORIZED while the capture that follows the
 * answer is not recorded yet (saga step CAPTURING). Null once it moved on
 * (captured, refunded, ...) or for an order placed without a recorded
 * payment id: then only payments can tell.
 */
export function authorizedPaymentOf(order: Pick<Order, 'outcome' | 'sagaStep'>): PaymentState | null {
  const outcome = order.outcome;
  if (outcome?.type !== 'OrderPlaced' || !outcome.paymentId || order.sagaStep !== 'CAPTURING') return null;
  return { id: outcome.paymentId, status: 'AUTHORIZED' };
}
