import { randomUUID } from 'node:crypto';
import { sql, type MikroORM } from '@shop/platform';
import { Category } from '../src/category/category.entity.ts';
import { Product, ProductImage, Variant, type ProductStatus, type VariantOption } from '../src/product/product.entity.ts';

export interface ProductFixture {
  name: string;
  description?: string;
  sellerId?: string;
  priceAmount?: number;
  createdAt?: Date;
  /** PUBLISHED unless given: most tests read the public catalogue. */
  status?: ProductStatus;
  variants?: { sku: string; name: string; priceAmount?: number; options?: VariantOption[] }[];
  categoryIds?: string[];
  images?: number;
}

/** Inserts a product with its variants, images and categories straight through the ORM; returns the product id. */
export async function insertProduct(orm: MikroORM, fixture: ProductFixture): Promise<string> {
  const em = orm.em.fork();
  const id = randomUUID();
  const createdAt = fixture.createdAt ?? new Date();
  const status = fixture.status ?? 'PUBLISHED';
  const product = em.create(Product, {
    id,
    slug: `${fixture.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id.slice(0, 8)}`,
    name: fixture.name,
    description: fixture.description ?? '',
    sellerId: fixture.sellerId ?? randomUUID(),
    priceAmount: fixture.priceAmount ?? 1000,
    currency: 'USD',
    status,
    publishedAt: status === 'PUBLISHED' ? createdAt : null,
    createdAt,
    updatedAt: createdAt,
  });
  (fixture.variants ?? []).forEach((variant, position) =>
    em.create(Variant, {
      sku: variant.sku,
      product,
      name: variant.name,
      options: variant.options ?? [],
      priceAmount: variant.priceAmount ?? fixture.priceAmount ?? 1000,
      currency: 'USD',
      position,
      createdAt,
      updatedAt: createdAt,
    }),
  );
  for (let position = 0; position < (fixture.images ?? 0); position++) {
    em.create(ProductImage, { id: randomUUID(), product, url: `https://cdn.shop.local/images/${id}/${position}.jpg`, altText: `${fixture.name} ${position}`, position });
  }
  await em.flush();
  for (const categoryId of fixture.categoryIds ?? []) {
    await sql(em, `insert into "${String(em.config.get('schema'))}".product_categories (product_id, category_id) values (?, ?)`, [id, categoryId]);
  }
  return id;
}

/** Inserts a category; returns its id. */
export async function insertCategory(orm: MikroORM, name: string, parentId: string | null = null, position = 0): Promise<string> {
  const em = orm.em.fork();
  const id = randomUUID();
  em.create(Category, { id, parentId, name, slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id.slice(0, 8)}`, position, createdAt: new Date() });
  await em.flush();
  return id;
}
