import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A node of the category tree; `parentId` is null at the top level. */
export const Category = defineEntity({
  name: 'Category',
  tableName: 'categories',
  properties: {
    id: p.uuid().primary(),
    parentId: p.uuid().nullable(),
    name: p.string(),
    slug: p.string().unique(),
    position: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Category = InferEntity<typeof Category>;
