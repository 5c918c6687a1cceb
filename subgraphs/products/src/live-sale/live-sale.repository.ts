import { randomUUID } from 'node:crypto';
import { sql, type EntityManager } from '@shop/platform';
import { inJsonList, jsonList, tableOf, uuidsOnly } from '../db.ts';
import { LiveSale, type LiveSalePrice } from './live-sale.entity.ts';
import type { LiveSalePageQuery } from './live-sale-list.ts';
import type { SalePrice } from './live-sale.rules.ts';

/** Which sales each order lists, and how it pages through them (keyset on (time, id)). */
const ORDERS = {
  UPCOMING: { where: 's.starts_at > ?', column: 's.starts_at', direction: 'asc' },
  LIVE: { where: 's.starts_at <= ? and s.ends_at > ?', column: 's.starts_at', direction: 'asc' },
  ENDED: { where: 's.ends_at <= ?', column: 's.ends_at', direction: 'desc' },
  ALL: { where: '', column: 's.starts_at', direction: 'desc' },
} as const;

/** The sale that is running now or else starts next, for each of some products. */
export interface ProductLiveSale {
  productId: string;
  sale: LiveSale;
}

/** Live sales with their products and sale prices: queries only, one SQL statement per read. */
export class LiveSaleRepository {
  readonly #em: EntityManager;
  readonly #table: (name: string) => string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#table = tableOf(em);
  }

  async findByIds(ids: readonly string[]): Promise<LiveSale[]> {
    const uuids = uuidsOnly(ids);
    return uuids.length ? this.#em.find(LiveSale, { id: { $in: uuids } }) : [];
  }

  /** Products of different sales never overlap in time, so "current or next" is the earliest sale not over yet. */
  async findCurrentOrNextByProductIds(productIds: readonly string[], now: Date): Promise<ProductLiveSale[]> {
    const uuids = uuidsOnly(productIds);
    if (!uuids.length) return [];
    const rows = await sql<Record<string, unknown> & { link_product_id: string }>(
      this.#em,
      `select distinct on (lsp.product_id) lsp.product_id as link_product_id, s.*
         from ${this.#table('live_sale_products')} lsp
         join ${this.#table('live_sales')} s on s.id = lsp.live_sale_id
        where ${inJsonList('lsp.product_id', 'uuid')} and s.cancelled_at is null and s.ends_at > ?
        order by lsp.product_id, s.starts_at, s.id`,
      [jsonList(uuids), now],
    );
    return rows.map(({ link_product_id, ...row }) => ({ productId: link_product_id, sale: this.#em.map(LiveSale, row) }));
  }

  /** The sale price of each sku in the current or next sale of its product (skus that sale does not discount are left out). */
  async findSalePricesBySkus(skus: readonly string[], now: Date): Promise<SalePrice[]> {
    if (!skus.length) return [];
    // Raw rows carry timestamps as text; epoch milliseconds convert without parsing PostgreSQL's text format.
    const rows = await sql<{ sku: string; live_sale_id: string; amount: number; starts_ms: number; ends_ms: number }>(
      this.#em,
      `select v.sku, s.id as live_sale_id, lp.amount,
              (extract(epoch from s.starts_at) * 1000)::float8 as starts_ms, (extract(epoch from s.ends_at) * 1000)::float8 as ends_ms
         from ${this.#table('variants')} v
         cross join lateral (
           select s.id, s.starts_at, s.ends_at
             from ${this.#table('live_sale_products')} lsp
             join ${this.#table('live_sales')} s on s.id = lsp.live_sale_id
            where lsp.product_id = v.product_id and s.cancelled_at is null and s.ends_at > ?
            order by s.starts_at, s.id
            limit 1) s
         join ${this.#table('live_sale_prices')} lp on lp.live_sale_id = s.id and lp.sku = v.sku
        where ${inJsonList('v.sku', 'text')}`,
      [now, jsonList(skus)],
    );
    return rows.map((row) => ({
      sku: row.sku,
      liveSaleId: row.live_sale_id,
      amount: row.amount,
      startsAt: new Date(row.starts_ms),
      endsAt: new Date(row.ends_ms),
    }));
  }

  async findProductIdsBySaleIds(saleIds: readonly string[]): Promise<{ liveSaleId: string; productId: string }[]> {
    const uuids = uuidsOnly(saleIds);
    if (!uuids.length) return [];
    const rows = await sql<{ live_sale_id: string; product_id: string }>(
      this.#em,
      `select live_sale_id, product_id from ${this.#table('live_sale_products')}
        where ${inJsonList('live_sale_id', 'uuid')} order by live_sale_id, product_id`,
      [jsonList(uuids)],
    );
    return rows.map((row) => ({ liveSaleId: row.live_sale_id, productId: row.product_id }));
  }

  async findPricesBySaleIds(saleIds: readonly string[]): Promise<LiveSalePrice[]> {
    const uuids = uuidsOnly(saleIds);
    if (!uuids.length) return [];
    const rows = await sql<{ live_sale_id: string; sku: string; amount: number; currency: string }>(
      this.#em,
      `select lp.live_sale_id, lp.sku, lp.amount, v.currency
         from ${this.#table('live_sale_prices')} lp
         join ${this.#table('variants')} v on v.sku = lp.sku
        where ${inJsonList('lp.live_sale_id', 'uuid')} order by lp.live_sale_id, lp.sku`,
      [jsonList(uuids)],
    );
    return rows.map((row) => ({ liveSaleId: row.live_sale_id, sku: row.sku, amount: row.amount, currency: row.currency }));
  }

  /** Sales that are not cancelled, in the query's order, one row more than the page to tell whether another follows. */
  async findPage(query: LiveSalePageQuery): Promise<LiveSale[]> {
    const order = ORDERS[query.order];
    const where = ['s.cancelled_at is null'];
    const params: unknown[] = [];
    if (order.where) {
      where.push(order.where);
      params.push(...(query.order === 'LIVE' ? [query.now, query.now] : [query.now]));
    }
    if (query.sellerId) {
      where.push('s.seller_id = ?::uuid');
      params.push(query.sellerId);
    }
    if (query.after) {
      where.push(`(${order.column}, s.id) ${order.direction === 'asc' ? '>' : '<'} (?::timestamptz, ?::uuid)`);
      params.push(query.after.at, query.after.id);
    }
    params.push(query.first + 1);
    const rows = await sql<Record<string, unknown>>(
      this.#em,
      `select s.* from ${this.#table('live_sales')} s
        where ${where.join(' and ')}
        order by ${order.column} ${order.direction}, s.id ${order.direction}
        limit ?`,
      params,
    );
    return rows.map((row) => this.#em.map(LiveSale, row));
  }

  /** Sales (not cancelled) of any of the products whose window overlaps [startsAt, endsAt). */
  async findOverlapping(productIds: readonly string[], startsAt: Date, endsAt: Date): Promise<{ productId: string; sale: LiveSale }[]> {
    const uuids = uuidsOnly(productIds);
    if (!uuids.length) return [];
    const rows = await sql<Record<string, unknown> & { link_product_id: string }>(
      this.#em,
      `select lsp.product_id as link_product_id, s.*
         from ${this.#table('live_sale_products')} lsp
         join ${this.#table('live_sales')} s on s.id = lsp.live_sale_id
        where ${inJsonList('lsp.product_id', 'uuid')} and s.cancelled_at is null and s.starts_at < ? and s.ends_at > ?`,
      [jsonList(uuids), endsAt, startsAt],
    );
    return rows.map(({ link_product_id, ...row }) => ({ productId: link_product_id, sale: this.#em.map(LiveSale, row) }));
  }

  async lockById(id: string): Promise<LiveSale | null> {
    if (!uuidsOnly([id]).length) return null;
    const rows = await sql<Record<string, unknown>>(this.#em, `select * from ${this.#table('live_sales')} where id = ?::uuid for update`, [id]);
    return rows[0] ? this.#em.map(LiveSale, rows[0]) : null;
  }

  /** Inserts a sale with its products and prices (three statements). */
  async insert(
    fields: { sellerId: string; title: string; startsAt: Date; endsAt: Date },
    productIds: readonly string[],
    prices: readonly { sku: string; amount: number }[],
    now: Date,
  ): Promise<LiveSale> {
    const sale = this.#em.create(LiveSale, { id: randomUUID(), ...fields, cancelledAt: null, createdAt: now, updatedAt: now });
    await this.#em.flush();
    await sql(
      this.#em,
      `insert into ${this.#table('live_sale_products')} (live_sale_id, product_id)
       select ?::uuid, value::uuid from jsonb_array_elements_text(?::jsonb)`,
      [sale.id, jsonList(productIds)],
    );
    if (prices.length) {
      await sql(
        this.#em,
        `insert into ${this.#table('live_sale_prices')} (live_sale_id, sku, amount)
         select ?::uuid, x.sku, x.amount from jsonb_to_recordset(?::jsonb) as x(sku text, amount integer)`,
        [sale.id, jsonList(prices)],
      );
    }
    return sale;
  }

  async cancel(sale: LiveSale, now: Date): Promise<LiveSale> {
    this.#em.assign(sale, { cancelledAt: now, updatedAt: now });
    await this.#em.flush();
    return sale;
  }
}
