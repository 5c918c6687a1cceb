import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * Units of one sku. `available` can be sold; `reserved` is held by open
 * reservations and becomes sold on commit. The table's CHECK constraints keep
 * both at or above zero whatever the code does.
 */
export const Stock = defineEntity({
  name: 'Stock',
  tableName: 'stock',
  properties: {
    sku: p.string().primary(),
    available: p.integer(),
    reserved: p.integer().default(0),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Stock = InferEntity<typeof Stock>;
