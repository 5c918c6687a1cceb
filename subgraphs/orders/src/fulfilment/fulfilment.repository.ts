import { isUuid, sql, type EntityManager } from '@shop/platform';
import { Order } from '../order/order.entity.ts';
import { OrderRepository } from '../order/order.repository.ts';

/** A shipment as stored. */
export interface FulfilmentRow {
  orderId: string;
  trackingNumber: string;
  fulfilledBy: string;
  fulfilledAt: Date;
}

/** One keyset page of orders waiting to ship, oldest first. */
export interface ToFulfilPageRequest {
  /** Only orders holding a line of this seller; null for all (admins). */
  sellerId: string | null;
  /** Rows to fetch (page size + 1 to detect a next page). */
  limit: number;
  /** Keyset position to continue after: [placedAt ISO string, id]. */
  after?: readonly [string, string];
}

/** Queries only; every method is one SQL statement. */
export class FulfilmentRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  /** Runs `work` in one transaction, with this repository and the orders' bound to it. */
  transactional<T>(work: (tx: FulfilmentRepository, orders: OrderRepository) => Promise<T>): Promise<T> {
    return this.#em.transactional((em) => work(new FulfilmentRepository(em), new OrderRepository(em)));
  }

  /**
   * Skus of lines whose seller is not known yet, among the orders waiting
   * to ship (or of one order): what to ask products about. The partial
   * index keeps this a scan of the unknown lines only.
   */
  async findSkusWithUnknownSeller(options: { orderId?: string; limit: number }): Promise<string[]> {
    const rows = await sql<{ sku: string }>(
      this.#em,
      options.orderId
        ? `select distinct sku from "${this.#schema}".order_items where order_id = ? and seller_id is null limit ?`
        : `select distinct i.sku from "${this.#schema}".order_items i
             join "${this.#schema}".orders o on o.id = i.order_id
            where i.seller_id is null and o.status = 'CONFIRMED' and o.saga_step = 'DONE'
            limit ?`,
      options.orderId ? [options.orderId, options.limit] : [options.limit],
    );
    return rows.map((r) => r.sku);
  }

  /** Writes the seller of each sku on the lines that do not have one yet. */
  async recordSellers(sellers: readonly { sku: string; sellerId: string }[]): Promise<void> {
    if (!sellers.length) return;
    await sql(
      this.#em,
      `update "${this.#schema}".order_items i set seller_id = v.seller_id
         from unnest(array[?]::text[], array[?]::uuid[]) as v(sku, seller_id)
        where i.sku = v.sku and i.seller_id is null`,
      [sellers.map((s) => s.sku), sellers.map((s) => s.sellerId)],
    );
  }

  /** The seller of each line of the order (null where unknown). */
  async findLineSellers(orderId: string): Promise<{ sku: string; sellerId: string | null }[]> {
    if (!isUuid(orderId)) return [];
    const rows = await sql<{ sku: string; seller_id: string | null }>(this.#em, `select sku, seller_id from "${this.#schema}".order_items where order_id = ? order by position`, [orderId]);
    return rows.map((r) => ({ sku: r.sku, sellerId: r.seller_id }));
  }

  /** CONFIRMED orders with nothing in flight (no cancellation under way), oldest first, after a keyset position. */
  async findToFulfil(request: ToFulfilPageRequest): Promise<Order[]> {
    const params: unknown[] = [request.after?.[0] ?? '-infinity', request.after?.[1] ?? '00000000-0000-0000-0000-000000000000'];
    let seller = '';
    if (request.sellerId) {
      seller = `and exists (select 1 from "${this.#schema}".order_items i where i.order_id = o.id and i.seller_id = ?)`;
      params.push(request.sellerId);
    }
    params.push(request.limit);
    const rows = await sql<Record<string, unknown>>(
      this.#em,
      `select o.* from "${this.#schema}".orders o
        where o.status = 'CONFIRMED' and o.saga_step = 'DONE'
          and (o.placed_at, o.id) > (?::timestamptz, ?::uuid)
          ${seller}
        order by o.placed_at, o.id
        limit ?`,
      params,
    );
    return rows.map((row) => this.#em.map(Order, row));
  }

  /** Records the shipment of an order (call it inside the transaction that moves it to FULFILLED). */
  async insertFulfilment(row: FulfilmentRow): Promise<void> {
    await sql(
      this.#em,
      `insert into "${this.#schema}".fulfilments (order_id, tracking_number, fulfilled_by, fulfilled_at) values (?, ?, ?, ?)`,
      [row.orderId, row.trackingNumber, row.fulfilledBy, row.fulfilledAt],
    );
  }

  async findFulfilments(orderIds: readonly string[]): Promise<FulfilmentRow[]> {
    const valid = orderIds.filter(isUuid);
    if (!valid.length) return [];
    const rows = await sql<{ order_id: string; tracking_number: string; fulfilled_by: string; fulfilled_at: Date | string }>(
      this.#em,
      `select order_id, tracking_number, fulfilled_by, fulfilled_at from "${this.#schema}".fulfilments where order_id in (?)`,
      [valid],
    );
    return rows.map((r) => ({ orderId: r.order_id, trackingNumber: r.tracking_number, fulfilledBy: r.fulfilled_by, fulfilledAt: new Date(r.fulfilled_at) }));
  }
}
