/**
 * Where an order's saga stands, stored in `orders.saga_step` and moved with a
 * compare-and-set under the order's row lock at every step. A step names the
 * work that is due next (written before its remote calls are made), so a
 * process that dies mid-step leaves behind exactly what a sweeper needs to
 * finish or compensate: every call a step makes is idempotent per order.
 *
 * Checkout (order PENDING):
 *   RESERVING    -> AUTHORIZING | COMPENSATING | DONE (InsufficientStock: CANCELLED)
 *   AUTHORIZING  -> CAPTURING | COMPENSATING
 *   CAPTURING    -> COMMITTING | COMPENSATING        (capturing is the point of no return)
 *   COMMITTING   -> DONE (CONFIRMED) | REFUNDING
 *   COMPENSATING -> DONE (CANCELLED)                 void the authorization, release the stock
 *   REFUNDING    -> DONE (CANCELLED)                 refund the capture, release the stock
 * Cancellation of a CONFIRMED order:
 *   DONE            -> CANCEL_REQUESTED
 *   CANCEL_REQUESTED -> RETURNING_STOCK (CANCELLED)  refund the capture
 *   RETURNING_STOCK  -> DONE                         put the sold units back in stock
 */
export const SAGA_STEPS = [
  'RESERVING',
  'AUTHORIZING',
  'CAPTURING',
  'COMMITTING',
  'COMPENSATING',
  'REFUNDING',
  'CANCEL_REQUESTED',
  'RETURNING_STOCK',
  'DONE',
] as const;
export type SagaStep = (typeof SAGA_STEPS)[number];

const NEXT: Readonly<Record<SagaStep, readonly SagaStep[]>> = {
  RESERVING: ['AUTHORIZING', 'COMPENSATING', 'DONE'],
  AUTHORIZING: ['CAPTURING', 'COMPENSATING'],
  CAPTURING: ['COMMITTING', 'COMPENSATING'],
  COMMITTING: ['DONE', 'REFUNDING'],
  COMPENSATING: ['DONE'],
  REFUNDING: ['DONE'],
  CANCEL_REQUESTED: ['RETURNING_STOCK'],
  RETURNING_STOCK: ['DONE'],
  DONE: ['CANCEL_REQUESTED'],
};

export function canMoveSaga(from: SagaStep, to: SagaStep): boolean {
  return NEXT[from].includes(to);
}

/** A saga move the design does not allow: a programming error. */
export class IllegalSagaMoveError extends Error {
  constructor(from: SagaStep, to: SagaStep) {
    super(`A checkout saga cannot move from ${from} to ${to}.`);
    this.name = 'IllegalSagaMoveError';
  }
}

export function assertSagaMove(from: SagaStep, to: SagaStep): SagaStep {
  if (!canMoveSaga(from, to)) throw new IllegalSagaMoveError(from, to);
  return to;
}

/**
 * Who drives a saga. The checkout request holds the payment token (never
 * stored) and drives forward; anyone else (the sweeper, cancelOrder) only
 * recovers: before capture it compensates, from capture on it finishes.
 */
export type SagaDriver = { kind: 'checkout'; paymentToken: string } | { kind: 'recovery' };

/**
 * What a recovering driver does with a saga found at `step`: the steps
 * before capture cannot go on without the payment token, so they are
 * compensated; every later step is finished as the checkout would have.
 */
export function recoveryAction(step: SagaStep): 'compensate' | 'continue' | 'none' {
  if (step === 'DONE') return 'none';
  return step === 'RESERVING' || step === 'AUTHORIZING' ? 'compensate' : 'continue';
}
