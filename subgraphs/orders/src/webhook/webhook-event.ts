import type { OrderEventType } from '../order/order.events.ts';

/** The GraphQL enum WebhookEvent. */
export const WEBHOOK_EVENTS = ['ORDER_PLACED', 'ORDER_CONFIRMED', 'ORDER_FULFILLED', 'ORDER_CANCELLED', 'ORDER_REFUNDED'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * The webhook events an order event on the stream stands for. An order is
 * placed and confirmed in one step today (OrderPlaced is published when it
 * becomes CONFIRMED), so it is both ORDER_PLACED and ORDER_CONFIRMED. A
 * checkout that never went through (CANCELLED from PENDING) was never
 * announced to partners, so its cancellation is not either.
 */
export function webhookEventsFor(type: string, payload: Record<string, unknown>): WebhookEvent[] {
  switch (type as OrderEventType) {
    case 'OrderPlaced':
      return ['ORDER_PLACED', 'ORDER_CONFIRMED'];
    case 'OrderFulfilled':
      return ['ORDER_FULFILLED'];
    case 'OrderCancelled':
      return payload.fromStatus === 'PENDING' ? [] : ['ORDER_CANCELLED'];
    case 'OrderRefunded':
      return ['ORDER_REFUNDED'];
    default:
      return [];
  }
}

/**
 * The JSON body POSTed to the partner, in the shape the Standard Webhooks
 * specification recommends: `type`, `timestamp` (when the event happened)
 * and `data` (the order event's payload, with its `eventId`).
 */
export function webhookBody(event: WebhookEvent, eventId: string, occurredAt: string, payload: Record<string, unknown>): string {
  return JSON.stringify({ type: event, timestamp: occurredAt, data: { eventId, ...payload } });
}
