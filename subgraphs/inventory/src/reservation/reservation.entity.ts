import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const RESERVATION_STATUSES = ['HELD', 'COMMITTED', 'RELEASED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/**
 * One line of an order's reservation: units of one sku held for the order.
 * All lines of an order share the reservation `id`, `status` and
 * `expiresAt`, and change together in one statement; (orderId, sku) is unique.
 */
export const ReservationLine = defineEntity({
  name: 'ReservationLine',
  tableName: 'reservations',
  properties: {
    id: p.uuid().primary(),
    sku: p.string().primary(),
    orderId: p.string(),
    quantity: p.integer(),
    status: p.enum(RESERVATION_STATUSES),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type ReservationLine = InferEntity<typeof ReservationLine>;
