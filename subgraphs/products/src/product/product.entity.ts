import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A catalogue product. Prices are integers in minor units of `currency`. */
export const Product = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: {
    id: p.uuid().primary(),
    slug: p.string().unique(),
    name: p.string(),
    description: p.text(),
    sellerId: p.uuid(),
    priceAmount: p.integer(),
    currency: p.string().length(3),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Product = InferEntity<typeof Product>;

/** A purchasable variant of a product, keyed by sku. */
export const Variant = defineEntity({
  name: 'Variant',
  tableName: 'variants',
  properties: {
    sku: p.string().primary(),
    product: () => p.manyToOne(Product),
    name: p.string(),
    priceAmount: p.integer(),
    currency: p.string().length(3),
    position: p.integer().default(0),
  },
});
export type Variant = InferEntity<typeof Variant>;
