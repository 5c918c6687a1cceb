import { createCategoryLoaders } from './category/category.loaders.ts';
import { createLiveSaleLoaders } from './live-sale/live-sale.loaders.ts';
import { createProductLoaders } from './product/product.loaders.ts';
import type { Repositories } from './repositories.ts';

/**
 * All DataLoaders of one request (results in key order, null or [] for a
 * missing key). `clearAll` forgets what they cached: a mutation calls it
 * after committing, so the fields of its result read the new state.
 */
export function createLoaders(repositories: Repositories, now: Date) {
  const loaders = {
    ...createProductLoaders(repositories.products),
    ...createCategoryLoaders(repositories.categories),
    ...createLiveSaleLoaders(repositories.liveSales, now),
  };
  return {
    ...loaders,
    clearAll(): void {
      for (const loader of Object.values(loaders)) loader.clearAll();
    },
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
