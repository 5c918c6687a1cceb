import type { DemoData, EntityManager } from '@shop/platform';
import { Product, Variant } from './product.entity.ts';

/** Seeds the demo catalogue once: does nothing when any product exists. Returns the number inserted. */
export async function seedDemoCatalogue(em: EntityManager, data: DemoData): Promise<number> {
  if ((await em.count(Product, {})) > 0) return 0;
  for (const product of data.products) {
    const createdAt = new Date(product.createdAt);
    em.create(Product, {
      id: product.id,
      slug: product.slug,
      name: product.name,
      description: product.description,
      sellerId: product.sellerId,
      priceAmount: product.price.amount,
      currency: product.price.currency,
      createdAt,
      updatedAt: createdAt,
    });
    product.variants.forEach((variant, position) =>
      em.create(Variant, {
        sku: variant.sku,
        product: product.id,
        name: variant.name,
        priceAmount: variant.price.amount,
        currency: variant.price.currency,
        position,
      }),
    );
  }
  await em.flush();
  return data.products.length;
}
