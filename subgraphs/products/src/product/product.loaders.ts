import { createBatchLoader, createGroupLoader } from '@shop/platform';
import type { ProductRepository } from './product.repository.ts';

/** Per-request loaders: one statement per entity type however many products a page holds. */
export function createProductLoaders(repository: ProductRepository) {
  return {
    productById: createBatchLoader((ids: readonly string[]) => repository.findByIds(ids), (p) => p.id),
    variantsByProductId: createGroupLoader((ids: readonly string[]) => repository.findVariantsByProductIds(ids), (v) => v.product.id),
    variantBySku: createBatchLoader((skus: readonly string[]) => repository.findVariantsBySkus(skus), (v) => v.sku),
    imagesByProductId: createGroupLoader((ids: readonly string[]) => repository.findImagesByProductIds(ids), (i) => i.product.id),
  };
}
export type ProductLoaders = ReturnType<typeof createProductLoaders>;
