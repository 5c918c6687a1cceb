import { sql, type EntityManager } from '@shop/platform';
import { Product, Variant } from './product.entity.ts';

export interface ProductPageQuery {
  /** Rows to fetch (page size + 1 to detect a next page). */
  limit: number;
  /** Keyset position to continue after: [createdAt ISO string, id]. */
  after?: readonly [string, string];
  search?: string;
}

/** Queries only; every method is one SQL statement. */
export class ProductRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  /** Newest first, keyset-paginated on (created_at, id) so pages stay stable while rows are added. */
  async findPage(query: ProductPageQuery): Promise<Product[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.search) {
      params.push(query.search);
      where.push(`search_vector @@ websearch_to_tsquery('english', ?)`);
    }
    if (query.after) {
      params.push(query.after[0], query.after[1]);
      where.push(`(created_at, id) < (?::timestamptz, ?::uuid)`);
    }
    params.push(query.limit);
    const rows = await sql<Record<string, unknown>>(
      this.#em,
      `select id, slug, name, description, seller_id, price_amount, currency, created_at, updated_at
         from "${this.#schema}".products
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by created_at desc, id desc
        limit ?`,
      params,
    );
    return rows.map((row) => this.#em.map(Product, row));
  }

  async findByIds(ids: readonly string[]): Promise<Product[]> {
    return this.#em.find(Product, { id: { $in: [...ids] } });
  }

  async findVariantsByProductIds(productIds: readonly string[]): Promise<Variant[]> {
    return this.#em.find(Variant, { product: { $in: [...productIds] } }, { orderBy: { product: 'asc', position: 'asc', sku: 'asc' } });
  }

  async findVariantsBySkus(skus: readonly string[]): Promise<Variant[]> {
    return this.#em.find(Variant, { sku: { $in: [...skus] } });
  }
}
