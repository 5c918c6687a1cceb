import { LockMode } from '@mikro-orm/core';
import { isUuid, sql, type EntityManager } from '@shop/platform';
import { Order, OrderItem, OrderStatusChange } from './order.entity.ts';
import type { OrderStatus } from './order.state.ts';

/** One keyset page of one user's orders, newest first. */
export interface OrderPageRequest {
  /** Opaque key that comes back on every row of this page (the DataLoader groups by it). */
  pageKey: string;
  userId: string;
  /** Rows to fetch (page size + 1 to detect a next page). */
  limit: number;
  /** Keyset position to continue after: [placedAt ISO string, id]. */
  after?: readonly [string, string];
}

export interface OrderPageRow {
  pageKey: string;
  order: Order;
}

const ORDER_COLUMNS = 'id, user_id, status, total_amount, currency, idempotency_key, request_hash, placed_at, updated_at';

/** Queries only; every method is one SQL statement unless it says otherwise. */
export class OrderRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  /** Runs `work` in one transaction with a repository bound to it. */
  transactional<T>(work: (repository: OrderRepository) => Promise<T>): Promise<T> {
    return this.#em.transactional((em) => work(new OrderRepository(em)));
  }

  async findByIds(ids: readonly string[]): Promise<Order[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.#em.find(Order, { id: { $in: valid } }) : [];
  }

  async findItemsByOrderIds(orderIds: readonly string[]): Promise<OrderItem[]> {
    const valid = orderIds.filter(isUuid);
    if (!valid.length) return [];
    return this.#em.find(OrderItem, { order: { $in: valid } }, { orderBy: { order: 'asc', position: 'asc' } });
  }

  /**
   * Any number of users' pages in one statement: the requests travel as one
   * JSON parameter and each becomes a LATERAL keyset scan of
   * orders_user_placed_at_idx. A missing `after` is the position just past the
   * newest possible row, so the comparison stays index-friendly.
   */
  async findPages(requests: readonly OrderPageRequest[]): Promise<OrderPageRow[]> {
    const valid = requests.filter((r) => isUuid(r.userId) && (!r.after || isUuid(r.after[1])));
    if (!valid.length) return [];
    const payload = valid.map((r) => ({
      page_key: r.pageKey,
      user_id: r.userId,
      lim: r.limit,
      after_at: r.after?.[0] ?? null,
      after_id: r.after?.[1] ?? null,
    }));
    const rows = await sql<Record<string, unknown> & { page_key: string }>(
      this.#em,
      `select k.page_key, o.*
         from jsonb_to_recordset(?::jsonb) as k(page_key text, user_id uuid, lim integer, after_at timestamptz, after_id uuid)
         cross join lateral (
           select ${ORDER_COLUMNS}
             from "${this.#schema}".orders
            where user_id = k.user_id
              and (placed_at, id) < (coalesce(k.after_at, 'infinity'::timestamptz), coalesce(k.after_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid))
            order by placed_at desc, id desc
            limit k.lim
         ) o
        order by k.page_key, o.placed_at desc, o.id desc`,
      [JSON.stringify(payload)],
    );
    return rows.map(({ page_key, ...row }) => ({ pageKey: page_key, order: this.#em.map(Order, row) }));
  }

  /** The order, locked for update until the surrounding transaction ends; null when missing. */
  async lockById(id: string): Promise<Order | null> {
    if (!isUuid(id)) return null;
    return this.#em.findOne(Order, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  /** Sets the status and appends the audit row; both are written when the transaction flushes. */
  recordStatus(order: Order, to: OrderStatus, reason: string | null, at: Date): void {
    this.#em.create(OrderStatusChange, { order, fromStatus: order.status, toStatus: to, at, reason });
    order.status = to;
    order.updatedAt = at;
  }

  async flush(): Promise<void> {
    await this.#em.flush();
  }

  async findStatusHistory(orderId: string): Promise<OrderStatusChange[]> {
    if (!isUuid(orderId)) return [];
    return this.#em.find(OrderStatusChange, { order: orderId }, { orderBy: { id: 'asc' } });
  }
}
