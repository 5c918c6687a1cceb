import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@shop/platform';
import { Product, Variant } from '../src/product/product.entity.ts';

export interface ProductFixture {
  name: string;
  description?: string;
  sellerId?: string;
  priceAmount?: number;
  createdAt?: Date;
  variants?: { sku: string; name: string; priceAmount?: number }[];
}

/** Inserts a product and its variants straight through the ORM; returns the product id. */
export async function insertProduct(orm: MikroORM, fixture: ProductFixture): Promise<string> {
  const em = orm.em.fork();
  const id = randomUUID();
  const createdAt = fixture.createdAt ?? new Date();
  em.create(Product, {
    id,
    slug: `${fixture.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id.slice(0, 8)}`,
    name: fixture.name,
    description: fixture.description ?? '',
    sellerId: fixture.sellerId ?? randomUUID(),
    priceAmount: fixture.priceAmount ?? 1000,
    currency: 'USD',
    createdAt,
    updatedAt: createdAt,
  });
  (fixture.variants ?? []).forEach((variant, position) =>
    em.create(Variant, {
      sku: variant.sku,
      product: id,
      name: variant.name,
      priceAmount: variant.priceAmount ?? fixture.priceAmount ?? 1000,
      currency: 'USD',
      position,
    }),
  );
  await em.flush();
  return id;
}
