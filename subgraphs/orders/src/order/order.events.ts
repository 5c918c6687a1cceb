import type { OutboxEventInput } from '@shop/platform';
import type { Order, OrderItem } from './order.entity.ts';
import type { OrderStatus } from './order.state.ts';

/** The `events:orders` stream's event types. Every entry also carries its outbox `id`, by which consumers deduplicate. */
export const ORDER_EVENT_TYPES = ['OrderPlaced', 'OrderCancelled', 'OrderRefunded'] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

const money = (amount: number, currency: string) => ({ amount, currency });

/**
 * The event a status change publishes, or null when it publishes none:
 * entering CONFIRMED is OrderPlaced (the checkout succeeded), CANCELLED is
 * OrderCancelled (with the status it left, so consumers can tell a
 * checkout that never went through from a cancelled confirmed order), and
 * REFUNDED is OrderRefunded. `order` already carries the new status.
 */
export function orderEventFor(order: Order, from: OrderStatus, reason: string | null, items: readonly OrderItem[]): OutboxEventInput | null {
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
        },
      };
    case 'CANCELLED':
      return { type: 'OrderCancelled', payload: { ...base, fromStatus: from, reason, total: money(order.totalAmount, order.currency) } };
    case 'REFUNDED':
      return { type: 'OrderRefunded', payload: { ...base, fromStatus: from, reason, amount: money(order.totalAmount, order.currency) } };
    default:
      return null;
  }
}
