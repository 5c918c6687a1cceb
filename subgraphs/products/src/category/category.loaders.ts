import { createBatchLoader, createGroupLoader } from '@shop/platform';
import type { CategoryRepository } from './category.repository.ts';

/** Per-request loaders of the category tree. */
export function createCategoryLoaders(repository: CategoryRepository) {
  return {
    categoryById: createBatchLoader((ids: readonly string[]) => repository.findByIds(ids), (c) => c.id),
    categoriesByProductId: createGroupLoader(
      async (ids: readonly string[]) => repository.findByProductIds(ids),
      (link) => link.productId,
    ),
    childrenByParentId: createGroupLoader((ids: readonly string[]) => repository.findByParentIds(ids), (c) => c.parentId ?? ''),
  };
}
export type CategoryLoaders = ReturnType<typeof createCategoryLoaders>;
