import type { CategoryResolvers } from '../__generated__/resolvers-types.ts';

export const Category: CategoryResolvers = {
  parent: (category, _, ctx) => (category.parentId ? ctx.loaders.categoryById.load(category.parentId) : null),
  children: (category, _, ctx) => ctx.loaders.childrenByParentId.load(category.id),
};
