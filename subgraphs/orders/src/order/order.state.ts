/**
 * The order lifecycle as a pure state machine. Every status change goes
 * through `assertTransition`, so the rules live in one place and can be
 * tested without a database.
 *
 *   PENDING   -> CONFIRMED | CANCELLED   (the checkout saga succeeded / failed)
 *   CONFIRMED -> FULFILLED | CANCELLED | REFUNDED
 *   FULFILLED -> REFUNDED
 *   CANCELLED, REFUNDED: terminal
 */
export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'FULFILLED', 'CANCELLED', 'REFUNDED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['FULFILLED', 'CANCELLED', 'REFUNDED'],
  FULFILLED: ['REFUNDED'],
  CANCELLED: [],
  REFUNDED: [],
};

/** A status change the lifecycle does not allow; a programming or concurrency error, never a user's. */
export class IllegalOrderTransitionError extends Error {
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  constructor(from: OrderStatus, to: OrderStatus) {
    super(`An order cannot go from ${from} to ${to}.`);
    this.name = 'IllegalOrderTransitionError';
    this.from = from;
    this.to = to;
  }
}

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

/** The statuses an order in `from` may move to next. */
export function nextStatuses(from: OrderStatus): readonly OrderStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(status: OrderStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Returns `to` when the move is allowed; throws IllegalOrderTransitionError otherwise. */
export function assertTransition(from: OrderStatus, to: OrderStatus): OrderStatus {
  if (!canTransition(from, to)) throw new IllegalOrderTransitionError(from, to);
  return to;
}
