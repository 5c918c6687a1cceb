import { createBatchLoader, createGroupLoader } from '@shop/platform';
import type { LiveSaleRepository } from './live-sale.repository.ts';

/** Per-request loaders of live sales, evaluated at the request's `now`. */
export function createLiveSaleLoaders(repository: LiveSaleRepository, now: Date) {
  return {
    liveSaleById: createBatchLoader((ids: readonly string[]) => repository.findByIds(ids), (s) => s.id),
    liveSaleByProductId: createBatchLoader((ids: readonly string[]) => repository.findCurrentOrNextByProductIds(ids, now), (link) => link.productId),
    salePriceBySku: createBatchLoader((skus: readonly string[]) => repository.findSalePricesBySkus(skus, now), (price) => price.sku),
    productIdsByLiveSaleId: createGroupLoader((ids: readonly string[]) => repository.findProductIdsBySaleIds(ids), (link) => link.liveSaleId),
    pricesByLiveSaleId: createGroupLoader((ids: readonly string[]) => repository.findPricesBySaleIds(ids), (price) => price.liveSaleId),
  };
}
export type LiveSaleLoaders = ReturnType<typeof createLiveSaleLoaders>;
