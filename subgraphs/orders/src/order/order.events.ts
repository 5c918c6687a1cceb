import type { OutboxEventInput } from '@shop/platform';
import type { Order, OrderItem } from './order.entity.ts';
import type { OrderStatus } from './order.state.ts';

/** The `events:{orders}` stream's event types. Every entry also carries its outbox `id`, by which consumers deduplicate. */
export const ORDER_EVENT_TYPES = ['OrderPlaced', 'OrderFulfilled', 'OrderCancelled', 'OrderRefunded'] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

const money = (amount: number, currency: string) => ({ amount, currency });

/**
 * The event a status change publishes, or null when it publishes none:
 * entering CONFIRMED is OrderPlaced (the checkout succeeded), FULFILLED is
 * OrderFulfilled, CANCELLED is OrderCancelled (with the status it left, so
 * consumers can tell a checkout that never went through from a cancelled
 * confirmed order), and REFUNDED is OrderRefunded. `order` already carries
 * the new status; `details` (the tracking number, the refund) are added to
 * the payload.
 */
export function orderEventFor(
  order: Order,
  from: OrderStatus,
  reason: string | null,
  items: readonly Pick<OrderItem, 'sku' | 'quantity' | 'unitPriceAmount' | 'currency'>[],
  details: Record<string, unknown> = {},
): OutboxEventInput | null {
  const base = { orderId: order.id, userId: order.userId, at: order.updatedAt.toISOString() };
  switch (order.status) {
    case 'CONFIRMED':
      return {
        type: 'OrderPlaced',
        payload: {
          ...base,
          total: money(order.totalAmount, order.currency),
          placedAt: order.placedAt.toISOString(),
          items: items.map((i) => ({ sku: i.sku, quantity: i.quantity, unitPrice: money(i.unitPriceAmount, i.currency) })),
          ...details,
        },
      };
    case 'FULFILLED':
      return { type: 'OrderFulfilled', payload: { ...base, fromStatus: from, ...details } };
    case 'CANCELLED':
      return { type: 'OrderCancelled', payload: { ...base, fromStatus: from, reason, total: money(order.totalAmount, order.currency), ...details } };
    case 'REFUNDED':
      return { type: 'OrderRefunded', payload: { ...base, fromStatus: from, reason, amount: money(order.totalAmount, order.currency), ...details } };
    default:
      return null;
  }
}

/**
 * A refund that leaves money to refund changes no status but is still
 * OrderRefunded: `amount` is this refund, `refunded` the sum so far and
 * `remaining` what is left (the last refund publishes through orderEventFor
 * with remaining 0).
 */
export function partialRefundEvent(order: Order, details: { refundId: string; amount: number; refunded: number; remaining: number }): OutboxEventInput {
  return {
    type: 'OrderRefunded',
    payload: {
      orderId: order.id,
      userId: order.userId,
      at: new Date().toISOString(),
      fromStatus: order.status,
      reason: 'partial refund',
      refundId: details.refundId,
      amount: money(details.amount, order.currency),
      refunded: money(details.refunded, order.currency),
      remaining: money(details.remaining, order.currency),
      status: order.status,
    },
  };
}
