import type { Category as CategoryEntity } from '../category/category.entity.ts';
import type { Context } from '../context.ts';

export const Category = {
  parent: (category: CategoryEntity, _: unknown, ctx: Context) => (category.parentId ? ctx.loaders.categoryById.load(category.parentId) : null),
  children: (category: CategoryEntity, _: unknown, ctx: Context) => ctx.loaders.childrenByParentId.load(category.id),
};
