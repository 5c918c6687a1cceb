import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A seller's live sale over [startsAt, endsAt). Its products are in
 * live_sale_products and its sale prices in live_sale_prices (plain rows, see
 * the repository). A cancelled sale keeps its row with `cancelledAt` set.
 */
export const LiveSale = defineEntity({
  name: 'LiveSale',
  tableName: 'live_sales',
  properties: {
    id: p.uuid().primary(),
    sellerId: p.uuid(),
    title: p.string(),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    cancelledAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type LiveSale = InferEntity<typeof LiveSale>;

/** The sale price of one sku in one live sale, in minor units of the variant's currency. */
export interface LiveSalePrice {
  liveSaleId: string;
  sku: string;
  amount: number;
  currency: string;
}
