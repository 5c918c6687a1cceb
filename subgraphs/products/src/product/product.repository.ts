import { randomUUID } from 'node:crypto';
import { sql, type EntityManager } from '@shop/platform';
import { inJsonList, jsonList, tableOf, uuidsOnly } from '../db.ts';
import { Product, ProductImage, Variant } from './product.entity.ts';
import type { NewImage, NewVariant } from './product.input.ts';
import type { ProductPageQuery, ProductPageRow } from './product-list.ts';

const PRODUCT_COLUMNS = ['id', 'slug', 'name', 'description', 'seller_id', 'price_amount', 'currency', 'status', 'published_at', 'created_at', 'updated_at']
  .map((column) => `p.${column}`)
  .join(', ');

/** Keyset condition and order of each sort; each ends with the id, so the order is total. */
const SORTS = {
  NEWEST: { after: '(p.created_at, p.id) < (?::timestamptz, ?::uuid)', orderBy: 'p.created_at desc, p.id desc' },
  PRICE_ASC: { after: '(p.price_amount, p.id) > (?::integer, ?::uuid)', orderBy: 'p.price_amount asc, p.id asc' },
  PRICE_DESC: { after: '(p.price_amount, p.id) < (?::integer, ?::uuid)', orderBy: 'p.price_amount desc, p.id desc' },
  RELEVANCE: {
    after: '(ts_rank(p.search_vector, q.query), p.created_at, p.id) < (?::real, ?::timestamptz, ?::uuid)',
    orderBy: 'rank desc, p.created_at desc, p.id desc',
  },
} as const;

export interface NewProduct {
  sellerId: string;
  slug: string;
  name: string;
  description: string;
  priceAmount: number;
  currency: string;
}

/** Products, their variants and images: queries only, each method one SQL statement unless it says otherwise. */
export class ProductRepository {
  readonly #em: EntityManager;
  readonly #table: (name: string) => string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#table = tableOf(em);
  }

  async findPage(query: ProductPageQuery): Promise<ProductPageRow[]> {
    const t = this.#table;
    const params: unknown[] = [];
    // Placeholders are filled in text order: WITH, FROM, WHERE, LIMIT.
    let withClause = '';
    if (query.categoryId) {
      withClause = `with recursive category_tree (id) as (
          select id from ${t('categories')} where id = ?::uuid
          union all
          select c.id from ${t('categories')} c join category_tree tree on c.parent_id = tree.id)`;
      params.push(query.categoryId);
    }
    let from = `${t('products')} p`;
    if (query.search) {
      from += ` cross join websearch_to_tsquery('english', ?) q(query)`;
      params.push(query.search);
    }
    // Statuses come from the GraphQL enum (checked by parseListProductsArgs), so they are inlined as literals.
    const where = [`p.status in (${query.statuses.map((s) => `'${s}'`).join(', ')})`];
    if (query.search) where.push('p.search_vector @@ q.query');
    if (query.sellerId) {
      where.push('p.seller_id = ?::uuid');
      params.push(query.sellerId);
    }
    if (query.minPrice !== undefined) {
      where.push('p.price_amount >= ?');
      params.push(query.minPrice);
    }
    if (query.maxPrice !== undefined) {
      where.push('p.price_amount <= ?');
      params.push(query.maxPrice);
    }
    if (query.categoryId) {
      where.push(`exists (select 1 from ${t('product_categories')} pc
        where pc.product_id = p.id and pc.category_id in (select id from category_tree))`);
    }
    const sort = SORTS[query.sort];
    const after = query.after;
    if (after) {
      where.push(sort.after);
      if (after.sort === 'NEWEST') params.push(after.createdAt, after.id);
      else if (after.sort === 'RELEVANCE') params.push(after.rank, after.createdAt, after.id);
      else params.push(after.price, after.id);
    }
    params.push(query.first + 1);
    const rows = await sql<Record<string, unknown> & { rank?: number }>(
      this.#em,
      `${withClause}
       select ${PRODUCT_COLUMNS}${query.sort === 'RELEVANCE' ? ', ts_rank(p.search_vector, q.query) as rank' : ''}
         from ${from}
        where ${where.join('\n          and ')}
        order by ${sort.orderBy}
        limit ?`,
      params,
    );
    return rows.map(({ rank, ...row }) => ({ product: this.#em.map(Product, row), rank }));
  }

  async findByIds(ids: readonly string[]): Promise<Product[]> {
    const uuids = uuidsOnly(ids);
    return uuids.length ? this.#em.find(Product, { id: { $in: uuids } }) : [];
  }

  async findVariantsByProductIds(productIds: readonly string[]): Promise<Variant[]> {
    const uuids = uuidsOnly(productIds);
    if (!uuids.length) return [];
    return this.#em.find(Variant, { product: { $in: uuids } }, { orderBy: { product: 'asc', position: 'asc', sku: 'asc' } });
  }

  async findVariantsBySkus(skus: readonly string[]): Promise<Variant[]> {
    return skus.length ? this.#em.find(Variant, { sku: { $in: [...skus] } }) : [];
  }

  async findImagesByProductIds(productIds: readonly string[]): Promise<ProductImage[]> {
    const uuids = uuidsOnly(productIds);
    if (!uuids.length) return [];
    return this.#em.find(ProductImage, { product: { $in: uuids } }, { orderBy: { product: 'asc', position: 'asc' } });
  }

  /** The skus among `skus` that some variant already has. */
  async findTakenSkus(skus: readonly string[]): Promise<Set<string>> {
    if (!skus.length) return new Set();
    const rows = await sql<{ sku: string }>(this.#em, `select sku from ${this.#table('variants')} where ${inJsonList('sku', 'text')}`, [jsonList(skus)]);
    return new Set(rows.map((row) => row.sku));
  }

  async isSlugTaken(slug: string, exceptProductId?: string): Promise<boolean> {
    const rows = await sql<{ taken: boolean }>(
      this.#em,
      `select exists (select 1 from ${this.#table('products')} where slug = ? and id is distinct from ?::uuid) as taken`,
      [slug, exceptProductId ?? null],
    );
    return rows[0]?.taken ?? false;
  }

  /** Locks the products (in id order, so that concurrent writers cannot deadlock) until the transaction ends. */
  async lockByIds(ids: readonly string[]): Promise<Product[]> {
    const uuids = uuidsOnly(ids);
    if (!uuids.length) return [];
    const rows = await sql<Record<string, unknown>>(
      this.#em,
      `select ${PRODUCT_COLUMNS} from ${this.#table('products')} p where ${inJsonList('p.id', 'uuid')} order by p.id for update`,
      [jsonList(uuids)],
    );
    return rows.map((row) => this.#em.map(Product, row));
  }

  async lockVariant(sku: string): Promise<Variant | null> {
    const rows = await sql<Record<string, unknown>>(this.#em, `select * from ${this.#table('variants')} where sku = ? for update`, [sku]);
    return rows[0] ? this.#em.map(Variant, rows[0]) : null;
  }

  async nextVariantPosition(productId: string): Promise<number> {
    const rows = await sql<{ next: number }>(
      this.#em,
      `select coalesce(max(position) + 1, 0)::integer as next from ${this.#table('variants')} where product_id = ?::uuid`,
      [productId],
    );
    return rows[0]?.next ?? 0;
  }

  /** Inserts a product with its variants, images and categories (four statements at most). */
  async insertProduct(
    fields: NewProduct,
    children: { variants: readonly NewVariant[]; images: readonly NewImage[]; categoryIds: readonly string[] },
    now: Date,
  ): Promise<Product> {
    const product = this.#em.create(Product, { id: randomUUID(), ...fields, status: 'DRAFT', publishedAt: null, createdAt: now, updatedAt: now });
    children.variants.forEach((variant, position) => this.#createVariant(product, variant, position, now));
    this.#createImages(product, children.images);
    await this.#em.flush();
    await this.#insertCategories(product.id, children.categoryIds);
    return product;
  }

  /** Applies the changed fields (and replaces images or categories when given); bumps updatedAt. */
  async updateProduct(
    product: Product,
    changes: Partial<Pick<Product, 'name' | 'slug' | 'description' | 'priceAmount' | 'status' | 'publishedAt'>>,
    replace: { images?: readonly NewImage[]; categoryIds?: readonly string[] },
    now: Date,
  ): Promise<Product> {
    this.#em.assign(product, { ...changes, updatedAt: now });
    if (replace.images) {
      await this.#em.nativeDelete(ProductImage, { product: product.id });
      this.#createImages(product, replace.images);
    }
    await this.#em.flush();
    if (replace.categoryIds) {
      await sql(this.#em, `delete from ${this.#table('product_categories')} where product_id = ?::uuid`, [product.id]);
      await this.#insertCategories(product.id, replace.categoryIds);
    }
    return product;
  }

  async insertVariant(product: Product, variant: NewVariant, position: number, now: Date): Promise<Variant> {
    const created = this.#createVariant(product, variant, position, now);
    product.updatedAt = now;
    await this.#em.flush();
    return created;
  }

  async updateVariant(variant: Variant, changes: Partial<Pick<Variant, 'name' | 'options' | 'priceAmount'>>, now: Date): Promise<Variant> {
    this.#em.assign(variant, { ...changes, updatedAt: now });
    await this.#em.flush();
    await sql(this.#em, `update ${this.#table('products')} set updated_at = ? where id = ?::uuid`, [now, variant.product.id]);
    return variant;
  }

  #createVariant(product: Product, variant: NewVariant, position: number, now: Date): Variant {
    return this.#em.create(Variant, { ...variant, product, position, createdAt: now, updatedAt: now });
  }

  #createImages(product: Product, images: readonly NewImage[]): void {
    images.forEach((image, position) => this.#em.create(ProductImage, { id: randomUUID(), product, ...image, position }));
  }

  async #insertCategories(productId: string, categoryIds: readonly string[]): Promise<void> {
    if (!categoryIds.length) return;
    await sql(
      this.#em,
      `insert into ${this.#table('product_categories')} (product_id, category_id)
       select ?::uuid, value::uuid from jsonb_array_elements_text(?::jsonb) on conflict do nothing`,
      [productId, jsonList(categoryIds)],
    );
  }
}
