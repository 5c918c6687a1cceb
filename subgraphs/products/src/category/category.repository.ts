import { randomUUID } from 'node:crypto';
import { sql, type EntityManager } from '@shop/platform';
import { inJsonList, jsonList, tableOf, uuidsOnly } from '../db.ts';
import { Category } from './category.entity.ts';

/** A category filed under a product (a row of product_categories with its category). */
export interface ProductCategory {
  productId: string;
  category: Category;
}

const ORDER = { position: 'asc', name: 'asc', id: 'asc' } as const;

/** The category tree: queries only, one SQL statement per method. */
export class CategoryRepository {
  readonly #em: EntityManager;
  readonly #table: (name: string) => string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#table = tableOf(em);
  }

  async findByIds(ids: readonly string[]): Promise<Category[]> {
    const uuids = uuidsOnly(ids);
    return uuids.length ? this.#em.find(Category, { id: { $in: uuids } }) : [];
  }

  async findBySlug(slug: string): Promise<Category | null> {
    return this.#em.findOne(Category, { slug });
  }

  async findRoots(): Promise<Category[]> {
    return this.#em.find(Category, { parentId: null }, { orderBy: ORDER });
  }

  async findByParentIds(parentIds: readonly string[]): Promise<Category[]> {
    const uuids = uuidsOnly(parentIds);
    return uuids.length ? this.#em.find(Category, { parentId: { $in: uuids } }, { orderBy: { parentId: 'asc', ...ORDER } }) : [];
  }

  async findByProductIds(productIds: readonly string[]): Promise<ProductCategory[]> {
    const uuids = uuidsOnly(productIds);
    if (!uuids.length) return [];
    const rows = await sql<Record<string, unknown> & { link_product_id: string }>(
      this.#em,
      `select pc.product_id as link_product_id, c.*
         from ${this.#table('product_categories')} pc
         join ${this.#table('categories')} c on c.id = pc.category_id
        where ${inJsonList('pc.product_id', 'uuid')}
        order by pc.product_id, c.position, c.name, c.id`,
      [jsonList(uuids)],
    );
    return rows.map(({ link_product_id, ...row }) => ({ productId: link_product_id, category: this.#em.map(Category, row) }));
  }

  /** The ids among `ids` that name a category. */
  async findExistingIds(ids: readonly string[]): Promise<Set<string>> {
    const uuids = uuidsOnly(ids);
    if (!uuids.length) return new Set();
    const rows = await sql<{ id: string }>(this.#em, `select id from ${this.#table('categories')} where ${inJsonList('id', 'uuid')}`, [jsonList(uuids)]);
    return new Set(rows.map((row) => row.id));
  }

  async isSlugTaken(slug: string): Promise<boolean> {
    return (await this.#em.count(Category, { slug })) > 0;
  }

  /** Appends a category after its siblings. */
  async insert(fields: { name: string; slug: string; parentId: string | null }, now: Date): Promise<Category> {
    const [row] = await sql<{ next: number }>(
      this.#em,
      `select coalesce(max(position) + 1, 0)::integer as next from ${this.#table('categories')} where parent_id is not distinct from ?::uuid`,
      [fields.parentId],
    );
    const category = this.#em.create(Category, { id: randomUUID(), ...fields, position: row?.next ?? 0, createdAt: now });
    await this.#em.flush();
    return category;
  }
}
