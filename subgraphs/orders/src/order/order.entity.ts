import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { CheckoutOutcome } from '../checkout/checkout-outcome.ts';
import { SAGA_STEPS } from '../checkout/saga-step.ts';
import { ORDER_STATUSES } from './order.state.ts';

/**
 * A customer's order. Money is integers in minor units of `currency`; the
 * total is fixed when the order is placed (item prices are copied, not
 * referenced, so a later price change never rewrites history).
 * `(userId, idempotencyKey)` is unique: the same checkout retried returns
 * the same order, and `requestHash` tells a true retry from a key reused
 * for a different cart.
 *
 * `sagaStep` is the work due next in the checkout (or cancellation) saga and
 * `sagaUpdatedAt` when it last moved: a sweeper takes over sagas that stop
 * moving. `outcome` is the answer the checkout gave, replayed to retries.
 */
export const Order = defineEntity({
  name: 'Order',
  tableName: 'orders',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    status: p.enum(ORDER_STATUSES),
    totalAmount: p.integer(),
    currency: p.string().length(3),
    idempotencyKey: p.text(),
    requestHash: p.text(),
    placedAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p.datetime(3).onCreate(() => new Date()).onUpdate(() => new Date()),
    sagaStep: p.enum(SAGA_STEPS).default('DONE'),
    sagaUpdatedAt: p.datetime(3).onCreate(() => new Date()),
    outcome: p.json<CheckoutOutcome>().nullable(),
  },
});
export type Order = InferEntity<typeof Order>;

/**
 * One line of an order: a quantity of one variant (sku) at the unit price
 * charged. The stock-return markers make putting a cancelled line back in
 * stock happen at most once (see RETURNING_STOCK).
 */
export const OrderItem = defineEntity({
  name: 'OrderItem',
  tableName: 'order_items',
  properties: {
    id: p.uuid().primary(),
    order: () => p.manyToOne(Order),
    sku: p.text(),
    quantity: p.integer(),
    unitPriceAmount: p.integer(),
    currency: p.string().length(3),
    position: p.integer(),
    stockReturnStartedAt: p.datetime(3).nullable(),
    stockReturnedAt: p.datetime(3).nullable(),
  },
});
export type OrderItem = InferEntity<typeof OrderItem>;

/**
 * An audit row per status change; `fromStatus` is null for the creation of
 * the order. The id is a sequence so that changes within one millisecond
 * still read back in the order they happened.
 */
export const OrderStatusChange = defineEntity({
  name: 'OrderStatusChange',
  tableName: 'order_status_history',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    order: () => p.manyToOne(Order),
    fromStatus: p.enum(ORDER_STATUSES).nullable(),
    toStatus: p.enum(ORDER_STATUSES),
    at: p.datetime(3).onCreate(() => new Date()),
    reason: p.text().nullable(),
  },
});
export type OrderStatusChange = InferEntity<typeof OrderStatusChange>;
