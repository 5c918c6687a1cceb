import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const PRODUCT_STATUSES = ['DRAFT', 'PUBLISHED', 'ARCHIVED'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** A catalogue product. Prices are integers in minor units of `currency`, which never changes. */
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
    status: p.enum(PRODUCT_STATUSES),
    publishedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Product = InferEntity<typeof Product>;

/** One option value of a variant, e.g. `{ name: 'Size', value: '42' }`. */
export interface VariantOption {
  name: string;
  value: string;
}

/** A purchasable variant of a product, keyed by sku. Its currency is always the product's. */
export const Variant = defineEntity({
  name: 'Variant',
  tableName: 'variants',
  properties: {
    sku: p.string().primary(),
    product: () => p.manyToOne(Product),
    name: p.string(),
    options: p.json<VariantOption[]>(),
    priceAmount: p.integer(),
    currency: p.string().length(3),
    position: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Variant = InferEntity<typeof Variant>;

/** An image of a product, shown in `position` order. */
export const ProductImage = defineEntity({
  name: 'ProductImage',
  tableName: 'product_images',
  properties: {
    id: p.uuid().primary(),
    product: () => p.manyToOne(Product),
    url: p.text(),
    altText: p.text(),
    position: p.integer(),
  },
});
export type ProductImage = InferEntity<typeof ProductImage>;
