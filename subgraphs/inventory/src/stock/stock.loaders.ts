import { createBatchLoader } from '@shop/platform';
import { emptyStockLevel, type StockLevel } from './stock-level.ts';
import type { StockService } from './stock.service.ts';

/** Per-request loaders: every stock level a request needs costs one cache round trip and at most one statement. */
export function createStockLoaders(stock: StockService) {
  const bySku = createBatchLoader((skus: readonly string[]) => stock.findLevels(skus), (level) => level.sku, { maxBatchSize: 1000 });
  const loadStockLevel = async (sku: string): Promise<StockLevel> => (await bySku.load(sku)) ?? emptyStockLevel(sku);
  return {
    loadStockLevel,
    loadStockLevels: (skus: readonly string[]) => Promise.all(skus.map(loadStockLevel)),
  };
}
export type StockLoaders = ReturnType<typeof createStockLoaders>;
